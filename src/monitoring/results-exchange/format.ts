/**
 * The bulk exchange format of results, in the spirit of DHIS2's `dataValueSets`: one row per result
 * (indicator, period, place, disaggregation, value, numerator, denominator, comment, evidence link), as
 * CSV with a header line or as JSON (`{"marco": "results/1", "results": [...]}`, or the array alone).
 * The disaggregation is `dimension:category` pairs separated by semicolons in CSV, an object in JSON.
 * Reading checks the header and every cell, and says where a problem is: file, line and column.
 * `docs/results-exchange.md` documents it.
 * @module
 */
import type { ExchangeRow } from './exchange-row.js';
import { isEtraceHeader, readEtraceCsv } from './etrace.js';
import { readCsvRecords } from '../../csv-read.js';
import { ValidationError, textIssue, type Issue } from '../../error.js';

/** The columns of the format, in order. */
export const EXCHANGE_COLUMNS = [
  'indicator',
  'period',
  'place',
  'disaggregation',
  'value',
  'numerator',
  'denominator',
  'comment',
  'evidence',
] as const;

/**
 * Columns a file may carry and the import reads no value from (a results table from the API, say):
 * they describe a result's workflow and owner, which an import does not set. `version`, when present,
 * must be the version stored: a row changed since it was exported is a conflict.
 */
export const INFORMATIVE_COLUMNS = ['status', 'id', 'version', 'program', 'country', 'agency', 'updated_at'];

export type { ExchangeRow } from './exchange-row.js';

const REQUIRED = ['indicator', 'period', 'place'] as const;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** `sex:female;age:15-29` → `{ sex: 'female', age: '15-29' }`; throws the pair it cannot read. */
export function parseDisaggregation(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) throw new Error(pair);
    out[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return out;
}

/**
 * Reads a bulk CSV file; `file` names it in messages. Refuses a wrong header or a bad cell, listing all.
 * A file in the eTrace layout of firearms traces (`etrace.ts`) is read as results of `indicator`.
 */
export function readExchangeCsv(text: string, file: string, indicator?: string): ExchangeRow[] {
  const { header, records } = readCsvRecords(text, file, 'exchange.unreadable');
  if (isEtraceHeader(header)) return readEtraceCsv(text, file, indicator);
  checkHeader(header, file);
  const issues: Issue[] = [];
  const rows: ExchangeRow[] = [];
  for (const { record, line } of records) {
    const at = (column: string) => `${file}:${line}:${header.indexOf(column) + 1} (${column})`;
    rows.push(rowOf(record, `${file}:${line}`, at, issues));
  }
  if (issues.length > 0) throw new ValidationError(issues, file);
  return rows;
}

function checkHeader(header: string[], file: string) {
  const known = new Set<string>([...EXCHANGE_COLUMNS, ...INFORMATIVE_COLUMNS]);
  const unknown = header.filter((c) => !known.has(c));
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const valueless =
    !header.includes('value') && !(header.includes('numerator') && header.includes('denominator'));
  if (unknown.length || missing.length || valueless)
    throw new ValidationError(
      [
        textIssue(`${file}:1`, 'exchange.header', {
          unknown: unknown.join(', ') || '—',
          missing: [...missing, ...(valueless ? ['value'] : [])].join(', ') || '—',
          expected: EXCHANGE_COLUMNS.join(','),
        }),
      ],
      file,
    );
}

function rowOf(
  cells: Record<string, unknown>,
  where: string,
  at: (column: string) => string,
  issues: Issue[],
): ExchangeRow {
  const text = (column: string): string | null => {
    const v = cells[column];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') {
      issues.push(textIssue(at(column), 'exchange.notText', { value: JSON.stringify(v) }));
      return null;
    }
    return v;
  };
  const number = (column: string): number | null => {
    const v = cells[column];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && NUMBER.test(v.trim())) return Number(v);
    issues.push(textIssue(at(column), 'exchange.notNumber', { value: String(v) }));
    return null;
  };
  for (const column of REQUIRED)
    if (text(column) === null) issues.push(textIssue(at(column), 'exchange.required', { column }));
  const d = cells.disaggregation;
  let disaggregation: Record<string, string> = {};
  if (typeof d === 'string' && d !== '')
    try {
      disaggregation = parseDisaggregation(d);
    } catch (pair) {
      issues.push(textIssue(at('disaggregation'), 'exchange.pair', { pair: String(pair) }));
    }
  else if (d && typeof d === 'object' && !Array.isArray(d))
    disaggregation = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, String(v)]));
  const version = number('version');
  return {
    indicator: text('indicator') ?? '',
    period: text('period') ?? '',
    place: text('place') ?? '',
    disaggregation,
    value: number('value'),
    numerator: number('numerator'),
    denominator: number('denominator'),
    comment: text('comment'),
    evidence: text('evidence'),
    ...(version === null ? {} : { version }),
    where,
  };
}

/** Reads a bulk JSON document: `{"marco": "results/1", "results": [...]}` or the array alone. */
export function readExchangeJson(text: string, file: string): ExchangeRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ValidationError(
      [textIssue(file, 'exchange.unreadable', { reason: (error as Error).message })],
      file,
    );
  }
  const list = Array.isArray(data) ? data : (data as { results?: unknown } | null)?.results;
  if (!Array.isArray(list)) throw new ValidationError([textIssue(file, 'exchange.jsonShape', {})], file);
  const issues: Issue[] = [];
  const rows = list.map((item, i) => {
    const where = `${file}: results[${i}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      issues.push(textIssue(where, 'exchange.jsonShape', {}));
      return undefined;
    }
    const keys = Object.keys(item);
    const known = new Set<string>([...EXCHANGE_COLUMNS, ...INFORMATIVE_COLUMNS]);
    for (const k of keys.filter((k) => !known.has(k)))
      issues.push(
        textIssue(`${where}.${k}`, 'exchange.unknownField', {
          field: k,
          expected: EXCHANGE_COLUMNS.join(', '),
        }),
      );
    return rowOf(item as Record<string, unknown>, where, (c) => `${where}.${c}`, issues);
  });
  if (issues.length > 0) throw new ValidationError(issues, file);
  return rows as ExchangeRow[];
}

/** Reads a bulk file by its name or, for `-` and uploads, by its first character. */
export function readExchange(text: string, file: string, indicator?: string): ExchangeRow[] {
  const json = /\.json$/i.test(file) || /^\s*[[{]/.test(text.replace(/^\uFEFF/, ''));
  return json ? readExchangeJson(text, file) : readExchangeCsv(text, file, indicator);
}
