import { indicator, program, workspace as build } from '../fixtures/workspace.js';
import { exportWorkspace } from '../../src/records/workspace-export.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/error.js';
import { translator } from '../../src/i18n/index.js';
import { describeGap } from '../../src/indicators/linked-actuals.js';
import { createApp } from '../../src/server/app.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { buildScorecard } from '../../src/indicators/scorecard.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const POP = sharedFile('conapo/conapo_pob_ent_gender_1950_2070.csv');
const STATES = sharedFile('geo/cve_nom_estados.csv');

/** A workspace with one program and one indicator of Chihuahua's homicide rate, changed by `fields`. */
const workspace = (fields: Record<string, unknown>) =>
  build({
    periods: ['2019', '2020', 'FY2020', '2020-H1', '2030', '2022-07/2023-06'].map((code) => ({ code })),
    programs: [
      program('LINKED', {
        title: { en: 'Linked', es: 'Vinculado' },
        indicators: [
          indicator('LINKED-RATE', {
            name: { en: 'Homicide rate in Chihuahua', es: 'Tasa de homicidios en Chihuahua' },
            definition: { en: 'INEGI homicides per 100,000', es: 'Homicidios del INEGI por 100 000' },
            source: 'INEGI and CONAPO through Marco',
            aggregation: 'latest',
            ...fields,
          }),
        ],
      }),
    ],
  });

(STATE && POP && STATES ? describe : describe.skip)('statistics-linked indicators', () => {
  let records: RecordsStore;
  let stats: StatsStore;
  beforeAll(async () => {
    records = await openRecords({ memory: true });
    await loadBuiltins(records, 'test');
    stats = await openStats({ memory: true });
    await importFile(stats, sourceById('inegi-homicides-state')!, STATE!, { version: 'test' });
    await importFile(stats, sourceById('conapo-population-state')!, POP!, { version: 'test' });
  });
  afterAll(async () => {
    stats?.close();
    await records?.close();
  });

  it('computes actuals and a baseline given as a period from the statistics store', async () => {
    await loadWorkspace(
      records,
      workspace({
        series: { measure: 'homicides', geo: '08', per: 100000 },
        baseline: { period: '2019' },
        targets: [{ period: '2020', value: 60 }],
      }),
      { actor: 'test' },
    );
    const lines = (await sharedLines(STATE!)).slice(1).map((l) => l.split('|'));
    const homicides = (year: string) =>
      lines.filter((f) => f[0] === '08' && f[1] === year).reduce((s, f) => s + Number(f[3]), 0);
    const pop = (await sharedLines(POP!)).slice(1).map((l) => l.split(','));
    const population = (year: string) =>
      Number(pop.find((f) => f[0] === year && f[2] === '08' && f[3] === 'Total')![5]);
    const rate = (year: string) => (homicides(year) / population(year)) * 100000;

    const card = await buildScorecard(records, { program: 'LINKED', stats });
    const indicator = card.programs[0]!.indicators[0]!;
    expect(indicator.baseline!.value).toBeCloseTo(rate('2019'), 9);
    const y2020 = indicator.periods.find((p) => p.period === '2020')!;
    expect(y2020.actual).toBeCloseTo(rate('2020'), 9);
    expect(y2020.percentMet).toBeCloseTo((rate('2020') - rate('2019')) / (60 - rate('2019')), 9);
    expect(indicator.series).toEqual({ measure: 'homicides', geo: '08', per: 100000 });

    // Without the statistics store the indicator says why it has no data, for each period.
    const without = (await buildScorecard(records, { program: 'LINKED' })).programs[0]!.indicators[0]!;
    expect(without.status).toBe('no_data');
    expect(without.seriesGaps).toEqual([
      { period: '2020', reason: 'no_stats_store' },
      { period: '2019', reason: 'no_stats_store', baseline: true },
    ]);
    expect(describeGap(translator('es'), without.seriesGaps![1]!)).toBe(
      'línea base 2019: no hay un almacén de estadísticas abierto',
    );

    // The link survives export and reload unchanged.
    const exported = await exportWorkspace(records);
    const summary = await loadWorkspace(records, exported, { actor: 'test' });
    expect(Object.values(summary).every((c) => c.create + c.update + c.deleted === 0)).toBe(true);
  });

  it('sums a count over a fiscal year, month by month', async () => {
    await loadWorkspace(
      records,
      workspace({
        code: 'LINKED-COUNT',
        direction: 'decrease',
        aggregation: 'sum',
        series: { measure: 'homicides', geo: '08' },
        baseline: { value: 3000, period: '2019' },
        targets: [{ period: 'FY2020', value: 2500 }],
      }),
      { actor: 'test' },
    );
    const lines = (await sharedLines(STATE!)).slice(1).map((l) => l.split('|'));
    const fy2020 = lines
      .filter(
        (f) =>
          f[0] === '08' &&
          ((f[1] === '2019' && Number(f[2]) >= 10) || (f[1] === '2020' && Number(f[2]) <= 9)),
      )
      .reduce((s, f) => s + Number(f[3]), 0);
    const card = await buildScorecard(records, { program: 'LINKED', stats });
    const indicator = card.programs[0]!.indicators.find((i) => i.code === 'LINKED-COUNT')!;
    expect(indicator.periods[0]!.actual).toBe(fy2020);
  });

  it('computes a rate over a fiscal year and a half year from the months and their population', async () => {
    await loadWorkspace(
      records,
      workspace({
        code: 'LINKED-FY-RATE',
        series: { measure: 'homicides', geo: '08', per: 100000 },
        baseline: { period: '2019' },
        targets: [
          { period: 'FY2020', value: 60 },
          { period: '2020-H1', value: 30 },
        ],
      }),
      { actor: 'test' },
    );
    const lines = (await sharedLines(STATE!)).slice(1).map((l) => l.split('|'));
    const count = (keep: (y: number, m: number) => boolean) =>
      lines
        .filter((f) => f[0] === '08' && keep(Number(f[1]), Number(f[2])))
        .reduce((s, f) => s + Number(f[3]), 0);
    const pop = (await sharedLines(POP!)).slice(1).map((l) => l.split(','));
    const population = (year: string) =>
      Number(pop.find((f) => f[0] === year && f[2] === '08' && f[3] === 'Total')![5]);
    // Yearly population serves each of its months: October–December 2019, then January–September 2020.
    const fyPopulation = (3 * population('2019') + 9 * population('2020')) / 12;
    const fyRate =
      (count((y, m) => (y === 2019 && m >= 10) || (y === 2020 && m <= 9)) / fyPopulation) * 100000;
    const h1Rate = (count((y, m) => y === 2020 && m <= 6) / population('2020')) * 100000;
    const card = await buildScorecard(records, { program: 'LINKED', stats });
    const indicator = card.programs[0]!.indicators.find((i) => i.code === 'LINKED-FY-RATE')!;
    expect(indicator.periods.find((p) => p.period === 'FY2020')!.actual).toBeCloseTo(fyRate, 9);
    expect(indicator.periods.find((p) => p.period === '2020-H1')!.actual).toBeCloseTo(h1Rate, 9);
  });

  it('says why each period without an actual has none, in both languages', async () => {
    const gapsOf = async (code: string, series: Record<string, unknown>, periods: string[], on = stats) => {
      await loadWorkspace(
        records,
        workspace({ code, series, targets: periods.map((period) => ({ period, value: 1 })) }),
        { actor: 'test' },
      );
      const card = await buildScorecard(records, { program: 'LINKED', stats: on });
      return card.programs[0]!.indicators.find((i) => i.code === code)!.seriesGaps;
    };
    expect(await gapsOf('GAP-DATA', { measure: 'homicides', geo: '08' }, ['2020', '2030'])).toEqual([
      { period: '2030', reason: 'no_data' },
    ]);
    // The state file ends in December 2022: half of this span is missing, so no sum is given for it.
    expect(await gapsOf('GAP-PART', { measure: 'homicides', geo: '08' }, ['2022-07/2023-06'])).toEqual([
      { period: '2022-07/2023-06', reason: 'incomplete_period' },
    ]);
    expect(await gapsOf('GAP-MEASURE', { measure: 'nothing', geo: '08' }, ['2020'])).toEqual([
      { period: '2020', reason: 'unknown_measure' },
    ]);
    // The API gives each gap's reason as a code and as a sentence in the reader's language.
    const res = await createApp({ store: records, stats }).request(
      '/api/v1/scorecards?program=LINKED&lang=es',
    );
    const served = (
      (await res.json()) as { programs: { indicators: { code: string; seriesGaps?: unknown[] }[] }[] }
    ).programs[0]!.indicators.find((i) => i.code === 'GAP-DATA')!;
    expect(served.seriesGaps).toEqual([
      {
        period: '2030',
        reason: 'no_data',
        message: '2030: no hay datos de este periodo en el almacén de estadísticas',
      },
    ]);
    const [invalid] = (await gapsOf('GAP-LINK', { measure: 'overdose_deaths_12m', geo: 'US' }, ['2020']))!;
    expect(invalid).toMatchObject({ period: '2020', reason: 'invalid_link' });
    expect(invalid!.detail).toContain('must be filtered by indicator');
    // Pages and the CLI show the store's own reason after the translated one, both in the reader's language.
    expect(describeGap(translator('es'), invalid!)).toBe(
      '2020: el vínculo a la serie no puede consultarse en el almacén de estadísticas (overdose_deaths_12m debe filtrarse por indicator: sus categorías se traslapan y no pueden sumarse)',
    );

    // A store with homicides and the place catalogue but no population: no rate, and an unknown place.
    const bare = await openStats({ memory: true });
    try {
      await importFile(bare, sourceById('inegi-homicides-state')!, STATE!, { version: 'test' });
      await importFile(bare, sourceById('inegi-geo-catalog')!, STATES!, { version: 'test' });
      expect(
        await gapsOf('GAP-POP', { measure: 'homicides', geo: '08', per: 100000 }, ['2020'], bare),
      ).toEqual([{ period: '2020', reason: 'no_population' }]);
      const [unknown] = (await gapsOf('GAP-PLACE', { measure: 'homicides', geo: '99' }, ['2020'], bare))!;
      expect(unknown).toEqual({ period: '2020', reason: 'unknown_place' });
      expect(describeGap(translator('en'), unknown!)).toBe(
        '2020: the place is not in the geography catalogue',
      );
    } finally {
      bare.close();
    }
  });

  it('lets a failure of the statistics store surface instead of showing it as no data', async () => {
    const closed = await openStats({ memory: true });
    await importFile(closed, sourceById('inegi-homicides-state')!, STATE!, { version: 'test' });
    closed.close();
    await expect(buildScorecard(records, { program: 'LINKED', stats: closed })).rejects.toThrow();
  });

  it('refuses a baseline without a value on an indicator that is not linked', async () => {
    const error = await loadWorkspace(
      records,
      workspace({ code: 'UNLINKED', baseline: { period: '2019' } }),
      {
        actor: 'test',
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]!.path).toBe('programs[0].indicators[0].baseline.value');
  });
});
