/**
 * The funding CSV layout (`docs/funding-format.md`): one funding line per row, with a header line, so
 * that an office can export from its financial system and load into Marco. Reading checks the header,
 * then every cell against the funding line's schema, and says where each problem is: file, line and
 * column. Writing goes through the one escaping CSV writer (`src/csv.ts`), with the same columns.
 * @module
 */
import { csvLines } from '../csv.js';
import { readCsvRecords } from '../csv-read.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { FundingLine, type FundingLineInput } from '../domain/funding/funding-schema.js';
import { ValidationError, textIssue, type Issue } from '../error.js';
import type { StoredFundingLine } from '../records/funding-repository.js';

/** The columns of the layout, in order. */
export const FUNDING_COLUMNS = [
  'fiscal_year',
  'account',
  'stage',
  'program',
  'node',
  'amount',
  'currency',
  'source',
  'note',
  'country',
  'agency',
  'classification',
] as const;

/** Columns a file may carry that the import reads no value from (a table written by Marco). */
export const FUNDING_INFORMATIVE = ['id', 'status', 'version', 'updated_at'] as const;

const REQUIRED = ['fiscal_year', 'account', 'stage', 'amount', 'source'] as const;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** One line as read, with where it is (`file:line`) and where each of its columns is. */
export interface FundingRow {
  line: FundingLineInput;
  where: string;
  at: (column: string) => string;
}

/** Reads a funding CSV; `file` names it in messages. Refuses a wrong header or a bad cell, listing all. */
export function readFundingCsv(text: string, file: string): FundingRow[] {
  const { header, records } = readCsvRecords(text, file, 'funding.csv.unreadable');
  checkHeader(header, file);
  const issues: Issue[] = [];
  const rows: FundingRow[] = [];
  for (const { record, line } of records) {
    const at = (column: string) =>
      header.includes(column)
        ? `${file}:${line}:${header.indexOf(column) + 1} (${column})`
        : `${file}:${line} (${column})`;
    const input = inputOf(record, at, issues);
    if (!input) continue;
    const parsed = safeParseInput(FundingLine, input);
    if (!parsed.success) {
      for (const issue of zodIssues(parsed.error)) {
        const column = issue.path.split(/[.[]/)[0] ?? '';
        issues.push({ ...issue, path: at(column || 'program') });
      }
      continue;
    }
    rows.push({ line: parsed.data, where: `${file}:${line}`, at });
  }
  if (issues.length > 0) throw new ValidationError(issues, file);
  return rows;
}

function checkHeader(header: string[], file: string) {
  const known = new Set<string>([...FUNDING_COLUMNS, ...FUNDING_INFORMATIVE]);
  const unknown = header.filter((c) => !known.has(c));
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const target = header.includes('program') || header.includes('node');
  if (unknown.length || missing.length || !target)
    throw new ValidationError(
      [
        textIssue(`${file}:1`, 'funding.csv.header', {
          unknown: unknown.join(', ') || '—',
          missing: [...missing, ...(target ? [] : ['program'])].join(', ') || '—',
          expected: FUNDING_COLUMNS.join(','),
        }),
      ],
      file,
    );
}

/** The row's cells as the schema's input: empty cells left out, the amount and version as numbers. */
function inputOf(
  record: Record<string, string>,
  at: (column: string) => string,
  issues: Issue[],
): Record<string, unknown> | undefined {
  const input: Record<string, unknown> = {};
  let bad = false;
  for (const column of FUNDING_COLUMNS) {
    const cell = record[column]?.trim();
    if (cell === undefined || cell === '') continue;
    if (column === 'amount') {
      if (!NUMBER.test(cell)) {
        issues.push(textIssue(at(column), 'funding.csv.notNumber', { value: cell }));
        bad = true;
      } else input.amount = Number(cell);
    } else input[column] = cell;
  }
  const version = record.version?.trim();
  if (version) {
    if (/^[1-9]\d*$/.test(version)) input.version = Number(version);
    else {
      issues.push(textIssue(at('version'), 'funding.csv.notNumber', { value: version }));
      bad = true;
    }
  }
  return bad ? undefined : input;
}

/** Stored lines as the layout's rows, with their review status, id and version after the columns it reads. */
export function fundingRows(lines: readonly StoredFundingLine[]): unknown[][] {
  return lines.map((l) => [
    l.fiscal_year,
    l.account,
    l.stage,
    l.program,
    l.node,
    l.amount,
    l.currency,
    l.source,
    l.note,
    l.country,
    l.agency,
    l.classification,
    l.id,
    l.status,
    l.version,
    l.updated_at,
  ]);
}

/** Stored lines in the layout, with the header. */
export function fundingCsv(lines: readonly StoredFundingLine[], options: { crlf?: boolean } = {}): string {
  return csvLines([[...FUNDING_COLUMNS, ...FUNDING_INFORMATIVE], ...fundingRows(lines)], options);
}
