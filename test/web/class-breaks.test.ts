/**
 * A map's class breaks are the quintiles of its values as R computes them (`quantile(x, type = 7)`, the
 * default), now that d3-scale's quantile scale draws them: on the 2022 homicide rates of Mexico's 32
 * states from the starter snapshot, against Rscript itself; and ties merge into fewer classes.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classBreaks } from '../../src/web/charts.js';
import { querySeries } from '../../src/stats/series.js';
import { ensureStarter } from '../../src/stats/starter.js';
import { haveR } from '../fixtures/have-r.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';

const haveRscript = haveR('the R comparison of class breaks');

describe('map class breaks', () => {
  let stats: StatsStore;
  let rates: number[] = [];
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await ensureStarter(stats, 'test');
    const result = await querySeries(stats, {
      measure: 'homicides',
      level: 'state',
      by: 'year',
      from: '2022',
      to: '2022',
      per: 100000,
    });
    rates = result.series.map((s) => s.points[0]!.rate!);
  }, 60_000);
  afterAll(() => stats?.close());

  it.skipIf(!haveRscript)("are the states' rate quintiles as R's quantile() gives them", () => {
    expect(rates).toHaveLength(32);
    const r = execFileSync(
      'Rscript',
      ['-e', `cat(sprintf("%.17g", quantile(c(${rates.join(',')}), c(.2, .4, .6, .8))))`],
      { encoding: 'utf8' },
    )
      .trim()
      .split(' ')
      .map(Number);
    const breaks = classBreaks(rates);
    expect(breaks).toHaveLength(4);
    breaks.forEach((b, i) => expect(b).toBeCloseTo(r[i]!, 10));
  });

  it('merges equal quintiles and ignores values that are not numbers', () => {
    // Eight places at 0 of ten: the first three quintiles are 0; the fourth is 0.2 of the way to 5.
    const breaks = classBreaks([0, 0, 0, 0, 0, 0, 0, 0, 5, 10, Number.NaN]);
    expect(breaks).toHaveLength(2);
    expect(breaks[0]).toBe(0);
    expect(breaks[1]).toBeCloseTo(1, 12);
    expect(classBreaks([])).toEqual([]);
  });
});
