/**
 * Evaluations and interventions through the HTTP API, on both records stores: `POST /api/v1/evaluations`
 * answers at once with a job, which a worker runs; the run is saved and read back exactly; a body its
 * schema refuses answers 422 at once and queues nothing; a specification the statistics refuse fails
 * its job with the issues and saves nothing; writes need a token.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/jobs/job-worker.js';
import { jobHandlers } from '../../src/server/job-handlers.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { callawaySantAnna, toLong } from '../../src/eval/cs.js';
import { eventStudy } from '../../src/eval/twfe.js';
import { createApp } from '../../src/server/app.js';
import { tokenFor } from '../server/example-app.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { countRows, freshStore, STORE_KINDS } from '../records/stores.js';
import { sharedFile } from '../stats/shared-data.js';
import { statePanel } from './state-panel.js';
import { JOINT_OPERATIONS_SPEC } from '../fixtures/api-bodies.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const POP = sharedFile('conapo/pop_states_monthly_1990_2050.csv');
const EVENTS = sharedFile('events/interventions.csv');

const SPEC = JOINT_OPERATIONS_SPEC;

let stats: StatsStore;
beforeAll(async () => {
  stats = await openStats({ memory: true });
  if (STATE && POP) {
    await importFile(stats, sourceById('inegi-homicides-state')!, STATE, { version: 'test' });
    await importFile(stats, sourceById('conapo-population-state-monthly')!, POP, { version: 'test' });
  }
});
afterAll(() => stats?.close());

for (const kind of STORE_KINDS)
  (STATE && POP && EVENTS ? describe : describe.skip)(`evaluations through the API on ${kind}`, () => {
    let store: Awaited<ReturnType<typeof freshStore>>;
    let app: ReturnType<typeof createApp>;
    let auth: Record<string, string>;
    let dir: string;
    let worker: Worker;
    beforeAll(async () => {
      store = await freshStore(kind);
      await loadBuiltins(store, 'test');
      const token = await tokenFor(store, { user: 'ana', country: 'MX', agency: 'SSPC' });
      auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      dir = await mkdtemp(path.join(os.tmpdir(), 'marco-eval-jobs-'));
      app = createApp({ store, stats, version: 'test', jobsDir: dir });
      worker = await startWorker(store, { dir, handlers: jobHandlers(store, stats, 'test') }, false);
    });
    afterAll(async () => {
      await store?.dispose();
      await rm(dir, { recursive: true, force: true });
    });
    const post = (path: string, body: unknown, headers = auth) =>
      app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });

    type Job = {
      id: number;
      status: string;
      output: { url: string; sha256: string } | null;
      error: { key: string; message: string; issues?: { path: string; message: string }[] } | null;
    };
    /** Posts a specification: 202 with a queued job at once; then the worker runs it. */
    async function evaluateThroughJob(body: unknown): Promise<{ job: Job; run?: unknown }> {
      const started = Date.now();
      const res = await post('/api/v1/evaluations', body);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(res.status).toBe(202);
      const queued = (await res.json()) as Job;
      expect(queued.status).toBe('queued');
      expect(res.headers.get('location')).toBe(`/api/v1/jobs/${queued.id}`);
      expect(await worker.runOnce()).toBe(true);
      const job = (await (await app.request(`/api/v1/jobs/${queued.id}`, { headers: auth })).json()) as Job;
      if (job.status !== 'succeeded') return { job };
      const out = await app.request(job.output!.url, { headers: auth });
      expect(out.status).toBe(200);
      return { job, run: await out.json() };
    }

    it('runs, saves, lists and returns an evaluation, through a job', async () => {
      const done = await evaluateThroughJob(SPEC);
      expect(done.job.status).toBe('succeeded');
      const run = done.run as {
        id: number;
        hash: string;
        cs: { simple: { att: number; lower: number; upper: number } };
        twfe: { coefficients: number[] };
      };
      const list = (await (await app.request('/api/v1/evaluations')).json()) as {
        id: number;
        title: string;
        att: unknown;
        estimators: string[];
        units: number;
        created_by: string;
      }[];
      expect(list).toEqual([
        expect.objectContaining({
          id: run.id,
          title: SPEC.title,
          hash: run.hash,
          units: 32,
          estimators: ['twfe', 'cs'],
          att: { att: run.cs.simple.att, lower: run.cs.simple.lower, upper: run.cs.simple.upper },
        }),
      ]);
      // Anonymous readers are not told who saved it; officials are.
      expect(list[0]).not.toHaveProperty('created_by');
      const official = (await (
        await app.request('/api/v1/evaluations', { headers: auth })
      ).json()) as typeof list;
      expect(official[0]!.created_by).toBe('ana');
      const saved = (await (await app.request(`/api/v1/evaluations/${run.id}`)).json()) as typeof run;
      expect(saved).toMatchObject({ id: run.id, hash: run.hash, cs: run.cs, twfe: run.twfe });
      expect((await app.request('/api/v1/evaluations/999999')).status).toBe(404);
      expect((await app.request('/api/v1/evaluations/abc')).status).toBe(400);
    });

    it('gives the estimates the estimators give on the same panel built here from the raw files', async () => {
      const run = (await evaluateThroughJob(SPEC)).run as {
        cs: { attgt: { group: number; period: number; att: number }[]; simple: { att: number } };
        twfe: { relative: number[]; coefficients: number[] };
      };
      const panel = await statePanel(STATE!, POP!, EVENTS!);
      const cs = callawaySantAnna(panel, { control: 'never', draws: 199, seed: 1 });
      expect(run.cs.attgt.length).toBe(cs.attgt.length);
      run.cs.attgt.forEach((a, i) => expect(Math.abs(a.att - cs.attgt[i]!.att)).toBeLessThan(1e-9));
      expect(Math.abs(run.cs.simple.att - cs.simple.att)).toBeLessThan(1e-9);
      const es = eventStudy(toLong(panel), panel.group, { leads: 3, lags: 3 });
      expect(run.twfe.relative).toEqual(es.relative);
      run.twfe.coefficients.forEach((b, i) => expect(Math.abs(b - es.coefficients[i]!)).toBeLessThan(1e-8));
    });

    it('refuses a bad specification with its JSON path, and without a token, saving nothing', async () => {
      const before = await countRows(store);
      const jobsBefore = (await store.db.selectFrom('jobs').select('id').execute()).length;
      const missing = await post('/api/v1/evaluations', SPEC, { 'content-type': 'application/json' });
      expect(missing.status).toBe(401);
      const bad = await post('/api/v1/evaluations', {
        ...SPEC,
        panel: { ...SPEC.panel, by: 'week' },
        estimators: { twfe: { leads: 0, lags: 3 } },
      });
      expect(bad.status).toBe(422);
      const issues = ((await bad.json()) as { error: { details: { issues: { path: string }[] } } }).error
        .details.issues;
      expect(issues.map((i) => i.path).sort()).toEqual(['estimators.twfe.leads', 'panel.by']);
      // Refused by the schema: answered at once, and nothing queued or written.
      expect(await countRows(store)).toEqual(before);
      expect((await store.db.selectFrom('jobs').select('id').execute()).length).toBe(jobsBefore);
      // Refused by the statistics, which only the job sees: the job fails with the reason and its path,
      // in the reader's language, and no run is saved.
      const none = await evaluateThroughJob({ ...SPEC, panel: { ...SPEC.panel, from: '2015', to: '2020' } });
      expect(none.job).toMatchObject({ status: 'failed', error: { key: 'jobs.refused' } });
      expect(JSON.stringify(none.job.error)).toMatch(/no unit of the panel is treated/);
      const spanish = (await (
        await app.request(`/api/v1/jobs/${none.job.id}?lang=es`, { headers: auth })
      ).json()) as Job;
      expect(spanish.error!.message).toMatch(/no se guardó nada/);
      const unknown = await evaluateThroughJob({
        ...SPEC,
        panel: { ...SPEC.panel, outcome: { measure: 'nothing' } },
      });
      expect(unknown.job.status).toBe('failed');
      expect(unknown.job.error!.message).toMatch(/nothing/);
      expect((await countRows(store)).evaluations).toBe(before.evaluations);
    });

    it('stops an evaluation cancelled while it runs, saving nothing', async () => {
      const before = (await countRows(store)).evaluations;
      const long = {
        ...SPEC,
        title: 'Cancelled while it runs',
        panel: { ...SPEC.panel, by: 'month', from: '2001-01', to: '2012-12' },
        estimators: { cs: { draws: 199, permutations: 99_999 } },
      };
      const res = await post('/api/v1/evaluations', long);
      const { id } = (await res.json()) as Job;
      const running = worker.runOnce();
      // Cancelled once the permutations are under way (the heartbeat says so within a second).
      for (let step = ''; step !== 'permutations';) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        step = (
          await store.db.selectFrom('jobs').select('step').where('id', '=', id).executeTakeFirstOrThrow()
        ).step!;
      }
      const cancelled = await app.request(`/api/v1/jobs/${id}/cancel`, { method: 'POST', headers: auth });
      expect(cancelled.status).toBe(200);
      const started = Date.now();
      await running;
      expect(Date.now() - started).toBeLessThan(3_000);
      const job = (await (await app.request(`/api/v1/jobs/${id}`, { headers: auth })).json()) as Job;
      expect(job.status).toBe('cancelled');
      expect((await countRows(store)).evaluations).toBe(before);
    }, 60_000);

    it('adds interventions in one transaction, which evaluations then use', async () => {
      const event = {
        id: 'op-test-nuevo-leon',
        type: 'test_operation',
        name: 'A test operation',
        date: '2008-06-01',
        level: 'state',
        places: ['19', '05'],
        source: 'test fixture',
      };
      const before = await countRows(store);
      // One bad event in the batch: nothing is added, and each problem has its position.
      const bad = await post('/api/v1/interventions', [
        event,
        { ...event, id: 'op-test-2', date: '2008-02-30', places: ['5'] },
        { ...event, id: 'op-michoacan' },
      ]);
      expect(bad.status).toBe(422);
      const issues = ((await bad.json()) as { error: { details: { issues: { path: string }[] } } }).error
        .details.issues;
      expect(issues.map((i) => i.path)).toEqual(['[1] date', '[1] places', '[2] id']);
      expect(await countRows(store)).toEqual(before);
      expect(
        (await post('/api/v1/interventions', event, { 'content-type': 'application/json' })).status,
      ).toBe(401);

      const ok = await post('/api/v1/interventions', event);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ added: ['op-test-nuevo-leon'] });
      type Listed = { id: string; country: string | null; added_by?: string }[];
      const listed = (await (await app.request('/api/v1/interventions', { headers: auth })).json()) as Listed;
      expect(listed.find((e) => e.id === event.id)).toMatchObject({ country: 'MX', added_by: 'ana' });
      // Anonymous readers get the event and its owner, not the official who added it.
      const anonymous = (await (await app.request('/api/v1/interventions')).json()) as Listed;
      expect(anonymous.find((e) => e.id === event.id)).toMatchObject({ country: 'MX' });
      expect(anonymous.find((e) => e.id === event.id)).not.toHaveProperty('added_by');
      expect(listed.filter((e) => e.added_by === 'built-in')).toHaveLength(18);

      const run = await evaluateThroughJob({
        ...SPEC,
        panel: { ...SPEC.panel, treatment: { types: ['test_operation'] } },
      });
      expect(run.job.status).toBe('succeeded');
      const body = run.run as { panel: { cohorts: unknown[]; neverTreated: number } };
      expect(body.panel.cohorts).toEqual([{ period: '2008', units: 2 }]);
      expect(body.panel.neverTreated).toBe(30);
    });
  });
