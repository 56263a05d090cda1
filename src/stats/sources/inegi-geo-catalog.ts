/**
 * INEGI's catalogue of state and municipality codes and names (Marco Geoestadístico). Two layouts: the
 * state list and the municipality list; each import adds or renames places, never removes one.
 * @module
 */
import { readCsvText, sqlString, type Source, type SourceLayout } from '../source.js';
import { rejectReason } from '../reject-reasons.js';

export const inegiGeoCatalog: Source = {
  id: 'inegi-geo-catalog',
  title: { en: 'INEGI state and municipality catalogue', es: 'Catálogo de entidades y municipios del INEGI' },
  publisher: 'INEGI, Marco Geoestadístico (catálogo único de claves de áreas geoestadísticas)',
  licence: 'INEGI open data (free reuse with attribution)',
  attribution:
    'INEGI, Catálogo Único de Claves de Áreas Geoestadísticas Estatales, Municipales y Localidades',
  landing: 'https://www.inegi.org.mx/app/ageeml/',
  measures: [],
  kind: 'geography',
  layouts: [
    { name: 'states', delimiter: ',', header: ['nombre_estado', 'cve_ent'] },
    {
      name: 'municipalities',
      delimiter: ',',
      header: ['cve_geo', 'nombre_estado', 'cve_ent', 'nombre_municipio', 'cve_mun'],
    },
  ],
  staging(csv: string, layout: SourceLayout) {
    if (layout.name === 'states') {
      return `
        with raw as (${readCsvText(csv, layout.delimiter)})
        select line, lpad(trim(cve_ent), 2, '0') as code, 'state' as level, trim(nombre_estado) as name,
          'MX' as parent, 'MX' as country,
          case when not regexp_full_match(coalesce(trim(cve_ent), ''), '\\d{1,2}') then 'cve_ent'
               when coalesce(trim(nombre_estado), '') = '' then 'nombre_estado' end as reject_column,
          case when not regexp_full_match(coalesce(trim(cve_ent), ''), '\\d{1,2}') then cve_ent end as reject_value,
          case when not regexp_full_match(coalesce(trim(cve_ent), ''), '\\d{1,2}') then ${sqlString(rejectReason('notAStateCode'))}
               when coalesce(trim(nombre_estado), '') = '' then ${sqlString(rejectReason('emptyName'))} end as reject_reason
        from raw
        -- The national row (00) is the country node MX, which the spine always has.
        where coalesce(trim(cve_ent), '') not in ('0', '00')`;
    }
    return `
      with raw as (${readCsvText(csv, layout.delimiter)})
      select line, lpad(trim(cve_geo), 5, '0') as code, 'municipality' as level, trim(nombre_municipio) as name,
        lpad(trim(cve_ent), 2, '0') as parent, 'MX' as country,
        case when not regexp_full_match(coalesce(trim(cve_geo), ''), '\\d{4,5}') then 'cve_geo'
             when lpad(trim(cve_geo), 5, '0')[1:2] != coalesce(lpad(trim(cve_ent), 2, '0'), '') then 'cve_ent'
             when coalesce(trim(nombre_municipio), '') = '' then 'nombre_municipio' end as reject_column,
        case when not regexp_full_match(coalesce(trim(cve_geo), ''), '\\d{4,5}') then cve_geo
             when lpad(trim(cve_geo), 5, '0')[1:2] != coalesce(lpad(trim(cve_ent), 2, '0'), '') then cve_ent end as reject_value,
        case when not regexp_full_match(coalesce(trim(cve_geo), ''), '\\d{4,5}') then ${sqlString(rejectReason('notAMunicipalityCode'))}
             when lpad(trim(cve_geo), 5, '0')[1:2] != coalesce(lpad(trim(cve_ent), 2, '0'), '') then ${sqlString(rejectReason('stateMismatch'))}
             when coalesce(trim(nombre_municipio), '') = '' then ${sqlString(rejectReason('emptyName'))} end as reject_reason
      from raw`;
  },
};
