import { DataError } from '../../src/stats/import-report.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { querySeries } from '../../src/stats/series.js';
import { sharedFile, sharedLines } from './shared-data.js';

const MUNICIPAL = sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');
const MUNICIPAL_2019 = sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2019.csv.gz');
const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const STATES = sharedFile('geo/cve_nom_estados.csv');
const MUNICIPALITIES = sharedFile('geo/cve_nom_municipios.csv');
const POP_MONTHLY = sharedFile('conapo/pop_states_monthly_1990_2050.csv');
const POP_YEARLY = sharedFile('conapo/conapo_pob_ent_gender_1950_2070.csv');
const all = [MUNICIPAL, MUNICIPAL_2019, STATE, STATES, MUNICIPALITIES, POP_MONTHLY, POP_YEARLY];
const describeData = all.every(Boolean) ? describe : describe.skip;

const source = (id: string) => sourceById(id)!;
const options = { version: 'test' };

/** Row counts of every statistics table: proof that a refused import changed nothing. */
async function snapshot(stats: StatsStore) {
  const [row] = await stats.all<Record<string, number>>(`select
    (select count(*) from observations) as observations, (select count(*) from vintages) as vintages,
    (select count(*) from rejects) as rejects, (select count(*) from geo) as geo, (select count(*) from coverage) as coverage`);
  return row!;
}

describeData('official-statistics importers on the real files', () => {
  let dir: string;
  let stats: StatsStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-stats-'));
    stats = await openStats({ dataDir: dir });
    await importFile(stats, source('inegi-geo-catalog'), STATES!, options);
    await importFile(stats, source('inegi-geo-catalog'), MUNICIPALITIES!, options);
  });
  afterAll(async () => {
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the geography spine with accent-correct names and parents', async () => {
    const rows = await stats.all<{ code: string; level: string; name: string; parent: string }>(
      `select code, level, name, parent from geo where code in ('MX', '09', '09015', '16', '16053') order by code`,
    );
    expect(rows).toEqual([
      { code: '09', level: 'state', name: 'Ciudad de México', parent: 'MX' },
      { code: '09015', level: 'municipality', name: 'Cuauhtémoc', parent: '09' },
      { code: '16', level: 'state', name: 'Michoacán', parent: 'MX' },
      { code: '16053', level: 'municipality', name: 'Morelia', parent: '16' },
      { code: 'MX', level: 'country', name: 'México', parent: null },
    ]);
    const [counts] = await stats.all<{ states: number; municipalities: number }>(
      `select count(*) filter (where level = 'state' and parent = 'MX') as states, count(*) filter (where level = 'municipality') as municipalities from geo`,
    );
    const expectedMunicipalities = (await sharedLines(MUNICIPALITIES!)).length - 1;
    expect(counts).toEqual({ states: 32, municipalities: expectedMunicipalities });
    const us = await stats.all<{ code: string; fips: string; usps: string; name: string }>(
      `select code, fips, usps, name from geo where parent = 'US' and code in ('TX', 'CA', 'PR') order by code`,
    );
    expect(us).toEqual([
      { code: 'CA', fips: '06', usps: 'CA', name: 'California' },
      { code: 'PR', fips: '72', usps: 'PR', name: 'Puerto Rico' },
      { code: 'TX', fips: '48', usps: 'TX', name: 'Texas' },
    ]);
  });

  it('imports the 2019 vintage, then the 2021 vintage replaces it atomically and keeps its provenance', async () => {
    const old = await importFile(stats, source('inegi-homicides-municipal'), MUNICIPAL_2019!, options);
    expect(old).toMatchObject({
      status: 'imported',
      rowsRead: 591_600,
      rowsLoaded: 591_600,
      rowsRejected: 0,
    });
    const report = await importFile(stats, source('inegi-homicides-municipal'), MUNICIPAL!, options);
    expect(report).toMatchObject({
      status: 'imported',
      rowsRead: 651_288,
      rowsLoaded: 651_288,
      rowsRejected: 0,
    });
    expect(report.replaced).toEqual([old.vintage]);
    expect(report.periodFrom).toBe('2000-01-01');
    expect(report.periodTo).toBe('2021-12-01');

    // Independent totals: sum the file's own column for 2019 and 2021.
    const lines = (await sharedLines(MUNICIPAL!)).slice(1).map((l) => l.split('|'));
    const total = (year: string) => lines.filter((f) => f[1] === year).reduce((s, f) => s + Number(f[3]), 0);
    const stored = async (year: number) =>
      (
        await stats.all<{ h: number }>(
          `select sum(value) as h from observations where source = 'inegi-homicides-municipal' and year(period) = $1`,
          [year],
        )
      )[0]!.h;
    expect(await stored(2019)).toBe(total('2019'));
    expect(await stored(2021)).toBe(total('2021'));
    const [count] = await stats.all<{ n: number }>(
      `select count(*) as n from observations where source = 'inegi-homicides-municipal'`,
    );
    expect(count!.n).toBe(651_288);
    const vintages = await stats.all<{ id: number; replaced_by: number | null; file_name: string }>(
      `select id, replaced_by, file_name from vintages where source = 'inegi-homicides-municipal' order by id`,
    );
    expect(vintages).toEqual([
      { id: old.vintage, replaced_by: report.vintage, file_name: path.basename(MUNICIPAL_2019!) },
      { id: report.vintage, replaced_by: null, file_name: path.basename(MUNICIPAL!) },
    ]);
  });

  it('treats a re-import of an identical file as a no-op', async () => {
    const before = await snapshot(stats);
    const again = await importFile(stats, source('inegi-homicides-municipal'), MUNICIPAL!, options);
    expect(again.status).toBe('unchanged');
    expect(await snapshot(stats)).toEqual(before);
  });

  it('imports state homicides and CONAPO population with independently checked totals', async () => {
    await importFile(stats, source('inegi-homicides-state'), STATE!, options);
    await importFile(stats, source('conapo-population-state-monthly'), POP_MONTHLY!, options);
    await importFile(stats, source('conapo-population-state'), POP_YEARLY!, options);
    const stateLines = (await sharedLines(STATE!)).slice(1).map((l) => l.split('|'));
    const h2020 = stateLines.filter((f) => f[1] === '2020').reduce((s, f) => s + Number(f[3]), 0);
    const popLines = (await sharedLines(POP_YEARLY!)).slice(1).map((l) => l.split(','));
    const mx2020 = Number(popLines.find((f) => f[0] === '2020' && f[2] === '00' && f[3] === 'Total')![5]);

    // The national homicide rate is the sum of states over CONAPO's national mid-year population.
    const result = await querySeries(stats, {
      measure: 'homicides',
      geo: ['MX'],
      by: 'year',
      from: '2020',
      to: '2020',
      per: 100000,
    });
    const [mx] = result.series;
    expect(mx!.method).toBe('sum of states');
    expect(mx!.points[0]).toMatchObject({ period: '2020', value: h2020, population: mx2020 });
    expect(mx!.points[0]!.rate).toBeCloseTo((h2020 / mx2020) * 100000, 9);
    expect(result.vintages.map((v) => v.source).sort()).toEqual([
      'conapo-population-state',
      'inegi-homicides-state',
    ]);
  });

  it('serves population by month from the monthly source and by year from the longer yearly one', async () => {
    const monthly = (await sharedLines(POP_MONTHLY!)).slice(1).map((l) => l.split(','));
    const cdmxMarch = Number(monthly.find((f) => f[0] === '9' && f[1] === '2020-03-01')![2]);
    const byMonth = await querySeries(stats, {
      measure: 'population',
      geo: ['09'],
      by: 'month',
      from: '2020-03',
      to: '2020-03',
    });
    expect(byMonth.series[0]).toMatchObject({
      source: 'conapo-population-state-monthly',
      method: 'published',
    });
    expect(byMonth.series[0]!.points[0]!.value).toBe(cdmxMarch);
    const byYear = await querySeries(stats, {
      measure: 'population',
      geo: ['09'],
      by: 'year',
      from: '1960',
      to: '1960',
    });
    expect(byYear.series[0]!.source).toBe('conapo-population-state');
    // A yearly source asked for by month explains what would work.
    await expect(
      querySeries(stats, {
        measure: 'population',
        geo: ['09'],
        by: 'month',
        source: 'conapo-population-state',
      }),
    ).rejects.toThrow(/published by year, so it cannot be given by month; ask by=year/);
  });

  it('prefers a place’s own publication and sums children otherwise, saying which', async () => {
    const result = await querySeries(stats, {
      measure: 'homicides',
      geo: ['09', '09015'],
      by: 'year',
      from: '2019',
      to: '2019',
    });
    expect(result.series.map((s) => [s.geo, s.method, s.source])).toEqual([
      ['09', 'published', 'inegi-homicides-state'],
      ['09015', 'published', 'inegi-homicides-municipal'],
    ]);
    const summed = await querySeries(stats, {
      measure: 'homicides',
      geo: ['09'],
      by: 'year',
      from: '2019',
      to: '2019',
      source: 'inegi-homicides-municipal',
    });
    const lines = (await sharedLines(MUNICIPAL!)).slice(1).map((l) => l.split('|'));
    const cdmx = lines
      .filter((f) => f[0]!.startsWith('09') && f[1] === '2019')
      .reduce((s, f) => s + Number(f[3]), 0);
    expect(summed.series[0]).toMatchObject({ method: 'sum of municipalities' });
    expect(summed.series[0]!.points[0]!.value).toBe(cdmx);
  });

  it('returns every municipality of a state at once, for maps', async () => {
    const result = await querySeries(stats, {
      measure: 'homicides',
      level: 'municipality',
      within: '09',
      by: 'year',
      from: '2020',
      to: '2020',
    });
    expect(result.series).toHaveLength(16);
    expect(result.series.every((s) => s.points.length === 1)).toBe(true);
  });

  it('refuses a file of another source, naming both headers, and changes nothing', async () => {
    const before = await snapshot(stats);
    const error = await importFile(stats, source('inegi-homicides-state'), POP_YEARLY!, options).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toContain('does not match any layout of inegi-homicides-state');
    expect(await snapshot(stats)).toEqual(before);
  });

  describe('bad files', () => {
    const head = async (lines: number) => (await sharedLines(STATE!)).slice(0, lines + 1);
    const write = async (name: string, content: string | Buffer) => {
      const file = path.join(dir, name);
      await writeFile(file, content);
      return file;
    };

    it('refuses a truncated .gz and changes nothing', async () => {
      const bytes = await readFile(MUNICIPAL!);
      const file = await write('truncated.csv.gz', bytes.subarray(0, Math.floor(bytes.length / 2)));
      const before = await snapshot(stats);
      const error = await importFile(stats, source('inegi-homicides-municipal'), file, options).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toMatch(/truncated or damaged/);
      expect(await snapshot(stats)).toEqual(before);
    });

    it('refuses a file with a missing column', async () => {
      const lines = (await head(50)).map((l) =>
        l.split('|').slice(0, 3).concat(l.split('|').slice(4)).join('|'),
      );
      const file = await write('missing-column.csv', lines.join('\n'));
      const before = await snapshot(stats);
      await expect(importFile(stats, source('inegi-homicides-state'), file, options)).rejects.toThrow(
        /header does not match/,
      );
      expect(await snapshot(stats)).toEqual(before);
    });

    it('refuses negative counts above the threshold with file:line, and accepts them as rejects below it', async () => {
      const lines = await head(200);
      const bad = lines.map((l, i) =>
        i > 0 && i % 20 === 0 ? l.replace(/^([^|]*\|[^|]*\|[^|]*\|)(\d+)/, '$1-$2') : l,
      );
      const file = await write('negative.csv.gz', gzipSync(bad.join('\n')));
      const before = await snapshot(stats);
      const error = (await importFile(stats, source('inegi-homicides-state'), file, options).catch(
        (e: unknown) => e,
      )) as DataError;
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toContain('10 of 200 rows rejected');
      expect(error.message).toContain(`${file}:21 homicides=`);
      expect(error.message).toContain('negative count');
      expect(await snapshot(stats)).toEqual(before);

      const accepted = await importFile(stats, source('inegi-homicides-state'), file, {
        ...options,
        maxRejectShare: 0.1,
      });
      expect(accepted).toMatchObject({ rowsRead: 200, rowsLoaded: 190, rowsRejected: 10 });
      expect(accepted.rejects[0]).toMatchObject({ line: 21, column: 'homicides', reason: 'negative count' });
    });

    it('reports unknown place codes, and rejects duplicate keys and bad months', async () => {
      const lines = await head(100);
      const extra = ['99|2000|1|5|1|1', lines[1]!, '01|2000|13|1|1|1'];
      const file = await write('odd.csv', [...lines, ...extra].join('\n'));
      const report = await importFile(stats, source('inegi-homicides-state'), file, {
        ...options,
        maxRejectShare: 0.05,
      });
      expect(report.unknownPlaces).toEqual({ count: 1, examples: ['99'] });
      expect(report.rejects.map((r) => [r.line, r.column, r.reason])).toEqual([
        [103, '(row)', expect.stringContaining('duplicate key')],
        [104, 'month', 'month must be 1 to 12'],
      ]);
    });
  });
});
