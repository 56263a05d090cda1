/**
 * The eTrace-style layout of firearms traces, as the U.S. ATF's eTrace country reports and the GAO tables
 * built on them give them: one row per Mexican state (or `MX` for the whole country) and year, with the
 * firearms recovered there and traced, and how many of those were found U.S.-sourced:
 *
 *     state,year,traced,us_sourced[,source]
 *     08,2019,1234,890,"ATF eTrace, Mexico 2019"
 *
 * A state is its INEGI code (`8` is read as `08`); a year is `2019` or a span of several, `2014/2018`; both counts are
 * whole numbers, U.S.-sourced never above traced. Each row becomes one result of the indicator the
 * import names (the example workspace's `EX-FIREARMS-US-SOURCED`: numerator U.S.-sourced, denominator
 * traced), imported by the same all-or-nothing, audited import as every bulk results file.
 * `docs/results-exchange.md` documents it.
 * @module
 */
import { readCsvRecords } from '../../csv-read.js';
import { ValidationError, textIssue, type Issue } from '../../error.js';
import type { ExchangeRow } from './exchange-row.js';

export const ETRACE_COLUMNS = ['state', 'year', 'traced', 'us_sourced'] as const;
const OPTIONAL = ['source'] as const;

/** Whether a CSV header is the eTrace layout's (case and surrounding spaces aside). */
export function isEtraceHeader(header: readonly string[]): boolean {
  const names = header.map((h) => h.trim().toLowerCase());
  return ETRACE_COLUMNS.every((c) => names.includes(c));
}

const WHOLE = /^\d{1,9}$/;
const YEAR = /^(\d{4})(?:\/(\d{4}))?$/;

/**
 * Reads an eTrace-style CSV file as results of `indicator`; `file` names it in messages. Refuses an
 * unknown column or a bad cell, listing every one with its line and column.
 */
export function readEtraceCsv(text: string, file: string, indicator: string | undefined): ExchangeRow[] {
  const { header, records } = readCsvRecords(text, file, 'exchange.unreadable');
  const names = header.map((h) => h.trim().toLowerCase());
  const known = new Set<string>([...ETRACE_COLUMNS, ...OPTIONAL]);
  const unknown = header.filter((_, i) => !known.has(names[i]!));
  if (unknown.length || !isEtraceHeader(header))
    throw new ValidationError(
      [
        textIssue(`${file}:1`, 'exchange.etraceHeader', {
          unknown: unknown.join(', ') || '—',
          expected: [...ETRACE_COLUMNS, ...OPTIONAL].join(','),
        }),
      ],
      file,
    );
  if (!indicator) throw new ValidationError([textIssue(file, 'exchange.etraceIndicator', {})], file);
  const column = (name: string) => header[names.indexOf(name)]!;
  const issues: Issue[] = [];
  const rows: ExchangeRow[] = [];
  for (const { record, line } of records) {
    const at = (name: string) => `${file}:${line}:${names.indexOf(name) + 1} (${name})`;
    const cell = (name: string) => (record[column(name)] ?? '').trim();
    const state = cell('state').toUpperCase();
    const place = state === 'MX' ? 'MX' : /^\d{1,2}$/.test(state) ? state.padStart(2, '0') : null;
    if (place === null || (place !== 'MX' && (Number(place) < 1 || Number(place) > 32)))
      issues.push(textIssue(at('state'), 'exchange.etraceState', { value: state }));
    const year = YEAR.exec(cell('year'));
    if (!year || (year[2] !== undefined && year[2] <= year[1]!))
      issues.push(textIssue(at('year'), 'exchange.etraceYear', { value: cell('year') }));
    const count = (name: string) => {
      const v = cell(name).replaceAll(',', '');
      if (WHOLE.test(v)) return Number(v);
      issues.push(textIssue(at(name), 'exchange.etraceCount', { value: cell(name) }));
      return null;
    };
    const traced = count('traced');
    const usSourced = count('us_sourced');
    if (traced !== null && usSourced !== null && usSourced > traced)
      issues.push(textIssue(at('us_sourced'), 'exchange.etraceMore', { us: usSourced, traced }));
    if (traced === 0) issues.push(textIssue(at('traced'), 'exchange.etraceNone', {}));
    const source = names.includes('source') ? cell('source') : '';
    rows.push({
      indicator,
      period: cell('year'),
      place: place ?? state,
      disaggregation: {},
      value: null,
      numerator: usSourced,
      denominator: traced,
      comment: source || null,
      evidence: null,
      where: `${file}:${line}`,
    });
  }
  if (issues.length > 0) throw new ValidationError(issues, file);
  return rows;
}
