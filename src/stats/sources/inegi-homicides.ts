/**
 * INEGI homicides (death certificates) by municipality or state and month of occurrence, in the layout
 * republished by Gargiulo, Aburto & Floridi: `ent_mun|year|month|homicides|pop_est|homicide_rate`.
 * @module
 */
import { readCsvText, rejectColumns, wholeNumber, type Source, type SourceLayout } from '../source.js';
import { rejectReason } from '../reject-reasons.js';

const LICENCE = 'INEGI open data (free reuse with attribution); republication CC-BY-4.0';

function homicideStaging(codeColumn: string, level: 'municipality' | 'state', width: number) {
  return (csv: string, layout: SourceLayout) => `
    with raw as (${readCsvText(csv, layout.delimiter)}),
    typed as (
      select line, trim(${codeColumn}) as code_text, year, month, homicides,
        ${wholeNumber('year')} as y, ${wholeNumber('month')} as m,
        try_cast(trim(homicides) as double) as v
      from raw)
    select line,
      'homicides' as measure,
      '${level}' as geo_level,
      lpad(code_text, ${width}, '0') as geo,
      'month' as granularity,
      case when y between 1800 and 2200 and m between 1 and 12 then make_date(y, m, 1) end as period,
      v as value,
      MAP {}::MAP(VARCHAR, VARCHAR) as dims,
      ${rejectColumns([
        {
          when: `not regexp_full_match(coalesce(code_text, ''), '\\d{${width - 1},${width}}')`,
          column: `'${codeColumn}'`,
          value: 'code_text',
          reason: rejectReason(level === 'state' ? 'notInegiState' : 'notInegiMunicipality'),
        },
        {
          when: 'y is null or y not between 1800 and 2200',
          column: "'year'",
          value: 'year',
          reason: rejectReason('notAYear'),
        },
        {
          when: 'm is null or m not between 1 and 12',
          column: "'month'",
          value: 'month',
          reason: rejectReason('monthRange'),
        },
        { when: 'v is null', column: "'homicides'", value: 'homicides', reason: rejectReason('notANumber') },
        { when: 'v < 0', column: "'homicides'", value: 'homicides', reason: rejectReason('negativeCount') },
        {
          when: 'v != floor(v)',
          column: "'homicides'",
          value: 'homicides',
          reason: rejectReason('notWholeNumber'),
        },
      ])}
    from typed`;
}

export const inegiHomicidesMunicipal: Source = {
  country: 'MX',
  id: 'inegi-homicides-municipal',
  title: { en: 'INEGI homicides by municipality and month', es: 'Homicidios del INEGI por municipio y mes' },
  publisher:
    'INEGI (Instituto Nacional de Estadística y Geografía), death certificates; compiled by Gargiulo, Aburto & Floridi',
  licence: LICENCE,
  attribution:
    'INEGI, Estadísticas de defunciones registradas; Gargiulo, Aburto & Floridi, OSF 10.17605/OSF.IO/U8DC3 (CC-BY-4.0)',
  landing: 'https://osf.io/u8dc3/',
  measures: ['homicides'],
  kind: 'observations',
  layouts: [
    {
      name: 'gargiulo-municipal',
      delimiter: '|',
      header: ['ent_mun', 'year', 'month', 'homicides', 'pop_est', 'homicide_rate'],
    },
  ],
  staging: homicideStaging('ent_mun', 'municipality', 5),
  constant: { measure: 'homicides', geo_level: 'municipality', granularity: 'month' },
};

export const inegiHomicidesState: Source = {
  country: 'MX',
  id: 'inegi-homicides-state',
  title: { en: 'INEGI homicides by state and month', es: 'Homicidios del INEGI por entidad y mes' },
  publisher: inegiHomicidesMunicipal.publisher,
  licence: LICENCE,
  attribution: inegiHomicidesMunicipal.attribution,
  landing: 'https://osf.io/u8dc3/',
  measures: ['homicides'],
  kind: 'observations',
  layouts: [
    {
      name: 'gargiulo-state',
      delimiter: '|',
      header: ['cve_ent', 'year', 'month', 'homicides', 'pop_est', 'homicide_rate'],
    },
  ],
  staging: homicideStaging('cve_ent', 'state', 2),
  constant: { measure: 'homicides', geo_level: 'state', granularity: 'month' },
};
