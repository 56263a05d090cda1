/**
 * SESNSP incidence of crimes of the common jurisdiction (investigation files, new methodology) by state,
 * year, crime type, subtype and modality, with the twelve months as wide columns: the raw publication
 * layout. Copies in the wild are often damaged by a bad re-encoding (Latin-1 text read as Mac Roman and
 * saved as UTF-8: `AÒo` for `Año`, `jurÌdico` for `jurídico`); Marco recognises that layout by its header
 * and repairs the text. Empty month cells (months not yet published) are skipped.
 * @module
 */
import {
  CSV_OPTIONS,
  rejectColumns,
  sqlString,
  wholeNumber,
  type Source,
  type SourceLayout,
} from '../source.js';
import { rejectReason } from '../reject-reasons.js';

const MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];
/** The columns after the year, whose own name varies with the file's damage (`ano`, `aoo`). */
const HEADER_TAIL = [
  'clave_ent',
  'entidad',
  'bien_juridico_afectado',
  'tipo_de_delito',
  'subtipo_de_delito',
  'modalidad',
  ...MONTHS,
];
const COLUMNS = ['ano', ...HEADER_TAIL];
// Spanish letters as Mac Roman misread them, and what they were (one character each, in order).
const DAMAGED = '·ÈÌÛ˙Ò¡…Õ”⁄—¸‹ø°∞';
const REPAIRED = 'áéíóúñÁÉÍÓÚÑüÜ¿¡°';

function staging(repair: boolean) {
  const text = (column: string) =>
    repair ? `translate(trim(${column}), ${sqlString(DAMAGED)}, ${sqlString(REPAIRED)})` : `trim(${column})`;
  return (csv: string, layout: SourceLayout) => `
    with raw as (
      select row_number() over () + 1 as line, *
      from read_csv(${csv}, delim=${sqlString(layout.delimiter)}, ${CSV_OPTIONS}, names=[${COLUMNS.map(sqlString).join(', ')}])),
    fixed as (
      select line, ano, clave_ent, ${wholeNumber('ano')} as y, lpad(trim(clave_ent), 2, '0') as code,
        ${text('bien_juridico_afectado')} as legal_good, ${text('tipo_de_delito')} as crime_type,
        ${text('subtipo_de_delito')} as crime_subtype, ${text('modalidad')} as modality,
        ${MONTHS.join(', ')}
      from raw),
    cells as (
      unpivot fixed on ${MONTHS.join(', ')} into name month_name value cell),
    typed as (
      select *, list_position(${`[${MONTHS.map(sqlString).join(', ')}]`}, month_name) as m,
        try_cast(trim(cell) as double) as v, nullif(trim(cell), '') as cell_text
      from cells)
    select line, 'crime_reports' as measure, 'state' as geo_level, code as geo, 'month' as granularity,
      case when y between 1800 and 2200 then make_date(y, m, 1) end as period,
      case when cell_text is not null then v end as value,
      MAP {'legal_good': legal_good, 'crime_type': crime_type, 'crime_subtype': crime_subtype, 'modality': modality} as dims,
      ${rejectColumns([
        {
          when: "not regexp_full_match(coalesce(trim(clave_ent), ''), '\\d{1,2}') or trim(clave_ent)::integer not between 1 and 32",
          column: "'Clave_Ent'",
          value: 'clave_ent',
          reason: rejectReason('notStateCode'),
        },
        {
          when: 'y is null or y not between 1800 and 2200',
          column: "'Año'",
          value: 'ano',
          reason: rejectReason('notAYear'),
        },
        {
          when: "coalesce(crime_subtype, '') = ''",
          column: "'Subtipo de delito'",
          value: 'null',
          reason: rejectReason('emptyCrimeSubtype'),
        },
        {
          when: `regexp_matches(crime_type || crime_subtype || modality || legal_good, '[${DAMAGED}]')`,
          column: "'Subtipo de delito'",
          value: 'crime_subtype',
          reason: rejectReason('unmappedText'),
        },
        {
          when: 'cell_text is not null and v is null',
          column: 'month_name',
          value: 'cell',
          reason: rejectReason('notANumber'),
        },
        {
          when: 'cell_text is not null and v < 0',
          column: 'month_name',
          value: 'cell',
          reason: rejectReason('negativeCount'),
        },
      ])}
    from typed`;
}

export const sesnspIncidence: Source = {
  country: 'MX',
  id: 'sesnsp-incidence',
  title: {
    en: 'SESNSP crime incidence by state and month (investigation files)',
    es: 'Incidencia delictiva del SESNSP por entidad y mes (carpetas de investigación)',
  },
  publisher: 'SESNSP (Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública), new methodology',
  licence: 'SESNSP open data (free reuse with attribution)',
  attribution: 'SESNSP, Incidencia delictiva del fuero común (nueva metodología)',
  landing: 'https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva',
  measures: ['crime_reports'],
  kind: 'observations',
  layouts: [
    { name: 'incidence-wide', delimiter: ',', header: COLUMNS },
    // `AÒo`: the damaged re-encoding (see the module documentation).
    { name: 'incidence-wide-damaged', delimiter: ',', header: ['aoo', ...HEADER_TAIL] },
  ],
  staging: (csv, layout) => staging(layout.name === 'incidence-wide-damaged')(csv, layout),
};
