/**
 * Periods as DHIS2 users type them, through the API: `period=2021Q1` is the series of
 * `from=2021-Q1&to=2021-Q1`, `period=LAST_5_YEARS` that of the five calendar years before this one,
 * `from=2020Oct` FY2021's first month on; an ISO week is refused with a message that says why; and the
 * results filter reads `201701` as 2017-01. Places as users ask for them: `within=MX` gives Mexico's
 * results and those of every state and municipality, `place=MX&children=true` those of its states, on
 * results and on scorecards; `00` is Mexico; a place the geography spine does not know is a 400 that
 * names the nearest codes. On the starter snapshot and the example records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { ensureStarter } from '../../src/stats/starter.js';
import { openStats } from '../../src/stats/stats-store.js';
import { STORE_KINDS } from '../records/stores.js';
import { clock, exampleRecords, tokenFor } from './example-app.js';

/** The example records and the starter statistics behind one app, with a token for `who`. */
async function starterApp(who: Parameters<typeof tokenFor>[1]) {
  const stats = await openStats({ memory: true });
  await ensureStarter(stats, 'test');
  const store = await exampleRecords(STORE_KINDS[0]!);
  const token = await tokenFor(store, who);
  const app = createApp({ store, stats, now: clock, limits: false });
  return { app, token, close: async () => (stats.close(), await store.dispose()) };
}

describe('DHIS2 period codes in the API', () => {
  let app: ReturnType<typeof createApp>;
  let token = '';
  let close = async () => undefined as unknown;
  beforeAll(async () => {
    ({ app, token, close } = await starterApp({ user: 'ines', country: 'US', agency: 'INL' }));
  }, 60_000);
  afterAll(() => close());

  const points = async (query: string) => {
    const res = await app.request(`/api/v1/series?measure=homicides&geo=08&${query}`);
    expect(res.status, query).toBe(200);
    const body = (await res.json()) as { series: { points: { period: string; value: number }[] }[] };
    return body.series[0]!.points.map((p) => [p.period, p.value]);
  };

  it('reads fixed and relative DHIS2 periods as Marco periods', async () => {
    expect(await points('by=quarter&period=2021Q1')).toEqual(
      await points('by=quarter&from=2021-Q1&to=2021-Q1'),
    );
    expect(await points('by=month&period=202103')).toEqual(await points('by=month&from=2021-03&to=2021-03'));
    expect(await points('by=fiscal_year&period=2020Oct')).toEqual(
      await points('by=fiscal_year&from=FY2021&to=FY2021'),
    );
    const year = new Date().getUTCFullYear();
    const five = await points('by=year&period=LAST_5_YEARS');
    expect(five).toEqual(await points(`by=year&from=${year - 5}&to=${year - 1}`));
    expect(five.map(([p]) => p)).toEqual(
      // The starter's state homicides end in 2022: the years of the five that it holds.
      [year - 5, year - 4, year - 3, year - 2, year - 1].map(String).filter((y) => Number(y) <= 2022),
    );
  });

  it('refuses an ISO week, saying no source holds weekly data', async () => {
    const res = await app.request('/api/v1/series?measure=homicides&geo=08&period=2021W05&lang=es');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('semana ISO');
  });

  it('filters results by a DHIS2 code of a declared period', async () => {
    const get = async (period: string) =>
      (await (
        await app.request(`/api/v1/results?period=${period}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { period: string }[];
    const january = await get('2017-01');
    expect(january.length).toBeGreaterThan(0);
    expect(await get('201701')).toEqual(january);
    expect((await app.request('/api/v1/results?period=2016Nov')).status).toBe(400);
  });
});

describe('places in the results and scorecard filters', () => {
  let app: ReturnType<typeof createApp>;
  let token = '';
  let close = async () => undefined as unknown;
  beforeAll(async () => {
    ({ app, token, close } = await starterApp({ user: 'mateo', country: 'MX', agency: 'SSPC' }));
  }, 60_000);
  afterAll(() => close());

  const places = async (query: string) => {
    const res = await app.request(`/api/v1/results?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status, query).toBe(200);
    return ((await res.json()) as { place: string }[]).map((r) => r.place);
  };

  it('gives a place and what lies under it with within, and the level below with children', async () => {
    const all = await places('');
    expect(all).toEqual(expect.arrayContaining(['MX', '08']));
    const mexico = await places('within=MX');
    expect(mexico.length).toBe(all.filter((p) => p === 'MX' || /^\d{2}(\d{3})?$/.test(p)).length);
    expect(mexico).toEqual(expect.arrayContaining(['MX', '08']));
    expect(await places('place=MX')).toEqual(all.filter((p) => p === 'MX'));
    const states = await places('place=MX&children=true');
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((p) => /^\d{2}$/.test(p))).toBe(true);
    expect(await places('within=08')).toEqual(all.filter((p) => p === '08' || /^08\d{3}$/.test(p)));
    expect((await app.request('/api/v1/results?within=Mexico')).status).toBe(400);
  });

  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  type Card = {
    programs: { code: string; indicators: { code: string; status: string; periods: unknown[] }[] }[];
  };
  const indicators = (card: Card) =>
    Object.fromEntries(card.programs.flatMap((p) => p.indicators.map((i) => [i.code, i.status])));

  it('refuses a place the spine does not know, naming the nearest, in both languages', async () => {
    const en = await get('/api/v1/results?place=33');
    expect(en.status).toBe(400);
    expect(en.body.code).toBe('invalid_input');
    expect(en.body.issues).toEqual([expect.objectContaining({ path: 'place' })]);
    expect(en.body.detail).toMatch(/"33".*32 Zacatecas/s);
    const es = await get('/api/v1/scorecards?within=34&lang=es');
    expect(es.status).toBe(400);
    expect(es.body.issues).toEqual([expect.objectContaining({ path: 'within' })]);
    expect(es.body.detail).not.toBe(en.body.detail);
  });

  it('reads INEGI national code 00 as MX', async () => {
    expect(await get('/api/v1/results?place=00')).toEqual(await get('/api/v1/results?place=MX'));
    expect((await get('/api/v1/results?place=MX')).body).not.toEqual([]);
  });

  it("scores a place's scorecard on that place's results only", async () => {
    const whole = (await get('/api/v1/scorecards')).body as unknown as Card;
    const chihuahua = (await get('/api/v1/scorecards?within=08')).body as unknown as Card;
    const mexicoOnly = (await get('/api/v1/scorecards?place=MX')).body as unknown as Card;
    // The ACA count is reported for Mexico as a whole, the homicide rate for Chihuahua (08).
    expect(indicators(whole)['EX-ACA-ACCREDITED']).not.toBe('no_data');
    expect(indicators(whole)['EX-HOM-RATE-08']).not.toBe('no_data');
    expect(indicators(chihuahua)['EX-ACA-ACCREDITED']).toBe('no_data');
    expect(indicators(chihuahua)['EX-HOM-RATE-08']).toBe(indicators(whole)['EX-HOM-RATE-08']);
    expect(indicators(mexicoOnly)['EX-ACA-ACCREDITED']).toBe(indicators(whole)['EX-ACA-ACCREDITED']);
    expect(indicators(mexicoOnly)['EX-HOM-RATE-08']).toBe('no_data');
    // MX's children are its states: Chihuahua's results, not Mexico's own.
    expect(
      indicators((await get('/api/v1/scorecards?place=MX&children=true')).body as unknown as Card),
    ).toEqual(indicators(chihuahua));
    const csv = await app.request('/api/v1/scorecards.csv?within=08');
    expect(csv.status).toBe(200);
  });
});
