/**
 * The deflator in force, and its import. An office that prefers another price index (the BEA's GDP
 * price index, OMB's historical tables) imports it as a CSV of `fiscal_year,index,source`
 * (`docs/funding.md`); the import replaces the table whole, all or none, audited. Without an imported
 * table, Marco uses the index implied by USAID's Foreign Aid Explorer, where that source is imported
 * (`country-actuals.ts`); without either, only current dollars are offered.
 * @module
 */
import { ownerIssues } from '../access/rules.js';
import { readCsvRecords } from '../csv-read.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { defaultBase, DeflatorRow, type Dollars } from '../domain/funding/deflator.js';
import { ValidationError, textIssue, type Issue } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { deflatorRowsIn, replaceDeflatorIn } from '../records/deflator-repository.js';
import type { Ownership, WriteAction } from '../records/record-writer.js';
import { writeTransaction, type WriteOptions } from '../records/transaction.js';
import type { StatsStore } from '../stats/stats-store.js';
import { ACTUALS_SOURCE, countryActuals } from './country-actuals.js';

/** Where the deflator in force comes from. */
export type DeflatorOrigin = 'imported' | 'usaid-fae' | 'none';

export interface DeflatorInForce {
  origin: DeflatorOrigin;
  /** The year whose index is 1 (or the last year): the default base of constant dollars. */
  base: string | null;
  /** The tables the rows come from, as their `source` cells say (or the Explorer file and checksum). */
  sources: string[];
  rows: DeflatorRow[];
}

/** The imported table when there is one, else the Explorer's, else none. */
export async function deflatorInForce(
  store: RecordsStore,
  stats: StatsStore | undefined,
): Promise<DeflatorInForce> {
  const imported = (await deflatorRowsIn(store.db)).map(({ fiscal_year, index, source }) => ({
    fiscal_year,
    index,
    source,
  }));
  if (imported.length > 0)
    return {
      origin: 'imported',
      base: defaultBase(imported),
      sources: [...new Set(imported.map((r) => r.source))],
      rows: imported,
    };
  if (stats) {
    const actuals = await countryActuals(stats);
    if (actuals.deflator.rows.length > 0) {
      const sources = actuals.vintages.map(
        (v) => `USAID Foreign Aid Explorer (${ACTUALS_SOURCE}): ${v.file_name}, sha256 ${v.sha256}`,
      );
      const source = sources[0] ?? `USAID Foreign Aid Explorer (${ACTUALS_SOURCE})`;
      const rows = actuals.deflator.rows.map((r) => ({ ...r, source }));
      return { origin: 'usaid-fae', base: actuals.deflator.base ?? defaultBase(rows), sources, rows };
    }
  }
  return { origin: 'none', base: null, sources: [], rows: [] };
}

/** The columns of a deflator CSV. */
export const DEFLATOR_COLUMNS = ['fiscal_year', 'index', 'source'] as const;
const NUMBER = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Reads a deflator CSV; refuses a wrong header, a bad cell or a year given twice, listing every one. */
export function readDeflatorCsv(text: string, file: string): DeflatorRow[] {
  const { header, records } = readCsvRecords(text, file, 'funding.csv.unreadable');
  const missing = DEFLATOR_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(DEFLATOR_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length)
    throw new ValidationError(
      [
        textIssue(`${file}:1`, 'funding.deflator.header', {
          unknown: unknown.join(', ') || '—',
          missing: missing.join(', ') || '—',
          expected: DEFLATOR_COLUMNS.join(','),
        }),
      ],
      file,
    );
  const issues: Issue[] = [];
  const rows: DeflatorRow[] = [];
  const first = new Map<string, number>();
  for (const { record, line } of records) {
    const at = (column: string) => `${file}:${line}:${header.indexOf(column) + 1} (${column})`;
    const cell = (column: string) => record[column]?.trim() ?? '';
    const index = cell('index');
    if (!NUMBER.test(index)) {
      issues.push(textIssue(at('index'), 'funding.csv.notNumber', { value: index || '—' }));
      continue;
    }
    const input = { fiscal_year: cell('fiscal_year'), index: Number(index), source: cell('source') };
    const parsed = safeParseInput(DeflatorRow, input);
    if (!parsed.success) {
      for (const issue of zodIssues(parsed.error))
        issues.push({ ...issue, path: at(issue.path.split(/[.[]/)[0] || 'fiscal_year') });
      continue;
    }
    const seen = first.get(parsed.data.fiscal_year);
    if (seen !== undefined)
      issues.push(
        textIssue(at('fiscal_year'), 'funding.deflator.duplicate', {
          year: parsed.data.fiscal_year,
          first: `${file}:${seen}`,
        }),
      );
    else first.set(parsed.data.fiscal_year, line);
    rows.push(parsed.data);
  }
  if (rows.length === 0 && issues.length === 0) issues.push(textIssue(`${file}:2`, 'funding.deflator.empty'));
  if (issues.length > 0) throw new ValidationError(issues, file);
  return rows;
}

/** What an import did. */
export interface DeflatorImported {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  base: string | null;
}

/** Replaces the deflator table with `rows`, all or none, each change audited. */
export async function importDeflator(
  store: RecordsStore,
  rows: readonly DeflatorRow[],
  owner: Ownership,
  write: WriteOptions,
): Promise<DeflatorImported> {
  const { actions, deleted } = await writeTransaction(store, write, async (trx, ctx) => {
    const agencies = new Map(
      (await trx.selectFrom('organisations').select(['code', 'country']).execute()).map((o) => [
        o.code,
        o.country,
      ]),
    );
    const issues = ownerIssues(owner, agencies);
    if (issues.length > 0) throw new ValidationError(issues, 'deflator');
    return replaceDeflatorIn(trx, ctx, rows, owner);
  });
  const count = (a: WriteAction) => actions.filter((x) => x === a).length;
  return {
    rows: rows.length,
    created: count('create'),
    updated: count('update'),
    unchanged: count('unchanged'),
    deleted,
    base: defaultBase(rows),
  };
}

/**
 * The dollars a reader asked for, checked against the deflator in force: constant dollars of `base`
 * (the deflator's own base when none is given) need an index for that year. `where` names the input
 * in the error (`--constant`, `base`).
 */
export function chosenDollars(
  deflator: DeflatorInForce,
  asked: { constant: boolean; base?: string | undefined },
  where: string,
): Dollars {
  if (!asked.constant) return { kind: 'current' };
  const base = asked.base ?? deflator.base;
  if (!base || !deflator.rows.some((r) => r.fiscal_year === base))
    throw new ValidationError([textIssue(where, 'funding.deflator.noIndex', { base: base ?? '—' })], where);
  return { kind: 'constant', base };
}
