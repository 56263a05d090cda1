/**
 * Every number means one thing, on the real files of ../shared/data: a period's value, source, method
 * and partial flag are the same whether the period is asked alone or inside any longer window, for every
 * measure at every level it is published or summed at; sources hand over period by period in the
 * documented precedence; and partial periods (SESNSP's half year, CBP's first quarter of FY2026, CDC's
 * last month, the extract's registration cut-off) are flagged with the months they hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords } from '../../src/records/database.js';
import { formatMonths, formatNumber, translator } from '../../src/i18n/index.js';
import { createApp } from '../../src/server/app.js';
import { measureCatalogue, type MeasureEntry } from '../../src/stats/discover/catalogue.js';
import { querySeries, type SeriesPoint, type SeriesQuery } from '../../src/stats/series.js';
import type { StatsStore } from '../../src/stats/stats-store.js';
import { openSharedStats, sharedObservationFiles } from './shared-store.js';

const files = sharedObservationFiles();

/** Each measure at the places of each level it reaches, with a filter where it needs one. */
const CASES: {
  measure: string;
  geo: string[];
  by?: 'year' | 'fiscal_year';
  filters?: Record<string, string>;
}[] = [
  { measure: 'homicides', geo: ['MX', '08', '08037'] },
  { measure: 'population', geo: ['MX', '08', '08037'] },
  { measure: 'homicide_victims', geo: ['MX', '08'] },
  { measure: 'femicide_victims', geo: ['MX', '26'] },
  { measure: 'kidnapping_victims', geo: ['MX', '15'] },
  { measure: 'extortion_victims', geo: ['MX', '14'] },
  { measure: 'crime_victims', geo: ['MX', '09'] },
  { measure: 'crime_reports', geo: ['MX', '25'] },
  { measure: 'synthetic_opioid_deaths_12m', geo: ['US', 'NY'] },
  { measure: 'drug_seizures_lbs', geo: ['US'] },
  { measure: 'drug_seizure_events', geo: ['US'], by: 'fiscal_year' },
  {
    measure: 'us_assistance_usd',
    geo: ['MX'],
    by: 'fiscal_year',
    filters: { transaction_type: 'Obligations' },
  },
  {
    measure: 'us_assistance_usd_constant',
    geo: ['MX'],
    by: 'fiscal_year',
    filters: { transaction_type: 'Disbursements' },
  },
];

/** What must not depend on the window: everything of a point but its place in the answer. */
const essence = (p: SeriesPoint) => ({
  period: p.period,
  value: p.value,
  source: p.source,
  method: p.method,
  partial: p.partial,
  covers: p.covers,
  partialReason: p.partialReason,
});

/** With its rate: the population behind it, its source, and why a rate is missing. */
const withRate = (p: SeriesPoint) => ({
  ...essence(p),
  population: p.population,
  populationSource: p.populationSource,
  rate: p.rate,
  rateGap: p.rateGap,
});

const year = (period: string) => Number(period.replace('FY', ''));
const code = (y: number, by: string) => (by === 'fiscal_year' ? `FY${y}` : String(y));

(files ? describe : describe.skip)('series on the shared data', () => {
  let stats: StatsStore;
  const ask = async (q: SeriesQuery) => (await querySeries(stats, q)).series;

  beforeAll(async () => {
    stats = await openSharedStats(files!);
  }, 300_000);
  afterAll(() => stats?.close());

  it('gives every period the same value alone and inside longer windows, for every measure and level', async () => {
    // The cases cover every measure the shared files hold.
    const held = new Set((await stats.metadata()).coverage.map((c) => c.measure));
    expect([...held].sort()).toEqual([...new Set(CASES.map((c) => c.measure))].sort());
    let compared = 0;
    for (const c of CASES) {
      const by = c.by ?? 'year';
      // With a rate: its population, and why one is missing, must not depend on the window either.
      const base = { measure: c.measure, by, per: 100_000, ...(c.filters ? { filters: c.filters } : {}) };
      for (const geo of c.geo) {
        const [whole] = await ask({ ...base, geo: [geo] });
        expect(whole, `${c.measure} ${geo}`).toBeDefined();
        const points = whole!.points;
        expect(points.length, `${c.measure} ${geo}`).toBeGreaterThan(2);
        const first = year(points[0]!.period);
        const last = year(points.at(-1)!.period);
        for (const point of points) {
          const y = year(point.period);
          const windows = [
            [y, y],
            [Math.max(first, y - 2), Math.min(last, y + 5)],
            [Math.max(first, y - 9), Math.min(last, y + 1)],
            // Reaching past both ends of the data.
            [first - 3, last + 3],
          ];
          for (const [from, to] of windows) {
            const [answer] = await ask({ ...base, geo: [geo], from: code(from!, by), to: code(to!, by) });
            const same = answer!.points.find((p) => p.period === point.period);
            expect(same && withRate(same), `${c.measure} ${geo} ${point.period} in ${from}–${to}`).toEqual(
              withRate(point),
            );
            compared++;
          }
        }
      }
    }
    // Every period of every case, in four windows each, besides the whole range.
    expect(compared).toBeGreaterThan(1300);
  }, 300_000);

  it('serves Mexico’s homicides from the state file from 2000, and the 1990–2008 extract only before', async () => {
    const [mx] = await ask({ measure: 'homicides', geo: ['MX'] });
    const at = (period: string) => mx!.points.find((p) => p.period === period)!;
    expect(essence(at('2000'))).toEqual({
      period: '2000',
      value: 10559,
      source: 'inegi-homicides-state',
      method: 'sum of states',
      partial: false,
      covers: undefined,
      partialReason: undefined,
    });
    expect([at('1999').source, at('1999').method]).toEqual(['inegi-homicides-historic', 'published']);
    // The extract's 2008 lacks the deaths registered later; the state file covers 2008 whole.
    expect([at('2008').source, at('2008').partial]).toEqual(['inegi-homicides-state', false]);
    expect(mx!.breaks).toEqual([
      {
        period: '2000',
        start: '2000-01-01',
        from: { source: 'inegi-homicides-historic', method: 'published' },
        to: { source: 'inegi-homicides-state', method: 'sum of states' },
      },
    ]);
    expect(mx!.points[0]!.period).toBe('1990');
    expect(mx!.points.at(-1)!.period).toBe('2022');
    // Asked from the extract alone, 2008 is served and flagged: the registration cut-off.
    const [extract] = await ask({
      measure: 'homicides',
      geo: ['MX'],
      from: '2008',
      to: '2008',
      source: 'inegi-homicides-historic',
    });
    expect(extract!.points.map(essence)).toEqual([
      {
        period: '2008',
        value: expect.any(Number) as number,
        source: 'inegi-homicides-historic',
        method: 'published',
        partial: true,
        covers: { from: '2008-01', to: '2008-12' },
        partialReason: 'registration_cutoff',
      },
    ]);
    // About 4% short of the state file's 2008.
    const short = 1 - extract!.points[0]!.value / at('2008').value;
    expect(short).toBeGreaterThan(0.02);
    expect(short).toBeLessThan(0.06);
  });

  it('flags SESNSP’s 2025, CBP’s FY2026 and CDC’s last month as partial, with the months they hold', async () => {
    const [victims] = await ask({ measure: 'homicide_victims', geo: ['MX'], from: '2024', to: '2025' });
    expect(victims!.points.map((p) => [p.period, p.partial, p.covers])).toEqual([
      ['2024', false, undefined],
      ['2025', true, { from: '2025-01', to: '2025-06' }],
    ]);
    const [seizures] = await ask({
      measure: 'drug_seizures_lbs',
      geo: ['US'],
      by: 'fiscal_year',
      from: 'FY2025',
    });
    expect(seizures!.points.map((p) => [p.period, p.partial, p.covers])).toEqual([
      ['FY2025', false, undefined],
      ['FY2026', true, { from: '2025-10', to: '2025-12' }],
    ]);
    // A 12-month-ending count by year is its December value; the last year holds January 2026 only.
    const [opioids] = await ask({ measure: 'synthetic_opioid_deaths_12m', geo: ['US'], from: '2025' });
    const [months] = await ask({
      measure: 'synthetic_opioid_deaths_12m',
      geo: ['US'],
      by: 'month',
      from: '2025-12',
    });
    expect(opioids!.points.map((p) => [p.period, p.value, p.partial, p.covers])).toEqual([
      ['2025', months!.points[0]!.value, false, undefined],
      ['2026', months!.points[1]!.value, true, { from: '2026-01', to: '2026-01' }],
    ]);
    expect(months!.points.map((p) => [p.period, p.partial])).toEqual([
      ['2025-12', false],
      ['2026-01', false],
    ]);
  });

  it('shows the same partial periods in the API, the CSV download, the explorer and the home page', async () => {
    const records = await openRecords({ memory: true });
    try {
      const app = createApp({ store: records, stats });
      const cases = [
        ['measure=homicide_victims&geo=MX&from=2024&to=2025', '2025', '2025-01', '2025-06'],
        ['measure=drug_seizures_lbs&geo=US&by=fiscal_year&from=FY2025', 'FY2026', '2025-10', '2025-12'],
        ['measure=synthetic_opioid_deaths_12m&geo=US&from=2025', '2026', '2026-01', '2026-01'],
      ] as const;
      for (const [query, period, from, to] of cases) {
        const api = (await (await app.request(`/api/v1/series?${query}`)).json()) as {
          series: { points: SeriesPoint[] }[];
        };
        const points = api.series[0]!.points;
        expect(
          points.map((p) => [p.period, p.partial, p.covers]),
          query,
        ).toEqual([
          [points[0]!.period, false, undefined],
          [period, true, { from, to }],
        ]);
        // The download: the partial row says so, with the months it holds.
        const [header, ...lines] = (await (await app.request(`/explore.csv?${query}`)).text())
          .trim()
          .split('\n');
        const col = (name: string) => header!.split(',').indexOf(name);
        const row = lines.map((l) => l.split(',')).find((r) => r[col('period')] === period)!;
        expect(
          ['partial', 'covers_from', 'covers_to'].map((c) => row[col(c)]),
          query,
        ).toEqual(['true', from, to]);
        expect(
          lines.map((l) => l.split(',')[col('partial')]),
          query,
        ).toEqual(['false', 'true']);
        // The explorer's table names the months, in each language, under the caption about hollow dots.
        for (const locale of ['en', 'es'] as const) {
          const page = await (await app.request(`/explore?${query}&lang=${locale}`)).text();
          const months = formatMonths(locale, from, to);
          expect(page, `${query} ${locale}`).toContain(translator(locale)('web.explore.partial', { months }));
          expect(page, `${query} ${locale}`).toContain(translator(locale)('web.explore.partialCaption'));
        }
      }
      // The home page's opioid card: its headline is the last whole year (2025, December's 12-month
      // count), said to be 2025, never January 2026's partial year.
      const [opioids] = await ask({ measure: 'synthetic_opioid_deaths_12m', geo: ['US'], from: '2025' });
      const whole = opioids!.points.find((p) => p.period === '2025')!;
      const home = await (await app.request('/?lang=en')).text();
      const card = home.slice(home.indexOf('data-measure="synthetic_opioid_deaths_12m"'));
      expect(card.slice(card.indexOf('>') + 1, card.indexOf('</strong')).trim()).toBe(
        formatNumber('en', whole.value, { maximumFractionDigits: 1 }),
      );
      expect(card.slice(card.indexOf('</strong'), card.indexOf('</p>'))).toMatch(/, 2025\s*$/);
    } finally {
      await records.close();
    }
  });

  it('lists what can be asked at /api/v1/measures, and refuses impossible queries with what is valid', async () => {
    const records = await openRecords({ memory: true });
    try {
      const app = createApp({ store: records, stats });
      const res = await app.request('/api/v1/measures');
      expect(res.status).toBe(200);
      const catalogue = (await res.json()) as MeasureEntry[];
      expect(catalogue).toEqual(await measureCatalogue(stats));
      const homicides = catalogue.find((m) => m.id === 'homicides')!;
      expect(homicides.precedence).toEqual([
        'inegi-homicides-state',
        'inegi-homicides-municipal',
        'inegi-homicides-historic',
      ]);
      expect(homicides.sources).toContainEqual({
        source: 'inegi-homicides-historic',
        level: 'country',
        granularity: 'month',
        from: '1990-01',
        to: '2008-12',
      });
      expect(homicides.levels).toEqual(['country', 'state', 'municipality']);
      const victims = catalogue.find((m) => m.id === 'homicide_victims')!;
      expect(victims.dimensions.sex).toEqual(['Hombre', 'Mujer', 'No identificado']);
      // A misspelt filter value, an unknown municipality, a window ending before it starts: 400, with
      // what is valid.
      for (const [query, words] of [
        ['measure=homicide_victims&geo=08&filter=sex:Mujeres', 'valid: "Hombre", "Mujer", "No identificado"'],
        [
          'measure=homicides&geo=08068',
          'no place "08068" in the geography catalogue; nearest codes: 08067 Valle de Zaragoza, 08066',
        ],
        ['measure=homicides&geo=08&from=2020&to=2010', '"2010" ends before "2020" starts'],
      ] as const) {
        const refused = await app.request(`/api/v1/series?${query}`);
        expect(refused.status, query).toBe(400);
        expect(JSON.stringify(await refused.json()), query).toContain(words.replaceAll('"', '\\"'));
      }
    } finally {
      await records.close();
    }
  });

  it('says why Juárez has no rate in 2007–2009: CONAPO publishes no municipal population for them', async () => {
    const [juarez] = await ask({
      measure: 'homicides',
      geo: ['08037'],
      from: '2006',
      to: '2010',
      per: 100_000,
    });
    expect(juarez!.points.map((p) => [p.period, p.rate === null, p.rateGap])).toEqual([
      ['2006', false, undefined],
      ['2007', true, 'no_population'],
      ['2008', true, 'no_population'],
      ['2009', true, 'no_population'],
      ['2010', false, undefined],
    ]);
    // The counts are there: 2008–2010 were Juárez's worst years.
    expect(juarez!.points.find((p) => p.period === '2010')!.value).toBeGreaterThan(2000);
    // The explorer says so in the rate column, in Spanish too.
    const records = await openRecords({ memory: true });
    try {
      const page = await createApp({ store: records, stats }).request(
        '/explore?measure=homicides&geo=08037&from=2008&to=2008&per=100000&lang=es',
      );
      expect(await page.text()).toContain('sin tasa: sin cifra de población para este periodo');
    } finally {
      await records.close();
    }
  });

  it('fills Juárez 2007–2009 only when asked to interpolate, on a straight line, whatever the window', async () => {
    const [published] = await ask({
      measure: 'homicides',
      geo: ['08037'],
      from: '2006',
      to: '2010',
      per: 100_000,
    });
    const pop = (period: string) => published!.points.find((p) => p.period === period)!.population!;
    const deaths = (period: string) => published!.points.find((p) => p.period === period)!.value;
    for (const [from, to] of [
      ['2008', '2008'],
      ['2007', '2009'],
      ['1995', '2020'],
    ]) {
      const [juarez] = await ask({
        measure: 'homicides',
        geo: ['08037'],
        from: from!,
        to: to!,
        per: 100_000,
        population: 'interpolated',
      });
      const at = juarez!.points.find((p) => p.period === '2008')!;
      // 2008 is halfway (24 of 48 months) from the published 2006 to the published 2010.
      const line = pop('2006') + ((pop('2010') - pop('2006')) * 24) / 48;
      expect(at.population, `${from}–${to}`).toBeCloseTo(line, 6);
      expect(at.rate, `${from}–${to}`).toBeCloseTo((deaths('2008') / line) * 100_000, 9);
      expect([at.populationMethod, at.populationSource, at.rateGap]).toEqual([
        'interpolated',
        'conapo-population-municipal',
        undefined,
      ]);
    }
    // Published periods keep their own figure, unmarked.
    const [both] = await ask({
      measure: 'homicides',
      geo: ['08037'],
      from: '2010',
      to: '2010',
      per: 100_000,
      population: 'interpolated',
    });
    expect([both!.points[0]!.population, both!.points[0]!.populationMethod]).toEqual([
      pop('2010'),
      undefined,
    ]);
    // The CLI and the CSV say which population is interpolated.
    const { seriesCsv } = await import('../../src/stats/series-csv.js');
    const csv = seriesCsv(
      await querySeries(stats, {
        measure: 'homicides',
        geo: ['08037'],
        from: '2007',
        to: '2010',
        per: 100_000,
        population: 'interpolated',
      }),
    ).split('\n');
    const column = csv[0]!.split(',').indexOf('population_method');
    expect(csv.slice(1, 5).map((line) => line.split(',')[column])).toEqual([
      'interpolated',
      'interpolated',
      'interpolated',
      'published',
    ]);
  });

  it('says why a period inside a series has no value: the extract lists only places with deaths', async () => {
    const [ascension] = await ask({ measure: 'homicides', geo: ['08002'], to: '2005' });
    expect(ascension!.missing).toEqual([
      { period: '1994', start: '1994-01-01', reason: 'not_listed', source: 'inegi-homicides-historic' },
      { period: '1998', start: '1998-01-01', reason: 'not_listed', source: 'inegi-homicides-historic' },
    ]);
    // The state file publishes every state and month: no state series misses a period.
    const states = await ask({ measure: 'homicides', level: 'state', from: '2000', to: '2022' });
    expect(states.filter((s) => s.missing)).toEqual([]);
    const records = await openRecords({ memory: true });
    try {
      const page = await createApp({ store: records, stats }).request(
        '/explore?measure=homicides&geo=08002&to=2005&lang=es',
      );
      expect(await page.text()).toContain(
        '08002, 1994, 1998: sin valor (inegi-homicides-historic solo enumera lugares y periodos con al menos una defunción',
      );
    } finally {
      await records.close();
    }
  });
});
