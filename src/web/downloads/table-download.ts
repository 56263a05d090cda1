/**
 * Records as a CSV download: a header line and one line per row, through the one escaping writer
 * (`csv.ts`), named for the file a spreadsheet saves, with the audit head it came from. Results and
 * scorecards are small enough to write at once; series stream (`series-download.ts`).
 * @module
 */
import type { Context } from 'hono';
import { CSV_BOM, csvLines } from '../../csv.js';
import type { RecordsStore } from '../../records/database.js';
import { auditHeadHeader } from '../../records/audit.js';

export async function tableCsvResponse(
  c: Context,
  store: RecordsStore,
  name: string,
  table: { columns: readonly string[]; rows: readonly (readonly unknown[])[] },
  excel: boolean,
): Promise<Response> {
  const options = { crlf: excel };
  const text = `${excel ? CSV_BOM : ''}${csvLines([table.columns], options)}${csvLines(table.rows, options)}`;
  return c.body(text, 200, {
    'content-type': 'text/csv; charset=utf-8; header=present',
    'content-disposition': `attachment; filename="marco-${name}.csv"`,
    'Marco-Audit-Head': await auditHeadHeader(store.db),
  });
}
