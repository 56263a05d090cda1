/**
 * XLSX output through one escaping writer, with `exceljs` (maintained, pure JavaScript, works offline on
 * Node 20): a table on one sheet with a bold, frozen header row and a filter, numbers as numbers, empty
 * cells for null, and text that a spreadsheet would read as a formula neutralised with a leading `'`, the
 * same rule as the CSV writer (`csv.ts`). A text cell in an XLSX file is never evaluated as it is; the
 * guard protects the reader who copies it, or saves the sheet as CSV and opens it again.
 * @module
 */
import ExcelJS from 'exceljs';
import { neutralised } from './csv.js';

/** A cell as the writer stores it. */
function cellValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  return neutralised(value instanceof Date ? value.toISOString() : String(value));
}

/** `columns` and `rows` as an XLSX workbook of one sheet named `sheet`. */
export async function xlsxTable(
  sheet: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Marco';
  // A fixed date: the same table always gives the same workbook properties.
  book.created = new Date(0);
  book.modified = new Date(0);
  const ws = book.addWorksheet(sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(columns.map((c) => neutralised(c)));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(row.map(cellValue));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, columns.length) } };
  columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = Math.min(60, Math.max(10, c.length + 2));
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
