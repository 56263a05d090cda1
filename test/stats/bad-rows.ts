/**
 * What the bad-row tests share (`bad-rows-*.test.ts`): reading and damaging real lines, importing a
 * damaged file at the default limit (refused, nothing written) and at a high one (exactly the damaged
 * lines rejected), and reading back what was stored. Lines are numbered as in the file: the header is
 * line 1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { DataError, type ImportReport } from '../../src/stats/import-report.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';

/** A rejected row as the importer reports it, without the file. */
export interface Reject {
  line: number;
  column: string;
  value: string | null;
  reason: string;
}

/** A stored observation, its period as ISO text and its dimensions as `key=value;…` (sorted keys). */
export interface Observation {
  measure: string;
  geo_level: string;
  geo: string;
  period: string;
  value: number;
  dims: string;
}

/** A CSV line's fields (quoted fields may hold the delimiter). */
export function fieldsOf(line: string, delimiter = ','): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

/** A real line with some fields replaced (by index), quoted again where needed. */
export function edit(line: string, changes: Record<number, string>): string {
  const fields = fieldsOf(line);
  for (const [i, value] of Object.entries(changes)) fields[Number(i)] = value;
  return fields.map((f) => (/[",]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',');
}

/** The first real data line whose fields pass `test`. */
export function pick(data: string[], what: string, test: (f: string[]) => boolean): string {
  const line = data.find((l) => test(fieldsOf(l)));
  if (line === undefined) throw new Error(`the real file has no line with ${what}`);
  return line;
}

/** A small file: the real header, then lines; `add` returns a line's number (the header is line 1). */
export function sample(header: string) {
  const lines = [header];
  return { lines, add: (line: string) => lines.push(line) };
}

export const dimsKey = (dims: Record<string, string>) =>
  Object.keys(dims)
    .sort()
    .map((k) => `${k}=${dims[k]}`)
    .join(';');

/** Sorted by content (whatever the key order), so that rows of one line compare in any order. */
export const sorted = <T extends object>(rows: T[]) => {
  const text = (row: T) => JSON.stringify(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)));
  return [...rows].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
};

/** Row counts of every table an import writes. */
export async function contents(stats: StatsStore) {
  const [row] = await stats.all<Record<string, number>>(`select
    (select count(*) from vintages) as vintages, (select count(*) from observations) as observations,
    (select count(*) from rejects) as rejects, (select count(*) from coverage) as coverage,
    (select count(*) from geo where source != 'marco') as places`);
  return row!;
}
export const EMPTY = { vintages: 0, observations: 0, rejects: 0, coverage: 0, places: 0 };

export async function stored(stats: StatsStore, source: string): Promise<Observation[]> {
  return sorted(
    await stats.all<Observation>(
      `select measure, geo_level, geo, strftime(period, '%Y-%m-%d') as period, value, dims_key as dims
       from observations where source = $1`,
      [source],
    ),
  );
}

let dir: string;
/** A fresh in-memory statistics store for each test (see {@link withFreshStores}). */
export let stats: StatsStore;

/** Registers the hooks of a bad-row test file: a scratch directory, and a fresh store for each test. */
export function withFreshStores(): void {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-bad-rows-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    stats = await openStats({ memory: true });
  });
  afterEach(() => stats?.close());
}

/**
 * Writes the file, checks that the default limit refuses it (naming each rejected `file:line` and
 * writing nothing), then imports it with a 90% limit and checks the counts and every rejected row.
 * `rows` counts staged rows: one per line, or one per value cell for sources with several per line.
 */
export async function importBadRows(c: {
  source: string;
  name: string;
  lines: string[];
  encoding?: BufferEncoding;
  params?: Record<string, string>;
  rows: number;
  skipped: number;
  rejects: Reject[];
}): Promise<ImportReport> {
  const file = path.join(dir, c.name);
  await writeFile(file, Buffer.from(`${c.lines.join('\n')}\n`, c.encoding ?? 'utf8'));
  const source = sourceById(c.source)!;
  const options = { version: 'test', ...(c.params ? { params: c.params } : {}) };

  expect(await contents(stats)).toEqual(EMPTY);
  const error = await importFile(stats, source, file, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  const message = (error as DataError).message;
  expect(message).toContain(`${file}: ${c.rejects.length} of ${c.rows} rows rejected`);
  expect(message).toContain('nothing was imported');
  for (const r of c.rejects.slice(0, 20))
    expect(message).toContain(`\n  ${file}:${r.line} ${r.column}=${JSON.stringify(r.value)}: ${r.reason}\n`);
  expect(await contents(stats)).toEqual(EMPTY);

  const report = await importFile(stats, source, file, { ...options, maxRejectShare: 0.9 });
  expect(report).toMatchObject({
    status: 'imported',
    rowsRead: c.rows,
    rowsRejected: c.rejects.length,
    rowsSkipped: c.skipped,
    rowsLoaded: c.rows - c.rejects.length - c.skipped,
  });
  expect(sorted(report.rejects)).toEqual(sorted(c.rejects.slice(0, 20).map((r) => ({ file, ...r }))));
  const all = await stats.all<Reject>(
    `select line, "column", value, reason from rejects where vintage_id = $1`,
    [report.vintage],
  );
  expect(sorted(all)).toEqual(sorted(c.rejects));
  return report;
}
