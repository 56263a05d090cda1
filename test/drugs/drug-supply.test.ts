/**
 * Drug supply beside overdose deaths (`src/drugs/drug-supply.ts`) on the shared CBP and CDC files: the
 * first 12-month-ending fentanyl total equals fiscal year 2019's fentanyl pounds summed from CBP's raw
 * rows independently of Marco's importer; a window with a month missing is left out; Pearson's r is
 * known by hand; and each lag pairs seizures with the deaths of the twelve months ending that many
 * months later.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMonths,
  drugSupply,
  lagged,
  pearson,
  trailing12,
  type DrugSupply,
} from '../../src/drugs/drug-supply.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { ensureStarter } from '../../src/stats/starter.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from '../stats/shared-data.js';

const FILES = ['cbp/nationwide-drugs-fy19-fy22.csv', 'cbp/nationwide-drugs-fy23-fy26-dec.csv'].map(
  sharedFile,
);

describe('the arithmetic', () => {
  it('sums twelve consecutive months only, and adds months across years', () => {
    expect(addMonths('2019-11', 3)).toBe('2020-02');
    expect(addMonths('2020-01', -1)).toBe('2019-12');
    const months = Array.from({ length: 14 }, (_, i) => ({ period: addMonths('2020-01', i), value: i + 1 }));
    expect(trailing12(months)).toEqual([
      { period: '2020-12', value: 78 },
      { period: '2021-01', value: 90 },
      { period: '2021-02', value: 102 },
    ]);
    // A month missing: no window spans it.
    expect(trailing12(months.filter((m) => m.period !== '2020-06'))).toEqual([]);
  });

  it('correlates as Pearson did, and lags deaths behind seizures', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
    expect(pearson([1, 2], [1, 2])).toBeNull();
    const supply = ['2020-01', '2020-02', '2020-03', '2020-04'].map((period, i) => ({ period, value: i }));
    const deaths = ['2020-04', '2020-05', '2020-06', '2020-07'].map((period, i) => ({
      period,
      value: 10 - i,
    }));
    const rows = lagged(supply, deaths);
    expect(rows.find((r) => r.lag === 3)).toEqual({
      lag: 3,
      r: -1,
      months: 4,
      from: '2020-01',
      to: '2020-04',
    });
    expect(rows.find((r) => r.lag === 0)).toMatchObject({ months: 1, r: null });
  });
});

describe.runIf(FILES.every(Boolean))('drug supply on the shared files', () => {
  let stats: StatsStore;
  let supply: DrugSupply;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await ensureStarter(stats, 'test');
    for (const f of FILES) await importFile(stats, sourceById('cbp-drug-seizures')!, f!, { version: 'test' });
    supply = await drugSupply(stats);
  }, 120_000);
  afterAll(() => stats?.close());

  it('gives fiscal year 2019’s fentanyl pounds as the first 12-month total, as CBP’s raw rows sum', async () => {
    const rows = parse(await readFile(FILES[0]!, 'utf8'), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    const fy2019 = rows
      .filter((r) => r['FY'] === '2019' && r['Drug Type'] === 'Fentanyl')
      .reduce((sum, r) => sum + Number(r['Sum Qty (lbs)']), 0);
    expect(supply.fentanyl12m[0]!.period).toBe('2019-09');
    expect(supply.fentanyl12m[0]!.value).toBeCloseTo(fy2019, 6);
    expect(supply.seizures.Methamphetamine.length).toBe(supply.seizures.Fentanyl.length);
  });

  it('pairs each lag with the deaths that many months later, over the months both cover', () => {
    const deaths = new Map(supply.deaths12m.map((p) => [p.period, p.value]));
    for (const row of supply.lags) {
      const pairs = supply.fentanyl12m.filter((p) => deaths.has(addMonths(p.period, row.lag)));
      expect(row.months).toBe(pairs.length);
      expect(row.r).toBeCloseTo(
        pearson(
          pairs.map((p) => p.value),
          pairs.map((p) => deaths.get(addMonths(p.period, row.lag))!),
        )!,
        12,
      );
    }
    expect(supply.lags.map((l) => l.lag)).toEqual([0, 3, 6, 12]);
    expect(supply.lags[0]!.months).toBeGreaterThan(60);
  });

  it('splits the last whole fiscal year’s seizures by area, adding up to the national months', () => {
    expect(supply.areas?.fiscalYear).toBe('FY2025');
    const months = (drug: 'Fentanyl' | 'Methamphetamine') =>
      supply.seizures[drug]
        .filter((p) => p.period >= '2024-10' && p.period <= '2025-09')
        .reduce((sum, p) => sum + p.value, 0);
    for (const drug of ['Fentanyl', 'Methamphetamine'] as const)
      expect(supply.areas!.rows.reduce((sum, r) => sum + r.pounds[drug], 0)).toBeCloseTo(months(drug), 6);
    const fentanyl = supply.areas!.rows.map((r) => r.pounds.Fentanyl);
    expect(fentanyl).toEqual([...fentanyl].sort((a, b) => b - a));
    expect(supply.areas!.rows[0]!.area).toMatch(/FIELD OFFICE|SECTOR/);
  });
});
