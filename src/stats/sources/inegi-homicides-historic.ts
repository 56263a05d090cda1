/**
 * An older INEGI extract of homicides by place and month of occurrence, 1990–2008, in the wide layout
 * republished by diegovalle/Homicide-MX-Drug-War: `Code,County,Year.of.Murder,Month.of.Murder` and then
 * one column per year of *registration*. A row's homicides are the sum of its registration-year cells
 * (empty cells are zero).
 *
 * The file mixes levels and totals:
 * - an empty code with county `Total` is the national figure (stored for `MX`);
 * - a state's rows carry a spreadsheet error instead of a code (`#NAME?`) and the state's name, which is
 *   matched to its INEGI code by its letters alone, so accents lost to any encoding do not matter;
 * - municipalities (only some states) carry `SS MMM` codes.
 *
 * Rows that are not a month of a year are skipped and counted: `Total` years and months, an unspecified
 * year or month (`No especificado`), deaths abroad (`Extranjero`), and years of occurrence before the
 * first registration year, which hold only the few late registrations of those years and would read as
 * a collapse in homicides.
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
import { MX_STATES } from '../mx-states.js';
import { rejectReason } from '../reject-reasons.js';

const MONTHS = [
  'Enero',
  'Febrero',
  'Marzo',
  'Abril',
  'Mayo',
  'Junio',
  'Julio',
  'Agosto',
  'Septiembre',
  'Octubre',
  'Noviembre',
  'Diciembre',
];

/** A name's key: its lower-case ASCII letters only (accented letters drop out whatever the encoding). */
const key = (sql: string) => `regexp_replace(lower(${sql}), '[^a-z]', '', 'g')`;
const asciiKey = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');

// Names used for a state in older INEGI publications, besides the current ones.
const FORMER_NAMES: [string, string][] = [
  ['09', 'Distrito Federal'],
  ['05', 'Coahuila'],
  ['16', 'Michoacán'],
  ['22', 'Querétaro Arteaga'],
  ['30', 'Veracruz'],
  ['30', 'Veracruz-Llave'],
];

function staging(csv: string, layout: SourceLayout): string {
  // Columns are named by Marco, not by the file, so any spelling of the header reads the same.
  const registration = layout.header.slice(4);
  const names = ['code', 'county', 'year_of_murder', 'month_of_murder', ...registration.map((y) => `y${y}`)];
  const firstYear = Math.min(...registration.map(Number));
  const states = [...MX_STATES, ...FORMER_NAMES]
    .map(([code, name]) => `(${sqlString(asciiKey(name))}, ${sqlString(code)})`)
    .join(', ');
  const cells = registration.map((y) => `trim(y${y})`);
  return `
    with raw as (
      select row_number() over () + 1 as line, *
      from read_csv(${csv}, delim=${sqlString(layout.delimiter)}, ${CSV_OPTIONS}, encoding='latin-1',
        names=[${names.map(sqlString).join(', ')}])),
    states(name_key, code) as (values ${states}),
    typed as (
      select line, trim(code) as code_text, trim(county) as county, trim(year_of_murder) as year_text,
        trim(month_of_murder) as month_text, ${wholeNumber('year_of_murder')} as y,
        coalesce(list_position(${`[${MONTHS.map(sqlString).join(', ')}]`}, trim(month_of_murder)), 0) as m,
        list_filter([${cells.join(', ')}], c -> coalesce(c, '') != '') as given,
        list_filter([${cells.join(', ')}], c -> coalesce(c, '') != '' and ${wholeNumber('c')} is null) as bad,
        list_filter([${cells.join(', ')}], c -> ${wholeNumber('c')} < 0) as negative
      from raw),
    placed as (
      select t.*,
        case when regexp_full_match(coalesce(code_text, ''), '\\d{2} ?\\d{3}') then 'municipality'
             when coalesce(code_text, '') = '' and county = 'Total' then 'country'
             when s.code is not null then 'state' end as level,
        case when regexp_full_match(coalesce(code_text, ''), '\\d{2} ?\\d{3}') then replace(code_text, ' ', '')
             when coalesce(code_text, '') = '' and county = 'Total' then 'MX'
             else s.code end as place,
        ${key('county')} = 'extranjero' as abroad
      from typed t left join states s on s.name_key = ${key('t.county')})
    select line, 'homicides' as measure, coalesce(level, 'state') as geo_level, coalesce(place, '') as geo,
      'month' as granularity,
      case when m > 0 and y between ${firstYear} and 2200 then make_date(y, m, 1) end as period,
      case when m > 0 and y between ${firstYear} and 2200 and not abroad
           then list_sum(list_transform(given, c -> ${wholeNumber('c')}))::double end as value,
      MAP {}::MAP(VARCHAR, VARCHAR) as dims,
      ${rejectColumns([
        {
          when: 'level is null and not abroad',
          column: "'Code'",
          value: "coalesce(code_text, '') || ' ' || coalesce(county, '')",
          reason: rejectReason('historicPlace'),
        },
        {
          when: "y is null and coalesce(year_text, '') not in ('Total', 'No especificado')",
          column: "'Year.of.Murder'",
          value: 'year_text',
          reason: rejectReason('historicYear'),
        },
        {
          when: "m = 0 and coalesce(month_text, '') not in ('Total', 'No especificado')",
          column: "'Month.of.Murder'",
          value: 'month_text',
          reason: rejectReason('historicMonth'),
        },
        {
          when: 'len(bad) > 0',
          column: "'(year of registration)'",
          value: 'bad[1]',
          reason: rejectReason('notWholeNumber'),
        },
        {
          when: 'len(negative) > 0',
          column: "'(year of registration)'",
          value: 'negative[1]',
          reason: rejectReason('negativeCount'),
        },
      ])}
    from placed`;
}

export const inegiHomicidesHistoric: Source = {
  country: 'MX',
  id: 'inegi-homicides-historic',
  title: {
    en: 'INEGI homicides by place and month of occurrence, 1990–2008 (wide extract)',
    es: 'Homicidios del INEGI por lugar y mes de ocurrencia, 1990–2008 (extracto ancho)',
  },
  publisher:
    'INEGI (Instituto Nacional de Estadística y Geografía), death certificates; extract by Diego Valle-Jones',
  licence: 'INEGI open data (free reuse with attribution); republication MIT',
  attribution:
    'INEGI, Estadísticas de defunciones registradas; Valle-Jones, diegovalle/Homicide-MX-Drug-War (MIT)',
  landing: 'https://www.inegi.org.mx/programas/edr/',
  measures: ['homicides'],
  kind: 'observations',
  layouts: [
    {
      name: 'county-month-wide',
      delimiter: ',',
      header: ['code', 'county', 'year_of_murder', 'month_of_murder'],
      rest: /^\d{4}$/,
    },
  ],
  staging,
  // Deaths are counted by year of registration up to the last column: the last year of occurrence lacks
  // those registered in later years (2008 is about 4% short of INEGI's later count).
  incompleteTail: { months: 12, reason: 'registration_cutoff' },
  // A tabulation of death certificates: a place and month without a death has no row.
  listsOnlyEvents: true,
};
