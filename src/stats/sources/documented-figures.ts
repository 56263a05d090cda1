/**
 * Figures stated in published analyses of U.S.–Mexico security cooperation, each with its measure, place,
 * period, value, unit, sentence and citation: the claims that `marco claims check` recomputes from the
 * raw data. Marco ships this table as reference data (literature/documented-figures.csv).
 * @module
 */
import { readCsvText, sqlString, type Source, type SourceLayout } from '../source.js';
import { rejectReason } from '../reject-reasons.js';

export const documentedFigures: Source = {
  id: 'documented-figures',
  title: {
    en: 'Documented figures from published analyses',
    es: 'Cifras documentadas en análisis publicados',
  },
  publisher: 'Marco, compiled from the cited policy analyses',
  licence: 'Facts quoted with their citations',
  attribution: 'Each figure carries its own citation',
  landing: 'shipped with Marco: reference/literature/documented-figures.csv',
  measures: [],
  kind: 'figures',
  layouts: [
    {
      name: 'figures',
      delimiter: ',',
      header: ['figure_id', 'measure', 'geo', 'period', 'value', 'unit', 'statement', 'source'],
    },
  ],
  staging: (csv: string, layout: SourceLayout) => `
    with raw as (${readCsvText(csv, layout.delimiter)})
    select line, trim(figure_id) as figure_id, trim(measure) as measure, trim(geo) as geo, trim(period) as period,
      trim(value) as value_text, try_cast(trim(value) as double) as value, trim(unit) as unit,
      trim(statement) as statement, trim(source) as citation,
      null::varchar as qualifier, null::varchar as confidence, null::varchar as url, null::varchar as note,
      case when coalesce(trim(figure_id), '') = '' then 'figure_id'
           when coalesce(trim(measure), '') = '' then 'measure'
           when coalesce(trim(value), '') = '' then 'value'
           when coalesce(trim(source), '') = '' then 'source' end as reject_column,
      null::varchar as reject_value,
      case when coalesce(trim(figure_id), '') = '' then ${sqlString(rejectReason('emptyFigureId'))}
           when coalesce(trim(measure), '') = '' then ${sqlString(rejectReason('emptyMeasure'))}
           when coalesce(trim(value), '') = '' then ${sqlString(rejectReason('emptyValue'))}
           when coalesce(trim(source), '') = '' then ${sqlString(rejectReason('needsCitation'))} end as reject_reason
    from raw`,
};
