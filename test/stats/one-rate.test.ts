/**
 * One place, period and measure has one rate, on the real files: Chihuahua's 2020 homicides per 100,000
 * are the same on the series API, the explorer, the place profile, a statistics-linked indicator (its
 * page and the scorecard) and the example workspace's reported results, because every surface divides by
 * the same population: CONAPO's mid-year figure, although the monthly interpolation is imported too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltins } from '../../src/records/builtin.js';
import type { RecordsStore } from '../../src/records/database.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
import { freshStore } from '../records/stores.js';
import { sharedFile } from './shared-data.js';

const FILES = [
  ['inegi-geo-catalog', sharedFile('geo/cve_nom_estados.csv')],
  ['conapo-population-state', sharedFile('conapo/conapo_pob_ent_gender_1950_2070.csv')],
  ['conapo-population-state-monthly', sharedFile('conapo/pop_states_monthly_1990_2050.csv')],
  ['inegi-homicides-state', sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv')],
] as const;

/** INEGI's 3,363 homicides over CONAPO's mid-year population of Chihuahua in 2020. */
const RATE = (3363 / 3_812_627) * 100_000;

type Workspace = {
  programs: { code: string; indicators: Record<string, unknown>[] }[];
  results: { indicator: string; period: string; status?: string }[];
};

(FILES.every(([, f]) => f) ? describe : describe.skip)('one rate per place, period and measure', () => {
  let stats: StatsStore;
  let store: RecordsStore & { dispose?: () => Promise<void> };
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    stats = await openStats({ memory: true });
    for (const [id, file] of FILES) await importFile(stats, sourceById(id)!, file!, { version: 'test' });
    store = await freshStore('pglite');
    await loadBuiltins(store, 'test');
    const workspace = (await exampleWorkspace()) as Workspace;
    // The example's reported 2020 result, approved so that the public scorecard counts it; and the same
    // rate as a statistics-linked indicator of the same program.
    for (const r of workspace.results)
      if (r.indicator === 'EX-HOM-RATE-08' && r.period === '2020') r.status = 'approved';
    const program = workspace.programs.find((p) => p.code === 'EX-CHIHUAHUA-PREVENTION')!;
    const reported = program.indicators.find((i) => i.code === 'EX-HOM-RATE-08')!;
    program.indicators.push({
      ...reported,
      code: 'EX-HOM-RATE-08-INEGI',
      series: { measure: 'homicides', geo: '08', per: 100_000 },
      baseline: { value: 48.66, period: '2016' },
    });
    await loadWorkspace(store, workspace, { actor: 'loader', now: clock });
    app = createApp({ store, stats, now: clock });
  }, 120_000);
  afterAll(async () => {
    stats?.close();
    await store?.dispose?.();
  });

  const text = async (path: string) => {
    const res = await app.request(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };

  it('is the same on the API, the explorer, the profile, the indicator and the scorecard', async () => {
    // The API: the mid-year population, named on the point.
    const api = JSON.parse(
      await text('/api/v1/series?measure=homicides&geo=08&from=2020&to=2020&per=100000'),
    ) as { series: { points: { rate: number; population: number; populationSource: string }[] }[] };
    const [point] = api.series[0]!.points;
    expect([point!.population, point!.populationSource]).toEqual([3_812_627, 'conapo-population-state']);
    expect(point!.rate).toBeCloseTo(RATE, 9);

    // The scorecard: the linked indicator and the reported results give the same actual.
    const card = JSON.parse(await text('/api/v1/scorecards')) as {
      programs: {
        code: string;
        indicators: { code: string; periods: { period: string; actual: number }[] }[];
      }[];
    };
    const indicators = card.programs.find((p) => p.code === 'EX-CHIHUAHUA-PREVENTION')!.indicators;
    for (const code of ['EX-HOM-RATE-08', 'EX-HOM-RATE-08-INEGI']) {
      const actual = indicators
        .find((i) => i.code === code)!
        .periods.find((p) => p.period === '2020')!.actual;
      expect(actual, code).toBeCloseTo(RATE, 9);
    }

    // The pages show it rounded, in both languages, and no other rate for 2020.
    const shown = RATE.toFixed(2);
    expect(shown).toBe('88.21');
    const profile = await text('/places/08');
    // The profile's table rounds rates as the explorer does, to two decimals: its 2020 cell, beside the
    // count, is 88.21, never the monthly mean's 88.24.
    expect(/([\d.]+) <span class="muted small">\(3,363\)<\/span>/.exec(profile)?.[1]).toBe(shown);
    const pages = {
      explorer: await text('/explore?measure=homicides&geo=08&from=2020&to=2020&per=100000'),
      indicator: await text('/indicators/EX-HOM-RATE-08-INEGI'),
      reported: await text('/indicators/EX-HOM-RATE-08?lang=es'),
      // The program's page: its scorecard, the tracking table of every indicator.
      scorecard: await text('/programs/EX-CHIHUAHUA-PREVENTION'),
    };
    for (const [surface, html] of Object.entries(pages)) expect(html, surface).toContain(shown);
    // Both 2020 actuals of the program's scorecard: the reported one and the linked one.
    expect(pages.scorecard.split(`>${shown}<`).length - 1).toBeGreaterThanOrEqual(2);
    // The mean of the monthly figures (88.24) and the 2010 projection (98.68) appear nowhere.
    for (const [surface, html] of Object.entries({ ...pages, profile })) {
      expect(html, surface).not.toContain('88.24');
      expect(html, surface).not.toContain('98.68');
    }
  });
});
