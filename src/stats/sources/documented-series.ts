/**
 * Cited series on U.S.–Mexico security cooperation: Mérida requests, appropriations and deliveries,
 * firearms traced and seized, extraditions, National Guard strength and military deployment. Each row
 * is a documented figure (measure, place, period, value, unit, verbatim statement, citation) with a
 * qualifier (exact, approx, lower or upper bound), a confidence level (primary, secondary, low), the
 * source's address and a note. Marco ships the table as reference data
 * (reference/literature/documented-series.csv, described in documented-series.md there): two rules
 * hold for every reader, and every surface keeps them. Rows marked cumulative are never summed with
 * yearly rows, and conflicting figures are kept side by side, never averaged.
 * @module
 */
import { readCsvText, sqlString, type Source, type SourceLayout } from '../source.js';
import { rejectReason } from '../reject-reasons.js';

export const QUALIFIERS = ['exact', 'approx', 'lower_bound', 'upper_bound'] as const;
export const CONFIDENCE = ['primary', 'secondary', 'low'] as const;

const list = (values: readonly string[]) => values.map(sqlString).join(', ');

export const documentedSeries: Source = {
  id: 'documented-series',
  title: {
    en: 'Documented series: Mérida funding, firearms, extraditions and the National Guard',
    es: 'Series documentadas: fondos de Mérida, armas de fuego, extradiciones y Guardia Nacional',
  },
  publisher: 'Marco, compiled from GAO, CRS, State Department, U.S. Embassy, ATF and cited news reports',
  licence: 'Facts quoted with their citations',
  attribution: 'Each figure carries its own citation and address',
  landing: 'shipped with Marco: reference/literature/documented-series.csv',
  measures: [],
  kind: 'figures',
  layouts: [
    {
      name: 'series',
      delimiter: ',',
      header: [
        'figure_id',
        'measure',
        'geo',
        'period',
        'value',
        'unit',
        'qualifier',
        'confidence',
        'statement',
        'source',
        'url',
        'note',
      ],
    },
  ],
  staging: (csv: string, layout: SourceLayout) => `
    with raw as (${readCsvText(csv, layout.delimiter)}),
    typed as (
      select line, trim(figure_id) as figure_id, trim(measure) as measure, trim(geo) as geo,
        trim(period) as period, trim(value) as value_text, try_cast(trim(value) as double) as value,
        trim(unit) as unit, trim(statement) as statement, trim(source) as citation,
        lower(trim(qualifier)) as qualifier, lower(trim(confidence)) as confidence,
        nullif(trim(url), '') as url, nullif(trim(note), '') as note
      from raw)
    select *,
      case when coalesce(figure_id, '') = '' then 'figure_id'
           when coalesce(measure, '') = '' then 'measure'
           when coalesce(value_text, '') = '' then 'value'
           when coalesce(citation, '') = '' then 'source'
           when coalesce(qualifier, '') not in (${list(QUALIFIERS)}) then 'qualifier'
           when coalesce(confidence, '') not in (${list(CONFIDENCE)}) then 'confidence' end as reject_column,
      case when coalesce(qualifier, '') not in (${list(QUALIFIERS)}) then qualifier
           when coalesce(confidence, '') not in (${list(CONFIDENCE)}) then confidence end as reject_value,
      case when coalesce(figure_id, '') = '' then ${sqlString(rejectReason('emptyFigureId'))}
           when coalesce(measure, '') = '' then ${sqlString(rejectReason('emptyMeasure'))}
           when coalesce(value_text, '') = '' then ${sqlString(rejectReason('emptyValue'))}
           when coalesce(citation, '') = '' then ${sqlString(rejectReason('needsCitation'))}
           when coalesce(qualifier, '') not in (${list(QUALIFIERS)}) then ${sqlString(rejectReason('figureQualifier'))}
           when coalesce(confidence, '') not in (${list(CONFIDENCE)}) then ${sqlString(rejectReason('figureConfidence'))} end as reject_reason
    from typed`,
};
