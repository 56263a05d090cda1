/**
 * Fetch followed by import as a background job, on both record stores, from a real HTTP server on
 * loopback that mirrors the catalogue's paths with the real files of ../shared/data: a data steward's
 * `POST /api/v1/fetches` answers 202; the worker downloads the source's files, checks each SHA-256 and
 * imports them as audited vintages, whose rows are the file's; a file whose bytes changed on the mirror
 * fails the job and imports nothing; an unknown or uncatalogued source, or a caller without
 * `import:statistics`, is refused at once and queues nothing.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VINTAGE_ENTITY } from '../../src/custody/statistics-custody.js';
import { startWorker, type Worker } from '../../src/jobs/job-worker.js';
import { createApp } from '../../src/server/app.js';
import { jobHandlers } from '../../src/server/job-handlers.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { STORE_KINDS } from '../records/stores.js';
import { clock, exampleRecords, tokenFor } from '../server/example-app.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';
import { startSharedMirror, type SharedMirror } from '../stats/shared-mirror.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
if (!STATE) {
  if (process.env.CI === 'true') throw new Error('CI=true but ../shared/data lacks the INEGI state file');
  console.warn('fetch job tests skipped: ../shared/data lacks the INEGI state file');
}

type Job = {
  id: number;
  status: string;
  error: { key: string; message: string } | null;
  output: { url: string } | null;
};

describe.runIf(STATE).each(STORE_KINDS)('fetch and import as a job on %s', (kind) => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let stats: StatsStore;
  let dir: string;
  let mirror: SharedMirror;
  let app: ReturnType<typeof createApp>;
  let worker: Worker;
  let damaged = false;
  const headers: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    // A mirror of the catalogue's paths; with `damaged`, the INEGI file with one byte changed.
    mirror = await startSharedMirror((relative) => damaged && relative.startsWith('inegi/'));
    store = await exampleRecords(kind);
    stats = await openStats({ memory: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-fetch-jobs-'));
    const fetch = { downloadsDir: path.join(dir, 'downloads'), mirror: mirror.url };
    app = createApp({ store, stats, now: clock, version: 'test', jobsDir: dir, fetch, limits: false });
    worker = await startWorker(store, { dir, handlers: jobHandlers(store, stats, 'test', fetch) }, false);
    headers.steward = {
      authorization: `Bearer ${await tokenFor(store, { user: 'sofia', country: 'MX', agency: 'SSPC' }, ['data_steward'])}`,
      'content-type': 'application/json',
    };
    headers.reporter = {
      authorization: `Bearer ${await tokenFor(store, { user: 'rita', country: 'US', agency: 'INL' }, ['reporter'])}`,
      'content-type': 'application/json',
    };
  }, 120_000);
  afterAll(async () => {
    await mirror?.close();
    await store?.dispose();
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ask = (source: string, who = 'steward', query = '') =>
    app.request(`/api/v1/fetches${query}`, {
      method: 'POST',
      headers: headers[who],
      body: JSON.stringify({ source }),
    });
  const jobsCount = async () => (await store.db.selectFrom('jobs').select('id').execute()).length;
  const run = async (res: Response) => {
    expect(res.status).toBe(202);
    const queued = (await res.json()) as Job;
    expect(await worker.runOnce()).toBe(true);
    return (await (
      await app.request(`/api/v1/jobs/${queued.id}`, { headers: headers.steward })
    ).json()) as Job;
  };
  const stateVintages = async () =>
    (
      await stats.all<{ n: number }>(
        `select count(*)::int as n from vintages where source = 'inegi-homicides-state' and table_name is not null`,
      )
    )[0]!.n;

  it('downloads a source’s catalogued files, checks them and imports them as audited vintages', async () => {
    const done = await run(await ask('inegi-homicides-state'));
    expect(done).toMatchObject({ status: 'succeeded', error: null });
    const output = (await (await app.request(done.output!.url, { headers: headers.steward })).json()) as {
      downloads: { sha256: string; bytes: number }[];
      imports: { status: string; rowsLoaded: number; vintage: number }[];
    };
    const bytes = await readFile(STATE!);
    expect(output.downloads).toHaveLength(1);
    expect(output.downloads[0]!.bytes).toBe(bytes.length);
    // Every data line of the file is a row of the vintage.
    const lines = (await sharedLines(STATE!)).filter((l) => l.trim() !== '');
    expect(output.imports[0]).toMatchObject({ status: 'imported', rowsLoaded: lines.length - 1 });
    expect(await stateVintages()).toBe(1);
    // The import is in the records' audit log, by the steward who asked, from the mirror's address.
    const audited = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'entity_key'])
      .where('entity', '=', VINTAGE_ENTITY)
      .execute();
    expect(audited).toContainEqual({ actor: 'sofia', entity_key: String(output.imports[0]!.vintage) });
  });

  it('fails the job on a file whose bytes changed, and imports nothing', async () => {
    damaged = true;
    try {
      const before = (await stats.metadata()).vintages.length;
      await rm(path.join(dir, 'downloads'), { recursive: true, force: true });
      const done = await run(await ask('inegi-homicides-state'));
      expect(done.status).toBe('failed');
      expect(done.error!.message).toMatch(/sha256|SHA-256/i);
      expect((await stats.metadata()).vintages.length).toBe(before);
    } finally {
      damaged = false;
    }
  });

  it('refuses an unknown source, a caller without import:statistics, and queues nothing', async () => {
    const before = await jobsCount();
    const unknown = await ask('no-such-source', 'steward', '?lang=es');
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { detail: string }).detail).toContain(
      'fuente desconocida no-such-source',
    );
    const documented = await ask('documented-figures');
    expect(documented.status).toBe(422);
    expect((await ask('inegi-homicides-state', 'reporter')).status).toBe(403);
    expect(await jobsCount()).toBe(before);
  });
});
