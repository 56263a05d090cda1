/**
 * A quarter's population, when CONAPO's monthly figures serve it, is the mean of its three months
 * rounded to a whole person, and its rate is computed from that same whole number, so anyone can
 * recompute a downloaded rate from the file's own columns. On the real INEGI state homicides and CONAPO
 * monthly state population.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from './shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const MONTHLY = sharedFile('conapo/pop_states_monthly_1990_2050.csv');

(STATE && MONTHLY ? describe : describe.skip)('quarterly population from monthly figures', () => {
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await importFile(stats, sourceById('inegi-homicides-state')!, STATE!, { version: 'test' });
    await importFile(stats, sourceById('conapo-population-state-monthly')!, MONTHLY!, { version: 'test' });
  }, 120_000);
  afterAll(() => stats?.close());

  it('is a whole number of people, the rounded mean of its months, and the rate divides by it', async () => {
    const ask = (by: string) =>
      querySeries(stats, {
        measure: 'homicides',
        geo: ['08', '09'],
        by,
        from: '2020-01',
        to: '2020-12',
        per: 100000,
      });
    const [quarters, months] = await Promise.all([ask('quarter'), ask('month')]);
    for (const [i, series] of quarters.series.entries()) {
      expect(series.points).toHaveLength(4);
      for (const [q, point] of series.points.entries()) {
        expect(point.populationSource).toBe('conapo-population-state-monthly');
        const three = months.series[i]!.points.slice(3 * q, 3 * q + 3).map((p) => p.population!);
        expect(three).toHaveLength(3);
        expect(point.population).toBe(Math.round((three[0]! + three[1]! + three[2]!) / 3));
        expect(Number.isInteger(point.population)).toBe(true);
        expect(point.rate).toBeCloseTo((point.value / point.population!) * 100000, 12);
      }
    }
    // At least one quarter's mean was not whole before rounding (Chihuahua, 2020-Q2: 3,806,455.33).
    const chihuahuaQ2 = months.series[0]!.points.slice(3, 6).map((p) => p.population!);
    expect(chihuahuaQ2.reduce((a, b) => a + b, 0) % 3).not.toBe(0);
  });
});
