/**
 * U.S. foreign assistance by country, federal fiscal year and transaction type, from USAID's Foreign Aid
 * Explorer (the country summary file), in current and constant dollars. One country is imported at a
 * time (`--param country=MEX`, the default): the file lists every recipient.
 *
 * `Fiscal Year` is text: besides years it holds `1976tq`, the July–September 1976 transition quarter
 * when the federal fiscal year moved from July to October, which belongs to no fiscal year and is
 * skipped. A fiscal year is stored as the period starting on 1 October of the previous calendar year.
 * @module
 */
import {
  readCsvText,
  rejectColumns,
  sqlString,
  wholeNumber,
  type Source,
  type SourceLayout,
} from '../source.js';
import { rejectReason } from '../reject-reasons.js';

/** ISO 3166 alpha-3 codes of the two partners, stored as Marco's country nodes. */
const COUNTRY_NODES: Record<string, string> = { MEX: 'MX', USA: 'US' };

function staging(csv: string, layout: SourceLayout, params: Record<string, string>): string {
  const country = params.country!;
  const geo = COUNTRY_NODES[country] ?? country;
  return `
    with raw as (${readCsvText(csv, layout.delimiter, layout.header)}),
    mine as (select * from raw where upper(trim(country_code)) = ${sqlString(country)}),
    typed as (
      select line, trim(fiscal_year) as fy_text, ${wholeNumber('fiscal_year')} as fy,
        trim(transaction_type_name) as transaction_type, current_amount, constant_amount
      from mine),
    cells as (
      select *, 'us_assistance_usd' as measure, 'current_amount' as column_name, trim(current_amount) as cell from typed
      union all
      select *, 'us_assistance_usd_constant', 'constant_amount', trim(constant_amount) from typed),
    valued as (select *, try_cast(cell as double) as v from cells)
    select line, measure, 'country' as geo_level, ${sqlString(geo)} as geo, 'fiscal_year' as granularity,
      case when fy between 1801 and 2200 then make_date(fy - 1, 10, 1) end as period,
      case when fy between 1801 and 2200 then v end as value,
      MAP {'transaction_type': transaction_type} as dims,
      ${rejectColumns([
        {
          when: "(fy is null and lower(coalesce(fy_text, '')) != '1976tq') or fy not between 1801 and 2200",
          column: "'Fiscal Year'",
          value: 'fy_text',
          reason: rejectReason('usaidFiscalYear'),
        },
        {
          when: "coalesce(transaction_type, '') = ''",
          column: "'Transaction Type Name'",
          value: 'null',
          reason: rejectReason('emptyTransactionType'),
        },
        {
          when: "v is null and coalesce(cell, '') != ''",
          column: 'column_name',
          value: 'cell',
          reason: rejectReason('notANumber'),
        },
      ])}
    from valued`;
}

export const usaidForeignAid: Source = {
  id: 'usaid-foreign-aid',
  title: {
    en: 'U.S. foreign assistance by fiscal year and transaction type (Foreign Aid Explorer)',
    es: 'Asistencia exterior de EE. UU. por año fiscal y tipo de transacción (Foreign Aid Explorer)',
  },
  publisher:
    'USAID, Foreign Aid Explorer (ForeignAssistance.gov); country file republished by lublog/ForeignAssistance',
  licence: 'U.S. federal government work: public domain',
  attribution: 'USAID, Foreign Aid Explorer: U.S. foreign assistance by country',
  landing: 'https://foreignassistance.gov/data',
  measures: ['us_assistance_usd', 'us_assistance_usd_constant'],
  kind: 'observations',
  params: [
    {
      name: 'country',
      description: {
        en: 'the recipient country, as its ISO 3166 alpha-3 code (MEX is stored as MX)',
        es: 'el país receptor, con su código ISO 3166 alfa-3 (MEX se guarda como MX)',
      },
      default: 'MEX',
      pattern: /^[A-Z]{3}$/,
      expected: 'imports.param.alpha3',
    },
  ],
  replaces: 'places-and-periods',
  layouts: [
    {
      name: 'aid-explorer-country',
      delimiter: ',',
      header: [
        'country_code',
        'country_name',
        'region_id',
        'region_name',
        'income_group_acronym',
        'income_group_name',
        'transaction_type_id',
        'transaction_type_name',
        'fiscal_year',
        'current_amount',
        'constant_amount',
      ],
    },
  ],
  staging,
};
