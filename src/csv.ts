/**
 * CSV output, through one escaping writer: a cell is quoted when it holds a comma, a quote or a line
 * break, empty for null, and a text cell that a spreadsheet would read as a formula (it starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised with a leading `'`, as OWASP advises
 * against CSV injection. Numbers are written as numbers: `-3.5` stays a negative number.
 * @module
 */

/** Text a spreadsheet would evaluate: `=HYPERLINK(…)`, `+cmd`, `-2+3`, `@SUM(…)`. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value !== 'number' && typeof value !== 'bigint' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
