/**
 * CSV input for the layouts people write (the results exchange, funding lines): `csv-parse` reads the
 * file with its header, and each record comes with the line it starts on, so that a problem can be
 * reported as `file:line:column`. A file `csv-parse` cannot read is refused with the line it stopped at.
 * @module
 */
import { parse } from 'csv-parse/sync';
import { ValidationError, textIssue } from './error.js';

/** One record of a file, by header name, and the line it starts on (the header is line 1). */
export interface CsvRecord {
  record: Record<string, string>;
  line: number;
}

/**
 * The header and records of `text`; `file` names it in messages, and `unreadable` is the catalog key of
 * the message for a file that is not CSV (it receives `reason`).
 */
export function readCsvRecords(
  text: string,
  file: string,
  unreadable: string,
): { header: string[]; records: CsvRecord[] } {
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      info: true,
      bom: true,
      skip_empty_lines: true,
    });
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new ValidationError(
      [textIssue(`${file}:${e.lines ?? 1}`, unreadable, { reason: e.message })],
      file,
    );
  }
  const records: CsvRecord[] = [];
  let previous = 1;
  for (const { record, info } of parsed) {
    records.push({ record, line: previous + 1 });
    previous = info.lines;
  }
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const header = parsed[0] ? Object.keys(parsed[0].record) : first.split(',').map((c) => c.trim());
  return { header, records };
}
