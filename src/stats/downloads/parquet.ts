/**
 * A series download as Parquet, written by DuckDB: the long layout (`series-csv.ts`) is written to a
 * temporary CSV file a batch of places at a time, then DuckDB reads it with the codebook's types (`geo`
 * as text, dates as dates) and writes a zstd-compressed Parquet file. The caller streams the file and
 * removes the directory. A separate in-memory DuckDB does the conversion: the statistics store is not
 * held while the file is written.
 * @module
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Locale } from '../../i18n/index.js';
import { seriesCsvStream } from '../series-csv.js';
import type { StatsStore } from '../stats-store.js';
import { SERIES_COLUMNS, type ColumnType } from './series-columns.js';

const DUCKDB_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
};

/** Places per query when the series is written for Parquet. */
const PARQUET_BATCH_PLACES = 3000;

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Writes the Parquet file of the series query `input`; returns its path and how to remove it. */
export async function seriesParquet(
  stats: StatsStore,
  input: unknown,
  options: { locale?: Locale } = {},
): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-parquet-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const csv = path.join(dir, 'series.csv');
    const out = createWriteStream(csv);
    // One query for all places: the CSV goes to a file, not to a client, so nothing waits on the first
    // batch, and one query of 2,475 municipalities takes less than ten of 250.
    for await (const chunk of seriesCsvStream(stats, input, PARQUET_BATCH_PLACES, {
      locale: options.locale ?? 'en',
    }))
      if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const file = path.join(dir, 'series.parquet');
    const columns = `{${SERIES_COLUMNS.map((c) => `${sqlText(c.name)}: ${sqlText(DUCKDB_TYPES[c.type])}`).join(', ')}}`;
    const db = await DuckDBInstance.create(':memory:', { threads: '2' });
    const con = await db.connect();
    try {
      await con.run(
        `copy (select * from read_csv(${sqlText(csv)}, header = true, columns = ${columns}, nullstr = ''))
         to ${sqlText(file)} (format parquet, compression zstd)`,
      );
    } finally {
      con.closeSync();
      db.closeSync();
    }
    return { file, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
