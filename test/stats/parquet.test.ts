/**
 * The Parquet download holds the rows of the CSV download, cell for cell and in the same order, typed by
 * the codebook: Parquet is staged narrow (place and vintages by number, shared cells as constants) and
 * assembled by DuckDB, so every column is checked against the CSV read with the codebook's types. On the
 * starter snapshot: state and national homicides by month, quarter and year with rates (partial years
 * and sums of states among them), written a few places per batch so that batches meet; and CDC overdose
 * deaths filtered on an indicator whose text holds a comma and parentheses.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriesParquet } from '../../src/stats/downloads/parquet.js';
import { SERIES_COLUMNS } from '../../src/stats/downloads/series-columns.js';
import { seriesCsvStream } from '../../src/stats/series-csv.js';
import { ensureStarter } from '../../src/stats/starter.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';

const TYPES = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE' };
const COLUMNS = `{${SERIES_COLUMNS.map((c) => `'${c.name}': '${TYPES[c.type]}'`).join(', ')}}`;

describe('Parquet series downloads', () => {
  let dir: string;
  let stats: StatsStore;
  let db: DuckDBInstance;
  let con: DuckDBConnection;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-parquet-test-'));
    stats = await openStats({ memory: true });
    await ensureStarter(stats, 'test');
    db = await DuckDBInstance.create(':memory:');
    con = await db.connect();
  }, 60_000);
  afterAll(async () => {
    con?.closeSync();
    db?.closeSync();
    stats?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The Parquet rows and the CSV rows (read with the codebook's types) of `input`. */
  async function both(input: Record<string, unknown>, batchPlaces: number, locale: 'en' | 'es' = 'en') {
    let text = '';
    for await (const chunk of seriesCsvStream(stats, input, batchPlaces, { locale })) text += chunk;
    const csv = path.join(dir, 'series.csv');
    await writeFile(csv, text);
    const made = await seriesParquet(stats, input, { locale, batchPlaces });
    try {
      const read = async (from: string) =>
        (await con.runAndReadAll(`select * from ${from}`)).getRowObjectsJS() as Record<string, unknown>[];
      const parquet = await read(`read_parquet('${made.file}')`);
      const schema = (await con.runAndReadAll(`describe select * from read_parquet('${made.file}')`))
        .getRowObjectsJS()
        .map((r) => `${String(r.column_name)}:${String(r.column_type)}`);
      const rows = await read(`read_csv('${csv}', header = true, columns = ${COLUMNS}, nullstr = '')`);
      return { parquet, rows, schema };
    } finally {
      await made.remove();
    }
  }

  it('gives the CSV rows, typed, for state and national homicide rates by month, quarter and year, across batches', async () => {
    const expected = SERIES_COLUMNS.map((c) => `${c.name}:${TYPES[c.type]}`);
    for (const [input, batchPlaces] of [
      [{ measure: 'homicides', level: 'state', by: 'month', from: '2019-01', to: '2020-12', per: 100000 }, 7],
      [{ measure: 'homicides', level: 'state', by: 'quarter', per: 100000 }, 5],
      [{ measure: 'homicides', geo: ['MX', '08', '25'], by: 'year', per: 100000 }, 2],
    ] as const) {
      const { parquet, rows, schema } = await both(input, batchPlaces, 'es');
      expect(schema).toEqual(expected);
      expect(rows.length).toBeGreaterThan(60);
      expect(parquet).toEqual(rows);
    }
  });

  it('keeps a partial year, a sum of states and the Spanish unit, as the CSV does', async () => {
    const { parquet } = await both({ measure: 'homicides', geo: ['MX'], by: 'year', per: 100000 }, 1, 'es');
    const methods = new Set(parquet.map((r) => r.method));
    expect([...methods].some((m) => String(m).startsWith('sum of'))).toBe(true);
    expect(parquet[0]).toMatchObject({ geo: 'MX', geo_level: 'country', rate_per: 100000n });
    expect(parquet.every((r) => typeof r.vintages === 'string' && /#[0-9a-f]{12}/.test(r.vintages))).toBe(
      true,
    );
    expect(parquet.find((r) => r.period === '2019')).toMatchObject({
      period_start: new Date('2019-01-01T00:00:00Z'),
      period_end: new Date('2019-12-31T00:00:00Z'),
    });
  });

  it('gives the CSV rows of a filtered CDC series, the filter text with its comma intact', async () => {
    const indicator = 'Synthetic opioids, excl. methadone (T40.4)';
    const { parquet, rows } = await both(
      {
        measure: 'synthetic_opioid_deaths_12m',
        geo: ['US', 'CA', 'TX', 'NY', 'WV', 'OH'],
        by: 'month',
        from: '2022-01',
        filters: { indicator },
      },
      4,
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(parquet).toEqual(rows);
    expect(parquet[0]?.filters).toBe(`indicator:${indicator}`);
  });
});
