/**
 * CSV output: one cell, quoted when it holds a comma, a quote or a line break; empty for null.
 * @module
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
