/**
 * U.S. Customs and Border Protection drug seizures, nationwide, by federal fiscal year and month, component
 * (Office of Field Operations, U.S. Border Patrol), region, land filter, area of responsibility and drug:
 * event counts and pounds. The fiscal year starts in October, so `FY 2023, OCT` is October 2022; a
 * current year is marked `2026 (FYTD)`. Each line gives two observations, `drug_seizure_events` and
 * `drug_seizures_lbs`, for the United States as a whole.
 * @module
 */
import { readCsvText, rejectColumns, sqlString, type Source, type SourceLayout } from '../source.js';
import { rejectReason } from '../reject-reasons.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function staging(csv: string, layout: SourceLayout): string {
  const rules = rejectColumns([
    {
      when: 'fy is null or fy not between 1801 and 2200',
      column: "'FY'",
      value: 'fy_text',
      reason: rejectReason('cbpFiscalYear'),
    },
    {
      when: 'm = 0',
      column: "'Month (abbv)'",
      value: 'month_text',
      reason: rejectReason('monthAbbreviation'),
    },
    {
      when: "coalesce(drug, '') = ''",
      column: "'Drug Type'",
      value: 'drug',
      reason: rejectReason('emptyDrugType'),
    },
    {
      when: "measure = 'drug_seizure_events' and (v is null or v != floor(v))",
      column: "'Count of Event'",
      value: 'cell',
      reason: rejectReason('notWholeNumber'),
    },
    {
      when: "measure = 'drug_seizures_lbs' and v is null and coalesce(cell, '') != ''",
      column: "'Sum Qty (lbs)'",
      value: 'cell',
      reason: rejectReason('notANumber'),
    },
    { when: 'v < 0', column: 'column_name', value: 'cell', reason: rejectReason('negativeValue') },
  ]);
  return `
    with raw as (${readCsvText(csv, layout.delimiter, layout.header)}),
    typed as (
      select line, trim(fy) as fy_text, trim(month_abbv) as month_text,
        try_cast(regexp_extract(trim(fy), '^(\\d{4})( \\(FYTD\\))?$', 1) as integer) as fy,
        coalesce(list_position(${`[${MONTHS.map(sqlString).join(', ')}]`}, upper(trim(month_abbv))), 0) as m,
        trim(component) as component, trim(region) as region, trim(land_filter) as land_filter,
        trim(area_of_responsibility) as aor, trim(drug_type) as drug,
        count_of_event, sum_qty_lbs
      from raw),
    cells as (
      select *, 'drug_seizure_events' as measure, 'Count of Event' as column_name, trim(count_of_event) as cell from typed
      union all
      select *, 'drug_seizures_lbs', 'Sum Qty (lbs)', trim(sum_qty_lbs) from typed),
    valued as (select *, try_cast(cell as double) as v from cells)
    select line, measure, 'country' as geo_level, 'US' as geo, 'month' as granularity,
      -- October to December belong to the fiscal year that ends the next September.
      case when fy between 1801 and 2200 and m > 0 then make_date(case when m >= 10 then fy - 1 else fy end, m, 1) end as period,
      v as value,
      MAP {'component': component, 'region': region, 'land_filter': land_filter, 'area_of_responsibility': aor, 'drug': drug} as dims,
      ${rules}
    from valued`;
}

export const cbpDrugSeizures: Source = {
  country: 'US',
  id: 'cbp-drug-seizures',
  title: {
    en: 'CBP drug seizures by month, component, area and drug',
    es: 'Decomisos de drogas de la CBP por mes, componente, área y droga',
  },
  publisher: 'U.S. Customs and Border Protection (CBP), Drug Seizure Statistics',
  licence: 'U.S. federal government work: public domain',
  attribution: 'U.S. Customs and Border Protection, Drug Seizure Statistics (nationwide)',
  landing: 'https://www.cbp.gov/newsroom/stats/drug-seizure-statistics',
  measures: ['drug_seizure_events', 'drug_seizures_lbs'],
  kind: 'observations',
  layouts: [
    {
      name: 'nationwide-drugs',
      delimiter: ',',
      header: [
        'fy',
        'month_abbv',
        'component',
        'region',
        'land_filter',
        'area_of_responsibility',
        'drug_type',
        'count_of_event',
        'sum_qty_lbs',
      ],
    },
  ],
  staging,
};
