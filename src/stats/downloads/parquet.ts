/**
 * A series download as Parquet, written by DuckDB with the codebook's types (`geo` as text, dates as
 * dates) and zstd compression. The rows are those of the long CSV layout (`series-csv.ts`), in the same
 * order, but what many rows share is not written once per row:
 *
 * - the points go to narrow staging files (`parquet-staging.ts`), one per batch of places, with each
 *   low-variety text (period, sources, method, vintages) as a number into a list of the texts met;
 * - each file is loaded into a table of an in-memory DuckDB while the next batch is queried;
 * - the `COPY` adds the cells the whole query shares (measure, unit, rate base, filters) as constants,
 *   looks the numbered texts up in constant lists and computes each period's last day from its first.
 *
 * For every municipality by month (651,288 rows) the staging files hold 35 MB where the CSV is 122 MB
 * (`npm run bench -- --only exchange` times it). A list lookup keeps the rows in order, where a join with
 * a table of texts would not. The statistics store is not held while the file is written. The caller
 * streams the file and removes the directory.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Locale } from '../../i18n/index.js';
import { GEO_LEVELS, monthsOf } from '../series-csv.js';
import type { StatsStore } from '../stats-store.js';
import { STAGING_COLUMNS, stageSeries, type Staged } from './parquet-staging.js';
import { SERIES_COLUMNS, type ColumnType } from './series-columns.js';

const DUCKDB_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
};

/** Places per query when the series is written for Parquet: every municipality is two batches, the second queried while the first loads. */
const PARQUET_BATCH_PLACES = 1250;

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A text constant; empty or missing is NULL, as an empty cell of the CSV layout reads. */
const constant = (text: string | null | undefined) => (text ? sqlText(text) : 'NULL');

/** A constant list of texts, indexed from 0 by the staging column `index`. */
const lookup = (texts: readonly (string | null)[], index: string) =>
  `([${texts.map(constant).join(', ')}]::VARCHAR[])[${index} + 1]`;

/** The expression of each column of the layout, over the staging file. */
function columnExpressions(s: Staged): Record<string, string> {
  return {
    measure: constant(s.measure),
    unit: constant(s.unit),
    rate_per: s.per === null ? 'NULL' : String(s.per),
    geo: 'geo',
    geo_level: lookup(GEO_LEVELS, 'lv'),
    name: 'name',
    period: lookup(s.dictionaries.period, 'period'),
    period_start: 'period_start',
    period_end: `last_day(period_start + to_months(${monthsOf(s.by) - 1}))`,
    value: 'value',
    rate: 'rate',
    population: 'population',
    population_source: lookup(s.dictionaries.population_source, 'population_source'),
    population_method: lookup(s.dictionaries.population_method, 'population_method'),
    partial: 'partial',
    covers_from: lookup(s.dictionaries.covers_from, 'covers_from'),
    covers_to: lookup(s.dictionaries.covers_to, 'covers_to'),
    partial_reason: lookup(s.dictionaries.partial_reason, 'partial_reason'),
    method: lookup(s.dictionaries.method, 'method'),
    source: lookup(s.dictionaries.source, 'source'),
    vintages: lookup(s.dictionaries.vintages, 'vintages'),
    filters: constant(s.filters),
  };
}

/** The staging files' rows, read with their types. */
export function stagingRead(csv: string): string {
  const columns = `{${STAGING_COLUMNS.map(([name, type]) => `${sqlText(name)}: ${sqlText(type)}`).join(', ')}}`;
  return (
    `read_csv(${sqlText(csv)}, header = false, auto_detect = false, delim = ',', quote = '"', ` +
    `escape = '"', nullstr = '', columns = ${columns})`
  );
}

/** The `COPY` that turns the staged rows (`from`: a table or {@link stagingRead}) into the Parquet file `file`. */
export function parquetCopy(s: Staged, from: string, file: string): string {
  const expressions = columnExpressions(s);
  const select = SERIES_COLUMNS.map((c) => {
    const expression = expressions[c.name];
    if (expression === undefined) throw new Error(`parquet: no expression for the column ${c.name}`);
    return `cast(${expression} as ${DUCKDB_TYPES[c.type]}) as "${c.name}"`;
  }).join(',\n  ');
  return `copy (select ${select}\n from ${from})\n to ${sqlText(file)} (format parquet, compression zstd)`;
}

/** Writes the Parquet file of the series query `input`; returns its path and how to remove it. */
export async function seriesParquet(
  stats: StatsStore,
  input: unknown,
  options: { locale?: Locale; batchPlaces?: number } = {},
): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-parquet-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await db.connect();
  // Each batch's file is loaded while the next batch is queried; the loads run one after another, in
  // order, so the table holds the rows in the order of the download.
  let loading = Promise.resolve();
  let failure: { error: unknown } | undefined;
  try {
    await con.run(
      `create table points (${STAGING_COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(', ')})`,
    );
    const staged = await stageSeries(stats, input, dir, {
      locale: options.locale ?? 'en',
      batchPlaces: options.batchPlaces ?? PARQUET_BATCH_PLACES,
      onFile: (csv) => {
        loading = loading
          .then(async () => {
            if (!failure) await con.run(`insert into points select * from ${stagingRead(csv)}`);
          })
          .catch((error: unknown) => {
            failure ??= { error };
          });
      },
    });
    await loading;
    if (failure) throw failure.error;
    const file = path.join(dir, 'series.parquet');
    await con.run(parquetCopy(staged, 'points', file));
    return { file, remove };
  } catch (error) {
    await loading;
    await remove();
    throw error;
  } finally {
    con.closeSync();
    db.closeSync();
  }
}
