/**
 * CDC NCHS Vital Statistics Rapid Release: provisional drug overdose death counts by reporting
 * jurisdiction and month. Each value is a 12-month-ending count (December 2020 covers January–December
 * 2020), so values are never added across months: the measure's time rule takes the last month. Small
 * counts are suppressed (blank value) and are skipped, not rejected.
 * @module
 */
import { readCsvText, rejectColumns, wholeNumber, type Source, type SourceLayout } from '../source.js';
import { rejectReason } from '../reject-reasons.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export const cdcVsrrOverdose: Source = {
  country: 'US',
  id: 'cdc-vsrr-overdose',
  title: {
    en: 'CDC provisional overdose deaths (12-month-ending)',
    es: 'Muertes por sobredosis provisionales de los CDC (12 meses al cierre)',
  },
  publisher: 'CDC National Center for Health Statistics, Vital Statistics Rapid Release',
  licence: 'U.S. federal government work: public domain',
  attribution: 'CDC/NCHS, VSRR Provisional Drug Overdose Death Counts',
  landing: 'https://www.cdc.gov/nchs/nvss/vsrr/drug-overdose-data.htm',
  measures: ['synthetic_opioid_deaths_12m'],
  kind: 'observations',
  layouts: [
    {
      name: 'vsrr-state-month',
      delimiter: ',',
      header: [
        'state',
        'year',
        'month',
        'period',
        'indicator',
        'percent_complete',
        'percent_pending_investigation',
        'state_name',
        'footnote',
        'footnote_symbol',
        'data_value',
        'predicted_value',
      ],
    },
  ],
  staging: (csv: string, layout: SourceLayout) => `
    with raw as (${readCsvText(csv, layout.delimiter)}),
    typed as (
      select *, upper(trim(state)) as code, ${wholeNumber('year')} as y,
        list_position(${`[${MONTHS.map((m) => `'${m}'`).join(', ')}]`}, trim(month)) as m,
        nullif(trim(data_value), '') as text_value, try_cast(nullif(trim(data_value), '') as double) as v,
        trim(indicator) as ind
      from raw)
    select line,
      case when ind like 'Synthetic opioids, excl. methadone%' then 'synthetic_opioid_deaths_12m'
           else 'overdose_deaths_12m' end as measure,
      case when code = 'US' then 'country' else 'state' end as geo_level, code as geo, 'month' as granularity,
      case when y between 1800 and 2200 and m between 1 and 12 then make_date(y, m, 1) end as period,
      v as value,
      MAP {'indicator': ind} as dims,
      ${rejectColumns([
        {
          when: "not regexp_full_match(coalesce(code, ''), '[A-Z]{2}')",
          column: "'state'",
          value: 'state',
          reason: rejectReason('notUsps'),
        },
        {
          when: 'y is null or y not between 1800 and 2200',
          column: "'year'",
          value: 'year',
          reason: rejectReason('notAYear'),
        },
        {
          when: 'm is null or m = 0',
          column: "'month'",
          value: 'month',
          reason: rejectReason('englishMonth'),
        },
        {
          when: "coalesce(trim(period), '') != '12 month-ending'",
          column: "'period'",
          value: 'period',
          reason: rejectReason('onlyTwelveMonth'),
        },
        {
          when: 'text_value is not null and v is null',
          column: "'data_value'",
          value: 'data_value',
          reason: rejectReason('notANumber'),
        },
        {
          when: 'text_value is not null and v < 0',
          column: "'data_value'",
          value: 'data_value',
          reason: rejectReason('negativeCount'),
        },
      ])}
    from typed`,
};
