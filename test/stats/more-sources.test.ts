/**
 * The historic INEGI extract, CONAPO municipal population, CBP seizures and USAID aid on the real files:
 * every total is recomputed here from the raw lines, independently of the importers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/error.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const HISTORIC = sharedFile('inegi/county-month-1990-2008.csv.bz2');
const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const POP_1990 = sharedFile('conapo/municipio-population1990-2009.csv');
const POP_2010 = sharedFile('conapo/municipio-population2010-2030.csv');
const CBP_19 = sharedFile('cbp/nationwide-drugs-fy19-fy22.csv');
const CBP_23 = sharedFile('cbp/nationwide-drugs-fy23-fy26-dec.csv');
const AID = sharedFile('usaid/us_foreign_aid_country.csv');
const all = [HISTORIC, STATE, POP_1990, POP_2010, CBP_19, CBP_23, AID];
const describeData = all.every(Boolean) ? describe : describe.skip;

const source = (id: string) => sourceById(id)!;
const options = { version: 'test' };
const MONTHS = 'Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre Octubre Noviembre Diciembre';

/** Fields of a CSV line with quoted fields (the USAID file quotes names with commas). */
function fields(line: string): string[] {
  return [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[2] ?? m[1]!);
}

describeData('further official sources on the real files', () => {
  let dir: string;
  let stats: StatsStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-sources-'));
    stats = await openStats({ dataDir: dir });
  });
  afterAll(async () => {
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the wide historic extract: national, state (#NAME? rows) and municipal months', async () => {
    const lines = (await sharedLines(HISTORIC!, 'latin1')).slice(1).map((l) => l.split(','));
    // Deaths in 2008 by place, summed over the registration-year columns of the twelve month rows.
    const sum2008 = (keep: (row: string[]) => boolean) =>
      lines
        .filter((r) => r[2] === '2008' && MONTHS.split(' ').includes(r[3]!) && keep(r))
        .reduce((total, r) => total + r.slice(4).reduce((s, c) => s + (c ? Number(c) : 0), 0), 0);
    const national = sum2008((r) => r[0] === '' && r[1] === 'Total');
    const chihuahua = sum2008((r) => r[0] === '#NAME?' && r[1] === 'Chihuahua');
    const juarez = sum2008((r) => r[0] === '08 037');
    const months = lines.filter(
      (r) => /^\d{4}$/.test(r[2]!) && Number(r[2]) >= 1990 && MONTHS.includes(r[3]!),
    );
    const abroad = months.filter((r) => r[1] === 'Extranjero').length;

    const report = await importFile(stats, source('inegi-homicides-historic'), HISTORIC!, options);
    // Every line is read: DuckDB would otherwise take `#NAME?` lines for comments and drop them.
    expect(report).toMatchObject({ status: 'imported', rowsRead: lines.length, rowsRejected: 0 });
    expect(report.rowsLoaded).toBe(months.length - abroad);
    expect(report.rowsSkipped).toBe(lines.length - months.length + abroad);

    const result = await querySeries(stats, {
      measure: 'homicides',
      geo: ['MX', '08', '08037'],
      from: '2008',
      to: '2008',
    });
    expect(result.series.map((s) => [s.geo, s.method, s.points[0]?.value])).toEqual([
      ['MX', 'published', national],
      ['08', 'published', chihuahua],
      ['08037', 'published', juarez],
    ]);
    expect([national, chihuahua, juarez]).toEqual([13_601, 2_566, 1_570]);
    const [states] = await stats.all<{ n: number }>(
      `select count(distinct geo) as n from observations where source = 'inegi-homicides-historic' and geo_level = 'state'`,
    );
    expect(states!.n).toBe(32);
  });

  it('serves each place from the source that covers most of the period asked for', async () => {
    await importFile(stats, source('inegi-homicides-state'), STATE!, options);
    const early = await querySeries(stats, {
      measure: 'homicides',
      geo: ['MX', '08'],
      from: '1990',
      to: '1999',
    });
    expect(early.series.map((s) => [s.source, s.method])).toEqual([
      ['inegi-homicides-historic', 'published'],
      ['inegi-homicides-historic', 'published'],
    ]);
    const recent = await querySeries(stats, {
      measure: 'homicides',
      geo: ['MX', '08'],
      from: '2010',
      to: '2020',
    });
    expect(recent.series.map((s) => [s.source, s.method])).toEqual([
      ['inegi-homicides-state', 'sum of states'],
      ['inegi-homicides-state', 'published'],
    ]);
    // Asked for explicitly, the other source serves the overlap.
    const chosen = await querySeries(stats, {
      measure: 'homicides',
      geo: ['08'],
      from: '2008',
      to: '2008',
      source: 'inegi-homicides-historic',
    });
    expect(chosen.series[0]!.points[0]!.value).toBe(2_566);
  });

  it('imports CONAPO municipal population in both column orders, skipping the years a file leaves empty', async () => {
    const older = (await sharedLines(POP_1990!)).slice(1).map((l) => l.split(','));
    const newer = (await sharedLines(POP_2010!)).slice(1).map((l) => l.split(','));
    const empty = older.filter((r) => r[1] === '').length;
    const a = await importFile(stats, source('conapo-population-municipal'), POP_1990!, options);
    expect(a).toMatchObject({
      layout: 'municipal-code-first',
      rowsRead: older.length,
      rowsRejected: 0,
      rowsSkipped: empty,
    });
    const b = await importFile(stats, source('conapo-population-municipal'), POP_2010!, options);
    expect(b).toMatchObject({
      layout: 'municipal-population-first',
      rowsRead: newer.length,
      rowsRejected: 0,
    });
    // `1001.0` is municipality 01001; the national total is the sum of the municipal Total rows.
    const total2010 = newer
      .filter((r) => r[2] === 'Total' && r[3] === '2010')
      .reduce((s, r) => s + Number(r[0]), 0);
    const aguascalientes1995 = Number(
      older.find((r) => r[0] === '1001.0' && r[2] === 'Total' && r[3] === '1995')![1],
    );
    const mx = await querySeries(stats, {
      measure: 'population',
      geo: ['MX', '01001'],
      from: '2010',
      to: '2010',
      source: 'conapo-population-municipal',
    });
    expect(mx.series[0]).toMatchObject({ method: 'sum of municipalities' });
    expect(mx.series[0]!.points[0]!.value).toBe(total2010);
    const old = await querySeries(stats, { measure: 'population', geo: ['01001'], from: '1995', to: '1995' });
    expect(old.series[0]!.points[0]!.value).toBe(aguascalientes1995);
    // Municipal rates now have a population: Juárez in 2005 from the historic deaths and CONAPO.
    const rate = await querySeries(stats, {
      measure: 'homicides',
      geo: ['08037'],
      from: '2005',
      to: '2005',
      per: 100_000,
    });
    const juarezPop = Number(older.find((r) => r[0] === '8037.0' && r[2] === 'Total' && r[3] === '2005')![1]);
    const point = rate.series[0]!.points[0]!;
    expect(point.population).toBe(juarezPop);
    expect(point.rate).toBeCloseTo((point.value / juarezPop) * 100_000, 9);
    expect(rate.populationSource).toBe('conapo-population-municipal');
  });

  it('turns CBP fiscal-year months into calendar months and sums them back by fiscal year', async () => {
    const rows = [...(await sharedLines(CBP_19!)).slice(1), ...(await sharedLines(CBP_23!)).slice(1)].map(
      (l) => l.split(','),
    );
    for (const file of [CBP_19!, CBP_23!]) {
      const r = await importFile(stats, source('cbp-drug-seizures'), file, options);
      expect(r).toMatchObject({ status: 'imported', rowsRejected: 0 });
    }
    const fentanyl = rows.filter((r) => r[6] === 'Fentanyl');
    const fy2022 = fentanyl.filter((r) => r[0] === '2022').reduce((s, r) => s + Number(r[8]), 0);
    // FY2023 October is October 2022.
    const october2022 = fentanyl
      .filter((r) => r[0] === '2023' && r[1] === 'OCT')
      .reduce((s, r) => s + Number(r[8]), 0);
    const events2022 = rows.filter((r) => r[0] === '2022').reduce((s, r) => s + Number(r[7]), 0);
    const byFy = await querySeries(stats, {
      measure: 'drug_seizures_lbs',
      geo: ['US'],
      by: 'fiscal_year',
      from: 'FY2022',
      to: 'FY2022',
      filters: { drug: 'Fentanyl' },
    });
    expect(byFy.series[0]!.points).toHaveLength(1);
    expect(byFy.series[0]!.points[0]!.period).toBe('FY2022');
    expect(byFy.series[0]!.points[0]!.value).toBeCloseTo(fy2022, 6);
    const month = await querySeries(stats, {
      measure: 'drug_seizures_lbs',
      geo: ['US'],
      by: 'month',
      from: '2022-10',
      to: '2022-10',
      filters: { drug: 'Fentanyl' },
    });
    expect(month.series[0]!.points[0]!.value).toBeCloseTo(october2022, 6);
    const events = await querySeries(stats, {
      measure: 'drug_seizure_events',
      geo: ['US'],
      by: 'fiscal_year',
      from: 'FY2022',
      to: 'FY2022',
    });
    expect(events.series[0]!.points[0]!.value).toBe(events2022);
  });

  it('imports one country of the USAID file by fiscal year, skipping the 1976 transition quarter', async () => {
    const rows = (await sharedLines(AID!)).slice(1).map(fields);
    const mexico = rows.filter((r) => r[0] === 'MEX');
    const transition = mexico.filter((r) => r[8] === '1976tq').length;
    const report = await importFile(stats, source('usaid-foreign-aid'), AID!, options);
    // Two observations per line: current and constant dollars.
    expect(report).toMatchObject({
      rowsRead: 2 * mexico.length,
      rowsRejected: 0,
      rowsSkipped: 2 * transition,
    });
    const obligations = (fy: string) => Number(mexico.find((r) => r[7] === 'Obligations' && r[8] === fy)![9]);
    const result = await querySeries(stats, {
      measure: 'us_assistance_usd',
      geo: ['MX'],
      by: 'fiscal_year',
      from: 'FY2009',
      to: 'FY2010',
      filters: { transaction_type: 'Obligations' },
    });
    expect(result.series[0]!.points.map((p) => [p.period, p.start, p.value])).toEqual([
      ['FY2009', '2008-10-01', obligations('2009')],
      ['FY2010', '2009-10-01', obligations('2010')],
    ]);
    // A fiscal-year measure cannot be split into calendar years, and overlapping types never add up.
    await expect(
      querySeries(stats, {
        measure: 'us_assistance_usd',
        geo: ['MX'],
        by: 'year',
        filters: { transaction_type: 'Obligations' },
      }),
    ).rejects.toThrow(/published by fiscal year.*by=fiscal_year/);
    await expect(
      querySeries(stats, { measure: 'us_assistance_usd', geo: ['MX'], by: 'fiscal_year' }),
    ).rejects.toThrow(/transaction_type/);

    // Another country is a separate import that replaces nothing of Mexico's.
    const canada = rows.filter((r) => r[0] === 'CAN').length;
    const other = await importFile(stats, source('usaid-foreign-aid'), AID!, {
      ...options,
      params: { country: 'CAN' },
    });
    expect(other).toMatchObject({ status: 'imported', replaced: [] });
    const [counts] = await stats.all<{ mx: number; ca: number }>(
      `select count(*) filter (where geo = 'MX') as mx, count(*) filter (where geo = 'CAN') as ca from observations where source = 'usaid-foreign-aid'`,
    );
    expect(counts).toEqual({ mx: 2 * (mexico.length - transition), ca: expect.any(Number) });
    expect(counts!.ca).toBeGreaterThan(0);
    expect(counts!.ca).toBeLessThanOrEqual(2 * canada);
    // The same file and country again is a no-op; a malformed country is refused before anything runs.
    expect((await importFile(stats, source('usaid-foreign-aid'), AID!, options)).status).toBe('unchanged');
    await expect(
      importFile(stats, source('usaid-foreign-aid'), AID!, { ...options, params: { country: 'mex' } }),
    ).rejects.toThrow(CliError);
    await expect(
      importFile(stats, source('usaid-foreign-aid'), AID!, { ...options, params: { state: 'MEX' } }),
    ).rejects.toThrow(/no parameter "state"; it takes country/);
  });
});
