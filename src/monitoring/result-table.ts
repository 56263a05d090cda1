/**
 * The long table of results: one row per result, as the bulk exchange format writes it (indicator,
 * period, place, disaggregation, value, comment, evidence link) with the workflow and ownership
 * columns a reviewer needs. Downloaded from `GET /api/v1/results` as CSV.
 * @module
 */
import type { ResultView } from '../records/result-repository.js';

/** A result as the records store lists it. */
export type ResultRow = Pick<
  ResultView,
  | 'id'
  | 'indicator'
  | 'program'
  | 'period'
  | 'place'
  | 'disaggregation'
  | 'value'
  | 'numerator'
  | 'denominator'
  | 'comment'
  | 'evidence'
  | 'status'
  | 'country'
  | 'agency'
  | 'version'
  | 'updated_at'
>;

export const RESULT_COLUMNS = [
  'indicator',
  'period',
  'place',
  'disaggregation',
  'value',
  'numerator',
  'denominator',
  'comment',
  'evidence',
  'status',
  'id',
  'version',
  'program',
  'country',
  'agency',
  'updated_at',
] as const;

/** `dimension:category` pairs separated by semicolons, in dimension order; empty without any. */
export const disaggregationText = (d: Record<string, string>) =>
  Object.keys(d)
    .sort()
    .map((k) => `${k}:${d[k]}`)
    .join(';');

export function resultTable(results: readonly ResultRow[]) {
  return {
    columns: RESULT_COLUMNS,
    rows: results.map((r) => [
      r.indicator,
      r.period,
      r.place,
      disaggregationText(r.disaggregation),
      r.value,
      r.numerator,
      r.denominator,
      r.comment,
      r.evidence,
      r.status,
      r.id,
      r.version,
      r.program,
      r.country,
      r.agency,
      r.updated_at,
    ]),
  };
}
