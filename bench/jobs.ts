/**
 * Section 13 of `npm run bench` (`--only jobs`): background jobs (issue 16), on a real server on
 * loopback over the example workspace and the starter statistics, with its worker running.
 *
 * - **Series while reports are made.** Ten clients ask `GET /api/v1/series` (one state by month, a
 *   seeded mix of states) as fast as the server answers: first with an idle queue (the reference), then
 *   while 20 queued reports (PDF when Chromium is there, else HTML) are made. The figure is the p95 of
 *   the loaded run; the goal is < 200 ms.
 * - **Evaluation submission.** `POST /api/v1/evaluations` answers with a queued job: the time to that
 *   answer, against the reference of the same evaluation run inside a request as before (evaluate and
 *   save, timed in the same run). The goal is < 100 ms.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createToken } from '../src/records/token-repository.js';
import { evaluate } from '../src/eval/evaluate.js';
import { prng } from '../src/eval/random.js';
import { startWorker } from '../src/jobs/job-worker.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../src/records/builtin.js';
import { openRecords } from '../src/records/database.js';
import { saveEvaluation } from '../src/records/evaluation-repository.js';
import { loadWorkspace } from '../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../src/package.js';
import { createApp } from '../src/server/app.js';
import { jobHandlers } from '../src/server/job-handlers.js';
import { ensureStarter } from '../src/stats/starter.js';
import { openStats } from '../src/stats/stats-store.js';
import { chromiumPath, openPdfPrinter } from '../src/web/reports/pdf-printer.js';
import { JOINT_OPERATIONS_SPEC } from '../test/fixtures/api-bodies.js';
import { fmtMs, fmtS, fmtX, table } from './print.js';
import { median, now, percentile, section, type BenchContext, type Section } from './runner.js';

export const GOAL_SERIES_P95_MS = 200;
export const GOAL_SUBMIT_MS = 100;
const CLIENTS = 10;
const REPORTS = 20;
const STATES = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));

interface Run {
  requests: number;
  p50: number;
  p95: number;
  max: number;
  seconds: number;
}

interface JobsBench {
  format: 'pdf' | 'html';
  idle: Run;
  loaded: Run;
  /** Seconds from queueing the 20 reports to the last one done. */
  drainSeconds: number;
  submitMs: number[];
  inRequestMs: number[];
}

/** The state-level evaluation of the contract tests: joint operations, TWFE and Callaway–Sant'Anna. */
const SPEC = { ...JOINT_OPERATIONS_SPEC, title: 'Joint operations, states (bench)' };

/** Ten clients asking series until `until()` says stop (at least `min` requests each). */
async function clients(base: string, seed: number, until: () => boolean, min: number): Promise<Run> {
  const random = prng(seed);
  const times: number[] = [];
  const started = now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < min || !until(); i++) {
        const state = STATES[Math.floor(random() * STATES.length)]!;
        const year = 2015 + Math.floor(random() * 7);
        const t0 = now();
        const res = await fetch(
          `${base}/api/v1/series?measure=homicides&geo=${state}&by=month&from=${year}-01&to=${year}-12`,
        );
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`series answered ${res.status}`);
        times.push(now() - t0);
      }
    }),
  );
  return {
    requests: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: Math.max(...times),
    seconds: (now() - started) / 1000,
  };
}

async function measureJobs({ options, progress }: BenchContext): Promise<JobsBench> {
  const format = existsSync(chromiumPath()) ? 'pdf' : 'html';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-bench-jobs-'));
  const store = await openRecords({ memory: true });
  const stats = await openStats({ memory: true });
  progress('jobs: loading the example workspace and the starter statistics');
  await loadBuiltins(store, 'bench');
  await loadWorkspace(store, (await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE)).data as never, {
    actor: 'bench',
  });
  await ensureStarter(stats, 'bench');
  const { token } = await createToken(
    store,
    { user: 'ines', country: 'US', agency: 'INL', roles: ['viewer', 'data_steward'] },
    'bench',
  );
  const app = createApp({ store, stats, jobsDir: dir, limits: false, version: 'bench' });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // As `marco serve`: one Chromium kept open by the worker between reports.
  const printer = openPdfPrinter();
  const worker = await startWorker(store, {
    dir,
    handlers: jobHandlers(store, stats, 'bench', undefined, printer),
    pollMs: 100,
  });
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const pending = async () =>
    Number(
      (
        await store.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('status', 'in', ['queued', 'running'])
          .executeTakeFirstOrThrow()
      ).n,
    );
  try {
    progress('jobs: series with an idle queue (reference)');
    await clients(base, options.seed, () => true, 5); // warm-up
    const idle = await clients(base, options.seed, () => true, 30);

    progress(`jobs: series while ${REPORTS} ${format.toUpperCase()} reports are made`);
    const queuedAt = now();
    for (let i = 0; i < REPORTS; i++) {
      const res = await fetch(`${base}/api/v1/reports`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          template: 'framework-performance',
          period: 'FY2017',
          lang: i % 2 ? 'es' : 'en',
          format,
        }),
      });
      if (res.status !== 202) throw new Error(`POST /api/v1/reports answered ${res.status}`);
    }
    let left = REPORTS;
    let drainSeconds = 0;
    const watch = setInterval(() => {
      void pending().then((n) => {
        left = n;
        if (n === 0 && drainSeconds === 0) drainSeconds = (now() - queuedAt) / 1000;
      });
    }, 50);
    const loaded = await clients(base, options.seed + 1, () => left === 0, 30);
    while (left > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(watch);
    drainSeconds ||= (now() - queuedAt) / 1000;
    const failed = await store.db
      .selectFrom('jobs')
      .select('id')
      .where('status', '!=', 'succeeded')
      .execute();
    if (failed.length > 0) throw new Error(`${failed.length} report jobs did not succeed`);

    const submitMs: number[] = [];
    const inRequestMs: number[] = [];
    for (let i = 0; i < options.repeat; i++) {
      progress(`jobs: evaluation submitted, against run in the request (${i + 1}/${options.repeat})`);
      let t0 = now();
      const res = await fetch(`${base}/api/v1/evaluations`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(SPEC),
      });
      await res.arrayBuffer();
      submitMs.push(now() - t0);
      if (res.status !== 202) throw new Error(`POST /api/v1/evaluations answered ${res.status}`);
      while ((await pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      t0 = now();
      await saveEvaluation(store, await evaluate(stats, SPEC, 'bench'), { actor: 'bench' });
      inRequestMs.push(now() - t0);
    }
    return { format, idle, loaded, drainSeconds, submitMs, inRequestMs };
  } finally {
    await worker.stop();
    await printer.close();
    await new Promise((resolve) => server.close(resolve));
    stats.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function benchJobs(ctx: BenchContext): Promise<Section<JobsBench>> {
  return section(
    ctx,
    'jobs',
    () => measureJobs(ctx),
    (r) => {
      const title = `Background jobs (issue 16): a server on loopback with its worker, ${CLIENTS} series clients`;
      if ('skipped' in r) return [title, `  skipped: ${r.skipped}`];
      const run = (what: string, x: Run) => [
        what,
        fmtMs(x.p50),
        fmtMs(x.p95),
        fmtMs(x.max),
        String(x.requests),
      ];
      return [
        title,
        ...table(
          ['series (one state by month)', ' p50', ' p95', ' max', ' requests'],
          [
            run('idle queue (reference)', r.idle),
            run(`while ${REPORTS} ${r.format.toUpperCase()} reports are made`, r.loaded),
          ],
        ),
        `  ratio: p95 under load ${fmtX(r.loaded.p95 / r.idle.p95)} the idle reference; ${REPORTS} reports made in ${fmtS(r.drainSeconds)}`,
        ...table(
          ['evaluation (states, TWFE + CS)', ' median', ' runs'],
          [
            [
              'POST /api/v1/evaluations, answered with its job',
              fmtMs(median(r.submitMs)),
              r.submitMs.map(fmtMs).join(', '),
            ],
            [
              'run and saved in the request (reference)',
              fmtMs(median(r.inRequestMs)),
              r.inRequestMs.map(fmtMs).join(', '),
            ],
          ],
        ),
        `  ratio: submission ${fmtX(median(r.submitMs) / median(r.inRequestMs))} the run in the request`,
      ];
    },
    (r) => [
      {
        goal: `series p95 while ${REPORTS} reports are made, ${CLIENTS} clients < ${GOAL_SERIES_P95_MS} ms`,
        value: r.loaded.p95,
        display: fmtMs(r.loaded.p95),
        met: r.loaded.p95 < GOAL_SERIES_P95_MS,
      },
      {
        goal: `evaluation submission (POST /api/v1/evaluations) < ${GOAL_SUBMIT_MS} ms`,
        value: median(r.submitMs),
        display: fmtMs(median(r.submitMs)),
        met: median(r.submitMs) < GOAL_SUBMIT_MS,
      },
    ],
  );
}
