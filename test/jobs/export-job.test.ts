/**
 * Statistics exports as background jobs, on real data: `POST /api/v1/exports` checks the query at once
 * (a bad field answers 422 and queues nothing) and answers 202 with the job; the worker writes every
 * municipality's homicides by month, nationally, a batch of places at a time;
 * the output is the download of the same query, byte for byte, with its SHA-256; Parquet is a Parquet
 * file.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/jobs/job-worker.js';
import { createApp } from '../../src/server/app.js';
import { jobHandlers } from '../../src/server/job-handlers.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { CSV_BATCH_PLACES } from '../../src/stats/series-csv.js';
import { STORE_KINDS } from '../records/stores.js';
import { clock, exampleRecords, tokenFor } from '../server/example-app.js';
import { municipalRateFiles } from '../stats/shared-data.js';

const files = municipalRateFiles();
if (!files) {
  if (process.env.CI === 'true') throw new Error('CI=true but ../shared/data lacks the municipal files');
  console.warn('export job tests skipped: ../shared/data lacks the municipal files');
}

type Job = {
  id: number;
  status: string;
  progress: number;
  output: { url: string; sha256: string; bytes: number; type: string } | null;
};

describe.runIf(files).each(STORE_KINDS)('statistics exports as jobs on %s', (kind) => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let stats: StatsStore;
  let dir: string;
  let app: ReturnType<typeof createApp>;
  let worker: Worker;
  let headers: Record<string, string>;
  beforeAll(async () => {
    store = await exampleRecords(kind);
    stats = await openStats({ memory: true });
    for (const [id, file] of files!) await importFile(stats, sourceById(id)!, file, { version: 'test' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-export-jobs-'));
    app = createApp({ store, stats, now: clock, version: 'test', jobsDir: dir, limits: false });
    worker = await startWorker(store, { dir, handlers: jobHandlers(store, stats, 'test') }, false);
    headers = {
      authorization: `Bearer ${await tokenFor(store, { user: 'ines', country: 'US', agency: 'INL' })}`,
      'content-type': 'application/json',
    };
  }, 300_000);
  afterAll(async () => {
    await store?.dispose();
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ask = (body: unknown, query = '') =>
    app.request(`/api/v1/exports${query}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const jobsCount = async () => (await store.db.selectFrom('jobs').select('id').execute()).length;

  it('writes every municipality by month as the download would, a batch at a time, with its checksum', async () => {
    const query = {
      measure: 'homicides',
      level: 'municipality',
      by: 'month',
      from: '2019-01',
      to: '2021-12',
    };
    const res = await ask({ query });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as Job;
    expect(queued).toMatchObject({ status: 'queued', progress: 0 });
    expect(await worker.runOnce()).toBe(true);
    const done = (await (await app.request(`/api/v1/jobs/${queued.id}`, { headers })).json()) as Job;
    expect(done).toMatchObject({ status: 'succeeded', progress: 1 });
    expect(done.output!.type).toBe('text/csv; charset=utf-8; header=present');
    const bytes = Buffer.from(await (await app.request(done.output!.url, { headers })).arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.output!.sha256);
    // The same bytes as the download of the same query.
    const download = await app.request(`/api/v1/series.csv?${new URLSearchParams(query)}`, { headers });
    expect(download.status).toBe(200);
    expect(bytes.equals(Buffer.from(await download.arrayBuffer()))).toBe(true);
    // Every municipality of the catalogue that has data, 36 months each (a header line first).
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    const places = new Set(lines.slice(1).map((l) => l.split(',')[3]));
    expect(places.size).toBeGreaterThan(2400);
    expect(lines.length - 1).toBe(places.size * 36);
    // More places than one batch: the job wrote them batch by batch, each after the header.
    expect(places.size).toBeGreaterThan(CSV_BATCH_PLACES * 9);
    expect(lines.filter((l) => l.startsWith('measure,')).length).toBe(1);
  }, 120_000);

  it('makes a Parquet file of the same query', async () => {
    const res = await ask({
      query: { measure: 'homicides', geo: '08037,08019', by: 'year' },
      format: 'parquet',
    });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as Job;
    expect(await worker.runOnce()).toBe(true);
    const done = (await (await app.request(`/api/v1/jobs/${queued.id}`, { headers })).json()) as Job;
    expect(done.output!.type).toBe('application/vnd.apache.parquet');
    const bytes = Buffer.from(await (await app.request(done.output!.url, { headers })).arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect(bytes.subarray(-4).toString('latin1')).toBe('PAR1');
  });

  it('refuses a bad query at once, at its field and in the reader’s language, and queues nothing', async () => {
    const before = await jobsCount();
    const unknown = await ask({ query: { measure: 'homicides', geo: '08999', by: 'month' } }, '?lang=es');
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/08999/);
    const bad = await ask({ query: { measure: 'homicides', by: 'week' }, format: 'docx' });
    expect(bad.status).toBe(422);
    const noSuchField = await ask({ query: { measure: 'homicides', colour: 'red' } });
    expect(noSuchField.status).toBe(422);
    expect((await app.request('/api/v1/exports', { method: 'POST', body: '{}' })).status).toBe(401);
    expect(await jobsCount()).toBe(before);
  });
});
