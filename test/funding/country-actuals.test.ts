/**
 * The country-level actuals on the real USAID Foreign Aid Explorer file: Mexico's obligations and
 * disbursements by fiscal year, current and constant, equal the raw file's cells (FY2010 obligations
 * among them), read here independently of Marco's importer; the deflator is current ÷ constant of the
 * raw obligations, 1 in its base year; a store without the source says so instead of answering zeros;
 * and `GET /api/v1/funding/actuals` answers the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countryActuals } from '../../src/funding/country-actuals.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

const AID = sharedFile('usaid/us_foreign_aid_country.csv');

/** Fields of a CSV line with quoted fields (the file quotes names with commas). */
const fields = (line: string) =>
  [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[2] ?? m[1]!);

(AID ? describe : describe.skip)('country actuals from USAID Foreign Aid Explorer', () => {
  let stats: StatsStore;
  let empty: StatsStore;
  let records: RecordsStore;
  let raw: string[][];
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    empty = await openStats({ memory: true });
    records = await openRecords({ memory: true });
    await importFile(stats, sourceById('usaid-foreign-aid')!, AID!, { version: 'test' });
    raw = (await sharedLines(AID!))
      .slice(1)
      .map(fields)
      .filter((r) => r[0] === 'MEX');
  }, 120_000);
  afterAll(async () => {
    stats?.close();
    empty?.close();
    await records?.close();
  });

  const cell = (type: string, fy: string, column: 9 | 10) =>
    Number(raw.find((r) => r[7] === type && r[8] === fy)![column]);

  it('gives the raw file’s obligations and disbursements, current and constant', async () => {
    const got = await countryActuals(stats, { from: 'FY2008', to: 'FY2021' });
    expect(got.available).toBe(true);
    expect(got.vintages[0]!.file_name).toBe('us_foreign_aid_country.csv');
    const fy2010 = got.actuals.find((a) => a.fiscal_year === 'FY2010' && a.stage === 'obligation');
    expect(fy2010).toEqual({
      fiscal_year: 'FY2010',
      stage: 'obligation',
      current: cell('Obligations', '2010', 9),
      constant: cell('Obligations', '2010', 10),
    });
    expect(fy2010!.current).toBeGreaterThan(100_000_000);
    for (const a of got.actuals) {
      const type = a.stage === 'obligation' ? 'Obligations' : 'Disbursements';
      expect(a.current, `${a.fiscal_year} ${a.stage}`).toBe(cell(type, a.fiscal_year.slice(2), 9));
    }
    expect(new Set(got.actuals.map((a) => a.fiscal_year)).size).toBe(14);
  });

  it('derives the deflator from the raw obligations, 1 in its base year', async () => {
    const { deflator } = await countryActuals(stats);
    expect(deflator.base).toBe('FY2021');
    const fy2010 = deflator.rows.find((r) => r.fiscal_year === 'FY2010')!;
    expect(fy2010.index).toBeCloseTo(cell('Obligations', '2010', 9) / cell('Obligations', '2010', 10), 6);
    expect(fy2010.index).toBeGreaterThan(0.8);
    expect(fy2010.index).toBeLessThan(0.85);
  });

  it('says when the source is not imported, and answers the same through the API', async () => {
    expect(await countryActuals(empty)).toMatchObject({ available: false, actuals: [] });
    const app = createApp({ store: records, stats, limits: false });
    const res = await app.request('/api/v1/funding/actuals?from=FY2010&to=FY2010');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { actuals: { stage: string; current: number }[] };
    expect(body.actuals.map((a) => [a.stage, a.current])).toEqual([
      ['disbursement', cell('Disbursements', '2010', 9)],
      ['obligation', cell('Obligations', '2010', 9)],
    ]);
    expect((await app.request('/api/v1/funding/actuals?from=2010')).status).toBe(400);
  });
});
