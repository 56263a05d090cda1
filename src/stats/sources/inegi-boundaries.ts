/**
 * INEGI boundaries (Marco Geoestadístico) of states and municipalities, for maps: a shapefile (with its
 * `.dbf`, or zipped), TopoJSON or GeoJSON in longitude/latitude. Read by `../boundaries.ts`.
 * @module
 */
import type { Source } from '../source.js';

export const inegiBoundaries: Source = {
  id: 'inegi-boundaries',
  title: {
    en: 'INEGI state and municipal boundaries (simplified, for maps)',
    es: 'Límites estatales y municipales del INEGI (simplificados, para mapas)',
  },
  publisher: 'INEGI, Marco Geoestadístico; shapefile and TopoJSON republished by diegovalle/new.crimenmexico',
  licence: 'INEGI open data (free reuse with attribution); republication MIT',
  attribution: 'INEGI, Marco Geoestadístico',
  landing: 'https://www.inegi.org.mx/temas/mg/',
  measures: [],
  kind: 'boundaries',
  layouts: [],
  params: [
    {
      name: 'keep',
      description: {
        en: 'share of the points kept by simplification, between 0 and 1 (default 0.15)',
        es: 'proporción de puntos que conserva la simplificación, entre 0 y 1 (por omisión 0.15)',
      },
      default: '0.15',
      pattern: /^(0?\.\d*[1-9]\d*|1(\.0*)?)$/,
      expected: 'imports.param.share',
    },
  ],
};
