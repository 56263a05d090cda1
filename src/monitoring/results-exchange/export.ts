/**
 * Exporting results in the bulk exchange format (`format.ts`): the rows sorted by indicator, period,
 * place and disaggregation, as CSV or JSON, so the same results give the same file, and a file exported,
 * edited and imported exports again as edited. Written by `marco results export` and by
 * `GET /api/v1/results` as CSV.
 * @module
 */
import { csvLines, type CsvOptions } from '../../csv.js';
import type { ResultView } from '../../records/result-repository.js';
import { EXCHANGE_COLUMNS } from './format.js';

/** A result as the records store lists it. */
export type ExportedResult = Pick<
  ResultView,
  | 'indicator'
  | 'period'
  | 'place'
  | 'disaggregation'
  | 'value'
  | 'numerator'
  | 'denominator'
  | 'comment'
  | 'evidence'
>;

/** `dimension:category` pairs separated by semicolons, in dimension order; empty without any. */
export const disaggregationText = (d: Record<string, string>) =>
  Object.keys(d)
    .sort()
    .map((k) => `${k}:${d[k]}`)
    .join(';');

const order = (a: ExportedResult, b: ExportedResult) =>
  a.indicator.localeCompare(b.indicator) ||
  a.period.localeCompare(b.period) ||
  a.place.localeCompare(b.place) ||
  disaggregationText(a.disaggregation).localeCompare(disaggregationText(b.disaggregation));

/** The results as the rows of the format, in its order. */
export function exchangeTable(results: readonly ExportedResult[]) {
  return {
    columns: EXCHANGE_COLUMNS,
    rows: [...results]
      .sort(order)
      .map((r) => [
        r.indicator,
        r.period,
        r.place,
        disaggregationText(r.disaggregation),
        r.value,
        r.numerator,
        r.denominator,
        r.comment,
        r.evidence,
      ]),
  };
}

/** The results as a bulk CSV file. */
export function exchangeCsv(results: readonly ExportedResult[], options?: CsvOptions): string {
  const table = exchangeTable(results);
  return csvLines([table.columns], options) + csvLines(table.rows, options);
}

/** The results as a bulk JSON document. */
export function exchangeJson(results: readonly ExportedResult[]) {
  return {
    marco: 'results/1',
    results: [...results].sort(order).map((r) => ({
      indicator: r.indicator,
      period: r.period,
      place: r.place,
      disaggregation: r.disaggregation,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      comment: r.comment,
      evidence: r.evidence,
    })),
  };
}
