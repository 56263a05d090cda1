import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const CDC = sharedFile('cdc/vsrr_provisional_drug_overdose_death_counts.csv');

(CDC ? describe : describe.skip)('CDC VSRR provisional overdose deaths', () => {
  let stats: StatsStore;
  let fields: string[][];
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    fields = (await sharedLines(CDC!)).slice(1).map((line) => {
      // The indicator is quoted and holds commas: split outside quotes.
      const out: string[] = [];
      let cell = '';
      let quoted = false;
      for (const ch of line) {
        if (ch === '"') quoted = !quoted;
        else if (ch === ',' && !quoted) {
          out.push(cell);
          cell = '';
        } else cell += ch;
      }
      out.push(cell);
      return out;
    });
  });
  afterAll(() => stats?.close());

  it('imports every published value and skips the suppressed ones', async () => {
    const report = await importFile(stats, sourceById('cdc-vsrr-overdose')!, CDC!, { version: 'test' });
    const suppressed = fields.filter((f) => f[10] === '').length;
    expect(report).toMatchObject({
      rowsRead: fields.length,
      rowsRejected: 0,
      rowsSkipped: suppressed,
      rowsLoaded: fields.length - suppressed,
    });
  });

  it('never adds 12-month-ending counts across months: a year is its December value', async () => {
    const december = (state: string, year: string) =>
      Number(fields.find((f) => f[0] === state && f[1] === year && f[2] === 'December')![10]);
    const result = await querySeries(stats, {
      measure: 'synthetic_opioid_deaths_12m',
      geo: ['US', 'TX'],
      by: 'year',
      from: '2020',
      to: '2021',
    });
    const [us, tx] = result.series;
    expect(us!.method).toBe('published');
    expect(us!.points.map((p) => p.value)).toEqual([december('US', '2020'), december('US', '2021')]);
    expect(tx!.name).toBe('Texas');
    expect(tx!.points.map((p) => p.value)).toEqual([december('TX', '2020'), december('TX', '2021')]);
    const monthly = await querySeries(stats, {
      measure: 'synthetic_opioid_deaths_12m',
      geo: ['US'],
      by: 'month',
      from: '2020-11',
      to: '2020-12',
    });
    expect(monthly.series[0]!.points.map((p) => p.period)).toEqual(['2020-11', '2020-12']);
  });

  it('refuses to add up overlapping indicators, and names no population it did not use', async () => {
    await expect(querySeries(stats, { measure: 'overdose_deaths_12m', geo: ['US'] })).rejects.toThrow(
      /must be filtered by indicator/,
    );
    const us = await querySeries(stats, { measure: 'synthetic_opioid_deaths_12m', geo: ['US'], per: 100000 });
    expect(us.populationSource).toBeNull();
    expect(us.series[0]!.points.every((p) => p.rate === null)).toBe(true);
  });
});
