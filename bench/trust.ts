/**
 * Section 6 of `npm run bench`: the figures of issue 11 ("Trust"), each beside a reference from the same
 * run.
 *
 * 1. `PATCH /api/v1/results/{id}` with 20,000 results on PostgreSQL (`DATABASE_URL`), 10 clients over
 *    loopback on a worker thread: p50/p99 and writes per second after {@link WARMUP_PATCHES} warm-up
 *    PATCHes (whose figures are printed too), against a plain `UPDATE … WHERE id = $1` from 10 pg clients.
 * 2. Server memory (a child `marco serve`) with 12 concurrent maximal series requests (every
 *    municipality by month as CSV, the largest any endpoint answers): peak RSS beside the idle figure.
 * 3. Rate limiting: anonymous series p50/p99 through the full middleware, against the same app with the
 *    limits off, requests interleaved.
 * @module
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { VERSION } from '../src/package.js';
import { loadBuiltins } from '../src/records/builtin.js';
import { dropSchema, openRecords, type RecordsStore } from '../src/records/database.js';
import { createToken } from '../src/records/token-repository.js';
import { loadWorkspace } from '../src/records/workspace-load.js';
import { createApp } from '../src/server/app.js';
import { importFile } from '../src/stats/importer.js';
import { sourceById } from '../src/stats/sources/index.js';
import { openStats } from '../src/stats/stats-store.js';
import { indicator } from '../test/fixtures/workspace.js';
import { listen } from '../test/web/chromium.js';
import { patchFromWorker } from './patch-clients.js';
import { benchMemory, type ServerMemory, type TrustMemory } from './trust-memory.js';
import { fmtMs, table } from './print.js';
import {
  isSkipped,
  latency,
  median,
  now,
  section,
  type BenchContext,
  type Goal,
  type Latency,
  type Section,
  type Skipped,
} from './runner.js';

export const GOAL_PATCH_P99_MS = 50;
/** PATCHes sent before the measured ones, as every section warms up: the server's code is compiled and
 * each pooled connection has prepared its statements. Their figures are printed too. */
export const WARMUP_PATCHES = 500;
export const GOAL_PATCH_WRITES_PER_S = 200;
export const GOAL_PEAK_MB = 1024;
export const GOAL_LIMITS_P99_RATIO = 1.1;

export interface TrustBench {
  patch:
    | {
        results: number;
        clients: number;
        writes: number;
        http: Latency & { perSecond: number };
        /** The first PATCHes after the server started, before the measured ones. */
        warmup: Latency & { perSecond: number };
        sql: Latency & { perSecond: number };
        eventLoop: { utilization: number; busyMsPerWrite: number };
      }
    | Skipped;
  memory: TrustMemory | Skipped;
  limits: { requests: number; with: Latency; without: Latency; ratioP99: number; ratioP50: number };
}

/** 20,000 results of one indicator: 240 months × 84 Chihuahua-like place codes. */
function bigWorkspace() {
  const periods = Array.from(
    { length: 240 },
    (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  );
  const places = Array.from({ length: 84 }, (_, i) => `08${String(i + 1).padStart(3, '0')}`);
  return {
    marco: 'workspace/1',
    defaults: { country: 'MX', agency: 'SSPC' },
    periods: periods.map((code) => ({ code })),
    programs: [
      {
        code: 'BENCH',
        title: { en: 'Bench', es: 'Banco' },
        status: 'active',
        indicators: [indicator('BENCH-1', { level: 'output', direction: 'increase', frequency: 'monthly' })],
      },
    ],
    results: periods.flatMap((period) =>
      places.map((place) => ({ indicator: 'BENCH-1', period, place, value: 1 })),
    ),
  };
}

/** Runs `work` from `clients` concurrent loops until `total` calls are done; each call's milliseconds. */
async function concurrently(clients: number, total: number, work: (i: number) => Promise<void>) {
  const times: number[] = [];
  let next = 0;
  const t0 = now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        const start = now();
        await work(i);
        times.push(now() - start);
      }
    }),
  );
  const seconds = (now() - t0) / 1000;
  return { ...latency(times), perSecond: total / seconds };
}

async function benchPatch({ progress }: BenchContext): Promise<TrustBench['patch']> {
  const url = process.env.DATABASE_URL;
  if (!url) return { skipped: 'DATABASE_URL is not set: the PATCH figure is measured on PostgreSQL' };
  const schema = `bench_${process.pid}`;
  const store: RecordsStore = await openRecords({ databaseUrl: url, schema });
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    progress('trust: loading 20,000 results on PostgreSQL');
    await loadBuiltins(store, 'bench');
    await loadWorkspace(store, bigWorkspace(), { actor: 'bench' });
    const { token } = await createToken(
      store,
      { user: 'bench', country: 'MX', agency: 'SSPC', roles: ['reporter'] },
      'bench',
    );
    const ids = (await store.db.selectFrom('results').select(['id', 'version']).orderBy('id').execute()).map(
      (r) => ({ ...r }),
    );
    server = await listen(createApp({ store, limits: false }));
    const clients = 10;
    const writes = 3000;
    // Two disjoint halves of the rows: the warm-up edits one, the measured PATCHes the other, so every
    // measured PATCH is the first edit of its row (a second edit of the same value would change nothing).
    const half = Math.floor(ids.length / 2);
    progress(`trust: ${WARMUP_PATCHES} warm-up PATCHes from ${clients} clients`);
    const cold = await patchFromWorker({
      base: server.base,
      token,
      ids: ids.slice(half),
      clients,
      writes: WARMUP_PATCHES,
    });
    progress(`trust: ${writes} PATCHes from ${clients} clients`);
    // The clients run on a worker thread, as remote clients would (`patch-clients.ts`).
    const elu0 = performance.eventLoopUtilization();
    const load = await patchFromWorker({
      base: server.base,
      token,
      ids: ids.slice(0, half),
      clients,
      writes,
    });
    const elu = performance.eventLoopUtilization(elu0);
    const http = { ...latency(load.times), perSecond: writes / load.seconds };
    const warmup = { ...latency(cold.times), perSecond: WARMUP_PATCHES / cold.seconds };
    progress('trust: the same number of plain UPDATEs');
    const sql = await concurrently(clients, writes, async (i) => {
      const r = ids[(i * 7919 + 1) % ids.length]!;
      await pool.query('update results set value = $1, version = version + 1 where id = $2', [3 + i, r.id]);
    });
    // The server's event loop: how busy it was, and its busy milliseconds per write (the CPU one write
    // costs the server's thread, whatever the clients' concurrency).
    const eventLoop = { utilization: elu.utilization, busyMsPerWrite: elu.active / writes };
    return { results: ids.length, clients, writes, http, warmup, sql, eventLoop };
  } finally {
    await server?.close();
    await pool.end();
    await dropSchema(store, schema);
    await store.close();
  }
}

async function benchLimits({ data, options, progress }: BenchContext): Promise<TrustBench['limits']> {
  const stats = await openStats({ memory: true });
  await importFile(
    stats,
    sourceById('inegi-homicides-state')!,
    data.file('inegi/mexico-state-month-homicide-rates-2000-2022.csv'),
    { version: VERSION },
  );
  const records = await openRecords({ memory: true });
  // The limited app allows far more than the bench sends, so every request pays the check and passes.
  const limited = await listen(createApp({ store: records, stats, limits: { requestsPerMinute: 1e9 } }));
  const open = await listen(createApp({ store: records, stats, limits: false }));
  try {
    const requests = Math.max(200, options.queries);
    progress(`trust: ${requests} anonymous series requests with and without rate limits`);
    const url = '/api/v1/series?measure=homicides&level=state&by=year&from=2015&to=2020';
    for (let i = 0; i < 20; i++) {
      await (await fetch(limited.base + url)).text();
      await (await fetch(open.base + url)).text();
    }
    const withTimes: number[] = [];
    const withoutTimes: number[] = [];
    for (let i = 0; i < requests; i++) {
      // Interleaved, in alternating order, so drift in the machine affects both alike.
      for (const [base, times] of i % 2
        ? ([
            [limited.base, withTimes],
            [open.base, withoutTimes],
          ] as const)
        : ([
            [open.base, withoutTimes],
            [limited.base, withTimes],
          ] as const)) {
        const t0 = now();
        const res = await fetch(base + url);
        await res.text();
        if (res.status !== 200) throw new Error(`series: HTTP ${res.status}`);
        times.push(now() - t0);
      }
    }
    const w = latency(withTimes);
    const wo = latency(withoutTimes);
    return {
      requests,
      with: w,
      without: wo,
      ratioP99: w.p99 / wo.p99,
      ratioP50: median(withTimes) / median(withoutTimes),
    };
  } finally {
    await limited.close();
    await open.close();
    stats.close();
    await records.close();
  }
}

async function measureTrust(ctx: BenchContext): Promise<TrustBench | Skipped> {
  const absent = ctx.data.missing(['inegi/mexico-state-month-homicide-rates-2000-2022.csv']);
  if (absent) return absent;
  return { limits: await benchLimits(ctx), patch: await benchPatch(ctx), memory: await benchMemory(ctx) };
}

function printTrust(r: TrustBench | Skipped): string[] {
  if (isSkipped(r)) return ['6. Trust', `  skipped: ${r.skipped}`];
  const lines = ['6. Trust (issue 11)'];
  if (isSkipped(r.patch)) lines.push(`  PATCH on PostgreSQL: skipped: ${r.patch.skipped}`);
  else {
    const p = r.patch;
    lines.push(
      `  PATCH /api/v1/results/{id}, ${p.results.toLocaleString('en-US')} results on PostgreSQL, ${p.clients} clients, ${p.writes} writes after ${p.warmup.n} warm-up PATCHes on other rows`,
      ...table(
        ['', 'p50', 'p99', 'writes/s'],
        [
          [
            'PATCH over HTTP (auth, rules, audit)',
            fmtMs(p.http.p50),
            fmtMs(p.http.p99),
            p.http.perSecond.toFixed(0),
          ],
          [
            `warm-up: the first ${p.warmup.n} after start`,
            fmtMs(p.warmup.p50),
            fmtMs(p.warmup.p99),
            p.warmup.perSecond.toFixed(0),
          ],
          ['reference: plain UPDATE by id', fmtMs(p.sql.p50), fmtMs(p.sql.p99), p.sql.perSecond.toFixed(0)],
          [
            'ratio',
            `${(p.http.p50 / p.sql.p50).toFixed(1)}×`,
            `${(p.http.p99 / p.sql.p99).toFixed(1)}×`,
            `${(p.sql.perSecond / p.http.perSecond).toFixed(1)}×`,
          ],
        ],
      ),
      `  server event loop during the PATCHes: ${(100 * p.eventLoop.utilization).toFixed(0)}% busy, ${fmtMs(p.eventLoop.busyMsPerWrite)} per write`,
    );
  }
  if (isSkipped(r.memory)) lines.push(`  memory: skipped: ${r.memory.skipped}`);
  else {
    const line = (label: string, m: ServerMemory | Skipped) =>
      isSkipped(m)
        ? `    ${label}: skipped: ${m.skipped}`
        : `    ${label}: idle ${m.idleMB.toFixed(0)} MB, peak ${m.peakMB.toFixed(0)} MB (+${(m.peakMB - m.idleMB).toFixed(0)} MB, ${(m.peakMB / m.idleMB).toFixed(1)}× idle; ${m.seconds.toFixed(1)} s)`;
    lines.push(
      `  Server memory, ${r.memory.requests} concurrent national municipal-by-month CSVs:`,
      line('records on embedded PGlite', r.memory.embedded),
      line('records on PostgreSQL', r.memory.postgres),
    );
  }
  const l = r.limits;
  lines.push(
    `  Anonymous series, ${l.requests} requests each: with rate limits p50 ${fmtMs(l.with.p50)} p99 ${fmtMs(l.with.p99)}; without p50 ${fmtMs(l.without.p50)} p99 ${fmtMs(l.without.p99)}; ratio p50 ${l.ratioP50.toFixed(3)}×, p99 ${l.ratioP99.toFixed(3)}×`,
  );
  return lines;
}

function trustGoals(r: TrustBench): Goal[] {
  const goals: Goal[] = [];
  if (!isSkipped(r.patch)) {
    goals.push({
      goal: `PATCH p99, 20,000 results on PostgreSQL < ${GOAL_PATCH_P99_MS} ms`,
      value: r.patch.http.p99,
      display: fmtMs(r.patch.http.p99),
      met: r.patch.http.p99 < GOAL_PATCH_P99_MS,
    });
    goals.push({
      goal: `PATCH writes/s with 10 clients ≥ ${GOAL_PATCH_WRITES_PER_S}`,
      value: r.patch.http.perSecond,
      display: r.patch.http.perSecond.toFixed(0),
      met: r.patch.http.perSecond >= GOAL_PATCH_WRITES_PER_S,
    });
  }
  if (!isSkipped(r.memory))
    for (const [mode, m] of [
      ['embedded PGlite', r.memory.embedded],
      ['PostgreSQL', r.memory.postgres],
    ] as const)
      if (!isSkipped(m))
        goals.push({
          goal: `server peak with 12 maximal series < ${GOAL_PEAK_MB} MB (${mode})`,
          value: m.peakMB,
          display: `${m.peakMB.toFixed(0)} MB`,
          met: m.peakMB < GOAL_PEAK_MB,
        });
  goals.push({
    goal: `series p99 with rate limits < ${GOAL_LIMITS_P99_RATIO}× without`,
    value: r.limits.ratioP99,
    display: `${r.limits.ratioP99.toFixed(3)}×`,
    met: r.limits.ratioP99 < GOAL_LIMITS_P99_RATIO,
  });
  return goals;
}

export const benchTrust = (ctx: BenchContext): Promise<Section<TrustBench>> =>
  section(ctx, 'trust', () => measureTrust(ctx), printTrust, trustGoals);
