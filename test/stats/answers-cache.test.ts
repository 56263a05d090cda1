/**
 * The population behind a rate is kept between series queries (`src/stats/answers-cache.ts`): a kept
 * answer is served again, and never outlives the data it was read from; a newer state reads the most
 * asked ones again before it is asked. An import of a revised population, and its withdrawal, each change
 * the rate at once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgain } from '../../src/stats/answers-cache.js';
import { importFile } from '../../src/stats/importer.js';
import { rollbackVintage } from '../../src/stats/rollback.js';
import { querySeries } from '../../src/stats/series.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';

const HOMICIDES = [
  'ent_mun|year|month|homicides|pop_est|homicide_rate',
  ...Array.from({ length: 12 }, (_, m) => `01001|2019|${m + 1}|2|NA|0`),
  ...Array.from({ length: 12 }, (_, m) => `01002|2019|${m + 1}|1|NA|0`),
];
const population = (p01001: number) => [
  'Code,Population,Sex,Year',
  `1001.0,${p01001}.0,Total,2019`,
  '1002.0,10000.0,Total,2019',
];

describe('kept population answers', () => {
  let dir: string;
  let stats: StatsStore;
  const ask = async () =>
    (
      await querySeries(stats, {
        measure: 'homicides',
        geo: ['01001', '01002'],
        by: 'year',
        per: 100000,
      })
    ).series.map((s) => [
      s.geo,
      s.points.map((p) => [p.period, p.value, p.population, p.rate && Number(p.rate.toPrecision(12))]),
    ]);
  const load = async (id: string, name: string, lines: string[]) => {
    const file = path.join(dir, name);
    await writeFile(file, `${lines.join('\n')}\n`);
    return importFile(stats, sourceById(id)!, file, { version: 'test' });
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-answers-'));
    stats = await openStats({ memory: true });
    await load('inegi-homicides-municipal', 'homicides.csv', HOMICIDES);
    await load('conapo-population-municipal', 'population.csv', population(20000));
  });
  afterAll(async () => {
    stats.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the kept population until the store is written to', async () => {
    const first = await ask();
    expect(first).toEqual([
      ['01001', [['2019', 24, 20000, 120]]],
      ['01002', [['2019', 12, 10000, 120]]],
    ]);
    // Changed behind the store's back (no write through Marco): the kept answer is still served, which
    // shows it is kept; dropping the metadata, as every write does, drops it too.
    const [{ table } = { table: '' }] = await stats.all<{ table: string }>(
      `select table_name as "table" from vintages where source = 'conapo-population-municipal'`,
    );
    await stats.con.run(`update ${table} set value = 40000 where geo = '01001'`);
    expect(await ask()).toEqual(first);
    stats.invalidate();
    expect((await ask())[0]).toEqual(['01001', [['2019', 24, 40000, 60]]]);
    await stats.con.run(`update ${table} set value = 20000 where geo = '01001'`);
    stats.invalidate();
    expect(await ask()).toEqual(first);
  });

  it('reads the most asked answers again under a newer state, before any query asks', async () => {
    expect((await ask())[0]).toEqual(['01001', [['2019', 24, 20000, 120]]]);
    const earlier = await stats.metadata();
    const [{ table } = { table: '' }] = await stats.all<{ table: string }>(
      `select table_name as "table" from vintages where source = 'conapo-population-municipal'`,
    );
    await stats.con.run(`update ${table} set value = 40000 where geo = '01001'`);
    stats.invalidate();
    // Out of time: nothing read.
    expect(await readAgain(earlier, stats, 10, Date.now())).toBe(0);
    expect(await readAgain(earlier, stats, 10, Date.now() + 10_000)).toBe(1);
    // Changed again behind the store's back: the query is answered from what was read again (40,000).
    await stats.con.run(`update ${table} set value = 50000 where geo = '01001'`);
    expect((await ask())[0]).toEqual(['01001', [['2019', 24, 40000, 60]]]);
    await stats.con.run(`update ${table} set value = 20000 where geo = '01001'`);
    stats.invalidate();
    expect((await ask())[0]).toEqual(['01001', [['2019', 24, 20000, 120]]]);
  });

  it('reads a revised population at once after its import, and the old one after its withdrawal', async () => {
    expect((await ask())[0]).toEqual(['01001', [['2019', 24, 20000, 120]]]);
    const revised = await load('conapo-population-municipal', 'revised.csv', population(30000));
    expect((await ask())[0]).toEqual(['01001', [['2019', 24, 30000, 80]]]);
    await rollbackVintage(stats, revised.vintage!, 'test');
    expect((await ask())[0]).toEqual(['01001', [['2019', 24, 20000, 120]]]);
  });
});
