/**
 * A read-only statistics store (a generation a server reads) reads through several DuckDB connections: a
 * quick read is answered while a heavy one runs, instead of queueing behind it on one connection. A
 * store opened to write keeps one connection, so its reads see its own writes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStats } from '../../src/stats/stats-store.js';

describe('reads of a read-only store', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-read-connections-'));
    file = path.join(dir, 'statistics.duckdb');
    (await openStats({ file })).close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a quick read while a heavy one runs', async () => {
    const stats = await openStats({ file, readOnly: true });
    try {
      const order: string[] = [];
      const heavy = stats
        .all<{ n: number }>('select count(*) as n from range(400000000) t(i) where i % 7 = 3')
        .then((rows) => {
          order.push('heavy');
          return rows;
        });
      // The heavy query is under way before the quick one is asked.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const quick = await stats.all<{ code: string }>(`select code from geo where code = 'MX'`);
      order.push('quick');
      expect(quick).toEqual([{ code: 'MX' }]);
      expect(Number((await heavy)[0]!.n)).toBe(57142857);
      expect(order).toEqual(['quick', 'heavy']);
    } finally {
      stats.close();
    }
  });

  it('keeps one connection for a store opened to write, so its reads see its own writes', async () => {
    const stats = await openStats({ file });
    try {
      expect(stats.con).toBe(stats.con);
    } finally {
      stats.close();
    }
  });
});
