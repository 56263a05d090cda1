/**
 * One result of a bulk file as a reader gives it to the import, whatever the file's layout (the exchange
 * format of `format.ts`, the eTrace layout of `etrace.ts`).
 * @module
 */

/** One result of a bulk file, as read. */
export interface ExchangeRow {
  indicator: string;
  period: string;
  place: string;
  disaggregation: Record<string, string>;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  comment: string | null;
  evidence: string | null;
  /** The version the file was exported at, when it says. */
  version?: number;
  /** Where the row is: `file:line` (CSV) or `file: results[3]` (JSON). */
  where: string;
}
