/**
 * Bounded series: the API refuses a series larger than one JSON answer holds (every municipality by
 * month, nationally) with a message that says how to narrow it, in the reader's language; the same
 * view narrowed to one state is answered; the CSV download holds the national one; and the size
 * estimate is an upper bound of what a query returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { seriesCsv, seriesCsvStream } from '../../src/stats/series-csv.js';
import { seriesPoints } from '../../src/stats/series-size.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from './shared-data.js';

const MUNICIPALITIES = sharedFile('geo/cve_nom_municipios.csv');
const MUNICIPAL = sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');

(MUNICIPALITIES && MUNICIPAL ? describe : describe.skip)('series sizes', () => {
  let stats: StatsStore;
  let records: RecordsStore;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await importFile(stats, sourceById('inegi-geo-catalog')!, MUNICIPALITIES!, { version: 'test' });
    await importFile(stats, sourceById('inegi-homicides-municipal')!, MUNICIPAL!, { version: 'test' });
    records = await openRecords({ memory: true });
    app = createApp({ store: records, stats });
  }, 120_000);
  afterAll(async () => {
    stats?.close();
    await records?.close();
  });

  it('refuses every municipality by month from the API, saying how to narrow it', async () => {
    const res = await app.request('/api/v1/series?measure=homicides&level=municipality&by=month&lang=es');
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as {
      error: { code: string; message: string; details: { points: number } };
    };
    expect(error.code).toBe('too_many_points');
    expect(error.details.points).toBeGreaterThan(250_000);
    expect(error.message).toContain('acótela con within=');
    const state = await app.request('/api/v1/series?measure=homicides&level=municipality&within=08&by=month');
    expect(state.status).toBe(200);
  });

  it('streams the national view as CSV', async () => {
    const res = await app.request('/explore.csv?measure=homicides&level=municipality&by=month');
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split('\n').length - 1;
    expect(lines).toBeGreaterThan(600_000);
    expect(
      (await seriesPoints(stats, { measure: 'homicides', level: 'municipality', by: 'month' })).points,
    ).toBeGreaterThanOrEqual(lines);
  });

  it('writes a download a batch of places at a time, byte for byte the CSV of the whole query', async () => {
    const collect = async (chunks: AsyncIterable<string>) => {
      let text = '';
      for await (const chunk of chunks) text += chunk;
      return text;
    };
    for (const q of [
      { measure: 'homicides', level: 'municipality' as const, by: 'year' as const, per: 100_000 },
      { measure: 'homicides', level: 'municipality' as const, within: '08', by: 'month' as const },
    ]) {
      const whole = seriesCsv(await querySeries(stats, q));
      // 2,469 municipalities in batches of 97 (the last one short); Chihuahua's 67 in batches of 10.
      const batched = await collect(seriesCsvStream(stats, q, q.within ? 10 : 97));
      expect(batched.split('\n').length).toBeGreaterThan(q.within ? 15_000 : 50_000);
      expect(batched).toBe(whole);
    }
    // A query the store refuses fails before the first chunk.
    await expect(collect(seriesCsvStream(stats, { measure: 'nope', level: 'state' }))).rejects.toThrow(
      /no measure "nope"/,
    );
  });

  it('estimates an upper bound of every point a query returns', async () => {
    for (const q of [
      { measure: 'homicides', level: 'municipality', within: '08', by: 'year' },
      { measure: 'homicides', level: 'municipality', within: '25', by: 'quarter', from: '2010', to: '2012' },
      { measure: 'homicides', geo: ['08037', '25006'], by: 'month' },
    ] as const) {
      const result = await querySeries(stats, q);
      const returned = result.series.reduce((n, s) => n + s.points.length, 0);
      const { points } = await seriesPoints(stats, q);
      expect(points, JSON.stringify(q)).toBeGreaterThanOrEqual(returned);
      expect(points, JSON.stringify(q)).toBeLessThan(returned * 1.5 + 50);
    }
  });
});
