/**
 * CSV output, through one escaping writer (`csv-stringify`, the CSV project's maintained writer): a cell
 * is quoted when it holds a comma, a quote or a line break, empty for null, and a text cell that a
 * spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is
 * neutralised with a leading `'`, as OWASP advises against CSV injection. Numbers are written as
 * numbers: `-3.5` stays a negative number. Downloads may start with a byte-order mark and end lines with
 * CRLF, as Excel prefers.
 * @module
 */
import { stringify, type Options } from 'csv-stringify/sync';

/** Text a spreadsheet would evaluate: `=HYPERLINK(…)`, `+cmd`, `-2+3`, `@SUM(…)`. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The UTF-8 byte-order mark, which tells Excel the file is UTF-8. */
export const CSV_BOM = '\uFEFF';

/** How a download's lines end: `\n`, or `\r\n` for Excel. */
export interface CsvOptions {
  crlf?: boolean;
}

const options = (o: CsvOptions = {}): Options => ({
  record_delimiter: o.crlf ? 'windows' : 'unix',
  // A carriage return alone is a line break to a spreadsheet too.
  quoted_match: /\r/,
  cast: {
    string: (text) => (FORMULA_START.test(text) ? `'${text}` : text),
    boolean: (b) => String(b),
    number: (n) => String(n),
    bigint: (n) => String(n),
    date: (d) => d.toISOString(),
  },
});

/** `rows` as CSV lines, each ended by a line break, every cell escaped. */
export function csvLines(rows: readonly (readonly unknown[])[], o?: CsvOptions): string {
  return rows.length === 0 ? '' : stringify(rows as unknown[][], options(o));
}

/** One cell, escaped as `csvLines` escapes it. */
export function csvCell(value: unknown): string {
  return csvLines([[value]]).slice(0, -1);
}
