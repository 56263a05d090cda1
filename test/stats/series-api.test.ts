import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { seriesQueryFromText } from '../../src/stats/series-query.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const STATES = sharedFile('geo/cve_nom_estados.csv');
const POP_MONTHLY = sharedFile('conapo/pop_states_monthly_1990_2050.csv');

(STATE && STATES && POP_MONTHLY ? describe : describe.skip)('GET /api/v1/series and /api/v1/sources', () => {
  let records: RecordsStore;
  let stats: StatsStore;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    records = await openRecords({ memory: true });
    stats = await openStats({ memory: true });
    for (const [id, file] of [
      ['inegi-geo-catalog', STATES!],
      ['inegi-homicides-state', STATE!],
      ['conapo-population-state-monthly', POP_MONTHLY!],
    ] as const)
      await importFile(stats, sourceById(id)!, file, { version: 'test' });
    app = createApp({ store: records, stats });
  });
  afterAll(async () => {
    stats?.close();
    await records?.close();
  });
  const get = async (path: string, target = app) => {
    const res = await target.request(path);
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { error?: { code: string } },
    };
  };

  it('gives rates per the base asked for, and annualised monthly and quarterly rates', async () => {
    const lines = (await sharedLines(STATE!)).slice(1).map((l) => l.split('|'));
    const count = (month: number) =>
      Number(lines.find((f) => f[0] === '08' && f[1] === '2020' && f[2] === String(month))![3]);
    const pops = (await sharedLines(POP_MONTHLY!)).map((l) => l.split(','));
    const pop = (month: number) =>
      Number(pops.find((f) => f[0] === '8' && f[1] === `2020-${String(month).padStart(2, '0')}-01`)![2]);
    type Answer = { series: { points: { period: string; rate: number }[] }[] };
    const rates = async (query: string) =>
      (
        (await get(`/api/v1/series?measure=homicides&geo=08&from=2020-01&to=2020-06&${query}`)).body as Answer
      ).series[0]!.points.map((p) => p.rate);
    // Per 1,000 inhabitants, month by month: the count over that month's population, times 1,000.
    const perThousand = await rates('by=month&per=1000');
    expect(perThousand).toHaveLength(6);
    perThousand.forEach((rate, i) => expect(rate).toBeCloseTo((count(i + 1) / pop(i + 1)) * 1000, 12));
    // Annualised: a month's rate times 12, so a month compares with a year.
    const annual = await rates('by=month&per=100000&annualize=true');
    annual.forEach((rate, i) => expect(rate).toBeCloseTo((count(i + 1) / pop(i + 1)) * 100000 * 12, 9));
    // A quarter: its three months over the quarter's mean population, times 4 when annualised.
    const quarter = await rates('by=quarter&per=10&annualize=true');
    const q1 = (count(1) + count(2) + count(3)) / ((pop(1) + pop(2) + pop(3)) / 3);
    expect(quarter[0]).toBeCloseTo(q1 * 10 * 4, 12);
    // The CLI says the same through the one query parser.
    const cli = await querySeries(
      stats,
      seriesQueryFromText(
        { measure: 'homicides', geo: '08', by: 'month', from: '2020-01', to: '2020-06', per: '1000' },
        'cli',
      ),
    );
    expect(cli.series[0]!.points.map((p) => p.rate)).toEqual(perThousand);
  });

  it('reads INEGI’s national code 00 as Mexico, and refuses a place the catalogue does not know', async () => {
    const national = await get('/api/v1/series?measure=homicides&geo=00,08&by=year&from=2020&to=2020');
    expect(national.status).toBe(200);
    const byGeo = (body: unknown) =>
      Object.fromEntries(
        (body as { series: { geo: string; points: { value: number }[] }[] }).series.map((x) => [
          x.geo,
          x.points[0]!.value,
        ]),
      );
    const mx = await get('/api/v1/series?measure=homicides&geo=MX,08&by=year&from=2020&to=2020');
    expect(byGeo(national.body)).toEqual(byGeo(mx.body));
    expect(byGeo(national.body).MX).toBeGreaterThan(30_000);
    const unknown = await get('/api/v1/series?measure=homicides&geo=99&by=year&from=2020&to=2020');
    expect(unknown.status).toBe(400);
  });

  it('serves monthly state rates with the population and vintages behind them', async () => {
    const { status, body } = await get(
      '/api/v1/series?measure=homicides&geo=08&by=month&from=2020-01&to=2020-03&per=100000',
    );
    expect(status).toBe(200);
    const lines = (await sharedLines(STATE!)).slice(1).map((l) => l.split('|'));
    const jan = Number(lines.find((f) => f[0] === '08' && f[1] === '2020' && f[2] === '1')![3]);
    const pop = (await sharedLines(POP_MONTHLY!))
      .map((l) => l.split(','))
      .find((f) => f[0] === '8' && f[1] === '2020-01-01')!;
    const series = (
      body.series as {
        geo: string;
        method: string;
        points: { period: string; value: number; population: number; rate: number }[];
      }[]
    )[0]!;
    expect(series.method).toBe('published');
    expect(series.points).toHaveLength(3);
    expect(series.points[0]).toMatchObject({ period: '2020-01', value: jan, population: Number(pop[2]) });
    expect(series.points[0]!.rate).toBeCloseTo((jan / Number(pop[2])) * 100000, 9);
    expect((body.vintages as { source: string; sha256: string }[]).map((v) => v.source).sort()).toEqual([
      'conapo-population-state-monthly',
      'inegi-homicides-state',
    ]);
  });

  it('returns every state at once for a map', async () => {
    const { body } = await get(
      '/api/v1/series?measure=homicides&level=state&by=year&from=2019&to=2019&per=100000',
    );
    expect((body.series as unknown[]).length).toBe(32);
  });

  it('answers bad query parameters with 400, an unknown measure with 404 and a missing store with 503', async () => {
    expect((await get('/api/v1/series?measure=homicides&geo=08&by=week')).status).toBe(400);
    expect((await get('/api/v1/series?measure=homicides&geo=8')).status).toBe(400);
    expect((await get('/api/v1/series?measure=nothing&geo=08')).status).toBe(404);
    expect((await get('/api/v1/series?measure=homicides&geo=08&from=2019-13')).status).toBe(400);
    expect((await get('/api/v1/series?measure=homicides&geo=08', createApp({ store: records }))).status).toBe(
      503,
    );
  });

  it('refuses a malformed filter and a bad view of the CSV download, in the same words as the API', async () => {
    const filter = await get('/api/v1/series?measure=homicides&geo=08&filter=sexmale');
    expect(filter.status).toBe(400);
    expect(JSON.stringify(filter.body)).toContain('expected name:value');
    expect((await get('/api/v1/anomalies?measure=homicides&geo=08&filter=sexmale')).status).toBe(400);
    expect((await app.request('/explore.csv?measure=nothing&geo=MX')).status).toBe(404);
    expect((await app.request('/explore.csv?measure=homicides&geo=08&from=2019-13')).status).toBe(400);
    const missing = await createApp({ store: records }).request(
      '/explore.csv?measure=homicides&geo=08&lang=es',
    );
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain('almacén de estadísticas');
  });

  it('checks documented figures, and refuses a bad tolerance', async () => {
    const { status, body } = await get('/api/v1/claims');
    expect(status).toBe(200);
    expect(body.tolerance).toBe(0.05);
    expect((await get('/api/v1/claims?tolerance=7')).status).toBe(400);
  });

  it('reconciles only the years both sources report, and refuses a bad year', async () => {
    const { status, body } = await get('/api/v1/reconciliation?from=2019&to=2020');
    expect(status).toBe(200);
    expect(body).toEqual([]); // no SESNSP victims imported in this store
    expect((await get('/api/v1/reconciliation?from=19')).status).toBe(400);
  });

  it('lists sources with licences and vintages', async () => {
    const { body } = await get('/api/v1/sources');
    const state = (
      body as unknown as { id: string; licence: string; vintages: { rows_loaded: number }[] }[]
    ).find((s) => s.id === 'inegi-homicides-state')!;
    expect(state.licence).toContain('INEGI');
    expect(state.vintages[0]!.rows_loaded).toBe(8832);
  });
});
