/**
 * Section 7 of `npm run bench`: the monitoring cycle's forms (issue 13). Result entry: `POST /results`,
 * the web form a reporter saves, with the session cookie and CSRF token, from 10 clients on a worker
 * thread, each post a new result (schema, rules, lock check, duplicate check, audit), on the embedded
 * PGlite store Marco runs on by default and, when DATABASE_URL is set, on PostgreSQL (a schema of its
 * own, dropped afterwards). The reference, measured in the same run on the same store, is the same
 * number of plain INSERTs of a result row from 10 concurrent callers. Also the JavaScript the
 * monitoring pages ship, gzipped (the goal: under 50 KB; they are plain forms).
 * @module
 */
import { gzipSync } from 'node:zlib';
import { signIn } from '../src/accounts/sessions.js';
import { createAccount } from '../src/accounts/users.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../src/records/builtin.js';
import { dropSchema, openRecords } from '../src/records/database.js';
import { loadWorkspace } from '../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../src/package.js';
import { createApp } from '../src/server/app.js';
import { SESSION_COOKIE } from '../src/web/session/cookies.js';
import { PASSWORD, USER_FIELDS } from '../test/accounts/fixtures.js';
import { listen } from '../test/web/chromium.js';
import { postFormsFromWorker } from './form-clients.js';
import { fmtInt, fmtMs, table, verdict } from './print.js';
import {
  isSkipped,
  latency,
  now,
  section,
  type BenchContext,
  type Goal,
  type Section,
  type Skipped,
} from './runner.js';

export const GOAL_ENTRY_P99_MS = 100;
export const GOAL_MONITORING_JS_BYTES = 50 * 1024;
const CLIENTS = 10;
const WARMUP = 100;
const POSTS = 1000;

type Latency = ReturnType<typeof latency> & { perSecond: number };

/** Result entry on one kind of records store, against plain INSERTs on the same store. */
export interface EntryFigures {
  entry: Latency;
  warmup: Latency;
  insert: Latency;
}

export interface MonitoringBench {
  clients: number;
  posts: number;
  pglite: EntryFigures;
  postgres: EntryFigures | Skipped;
  pages: { label: string; path: string; jsGzipBytes: number }[];
}

async function measureMonitoring(ctx: BenchContext): Promise<MonitoringBench | Skipped> {
  const pglite = await measureEntry(ctx, 'pglite');
  const url = process.env.DATABASE_URL;
  const postgres = url
    ? (await measureEntry(ctx, 'postgres', url)).figures
    : { skipped: 'DATABASE_URL is not set: result entry measured on embedded PGlite only' };
  return { clients: CLIENTS, posts: POSTS, pglite: pglite.figures, postgres, pages: pglite.pages };
}

async function measureEntry(
  { progress }: BenchContext,
  kind: 'pglite' | 'postgres',
  databaseUrl?: string,
): Promise<{ figures: EntryFigures; pages: MonitoringBench['pages'] }> {
  const schema = `bench_entry_${process.pid}`;
  const store = databaseUrl
    ? await openRecords({ databaseUrl, schema })
    : await openRecords({ memory: true });
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    await loadBuiltins(store, 'bench');
    await loadWorkspace(store, (await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE)).data, {
      actor: 'bench',
    });
    await createAccount(
      store,
      { user: 'bench', name: 'Bench', country: 'MX', agency: 'SSPC', roles: ['reporter'] },
      PASSWORD,
      'bench',
      USER_FIELDS,
    );
    const signed = await signIn(store, { user: 'bench', password: PASSWORD, client: null });
    if (!signed.ok) throw new Error('the bench reporter could not sign in');
    const cookie = `${SESSION_COOKIE}=${signed.cookie}`;
    server = await listen(createApp({ store, limits: false }));
    const formPage = await (
      await fetch(`${server.base}/results/new?indicator=EX-HOM-RATE-08`, { headers: { cookie } })
    ).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(formPage)?.[1];
    if (!csrf) throw new Error('the entry form has no CSRF token');
    // Each post a new result of Chihuahua's homicide rate in 2019, in a category of its own.
    const template = new URLSearchParams({
      _csrf: csrf,
      indicator: 'EX-HOM-RATE-08',
      period: '2019',
      place: '08',
      'disaggregation.sex': 'bench-{i}',
      numerator: '1{i}',
      denominator: '3700000',
      comment: 'Entered by the bench',
      decision: 'draft',
    })
      .toString()
      .replaceAll('%7Bi%7D', '{i}');
    const input = { url: `${server.base}/results`, origin: server.base, cookie, template, clients: CLIENTS };
    progress(`monitoring: ${WARMUP} warm-up result entries on ${kind}`);
    const cold = await postFormsFromWorker({ ...input, posts: WARMUP, offset: 0 });
    progress(`monitoring: ${POSTS} result entries from ${CLIENTS} clients on ${kind}`);
    const load = await postFormsFromWorker({ ...input, posts: POSTS, offset: WARMUP });
    progress(`monitoring: the same number of plain INSERTs on ${kind}`);
    const indicator = await store.db
      .selectFrom('indicators')
      .select('id')
      .where('code', '=', 'EX-HOM-RATE-08')
      .executeTakeFirstOrThrow();
    const times: number[] = [];
    let next = 0;
    const t0 = now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < POSTS) {
          const i = next++;
          const start = now();
          await store.db
            .insertInto('results')
            .values({
              indicator_id: indicator.id,
              period_code: '2019',
              place: '08',
              disaggregation: JSON.stringify({ sex: `plain-${i}` }),
              disaggregation_key: `[["sex","plain-${i}"]]`,
              value: 1,
              status: 'draft',
              country: 'MX',
              agency: 'SSPC',
              created_by: 'bench',
              updated_by: 'bench',
            })
            .execute();
          times.push(now() - start);
        }
      }),
    );
    const insert = { ...latency(times), perSecond: POSTS / ((now() - t0) / 1000) };
    const pages: MonitoringBench['pages'] = [];
    for (const [label, path] of [
      ['review', '/review'],
      ['result entry', '/results/new?indicator=EX-HOM-RATE-08'],
      ['result edit', '/results/1/edit'],
      ['history', '/results/1/history'],
    ] as const) {
      const body = await (await fetch(server.base + path, { headers: { cookie } })).text();
      const inline = [...body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!).join('');
      let js = inline;
      for (const [, src] of body.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/gi))
        js += await (await fetch(new URL(src!, server.base))).text();
      pages.push({ label, path, jsGzipBytes: js ? gzipSync(js).length : 0 });
    }
    return {
      figures: {
        entry: { ...latency(load.times), perSecond: POSTS / load.seconds },
        warmup: { ...latency(cold.times), perSecond: WARMUP / cold.seconds },
        insert,
      },
      pages,
    };
  } finally {
    await server?.close();
    if (databaseUrl) await dropSchema(store, schema);
    await store.close();
  }
}

const heaviestJs = (r: MonitoringBench) => Math.max(...r.pages.map((p) => p.jsGzipBytes));

function entryRows(label: string, f: EntryFigures): string[][] {
  return [
    [
      `${label}: result entry form (CSRF, schema, rules, audit)`,
      fmtMs(f.entry.p50),
      fmtMs(f.entry.p99),
      f.entry.perSecond.toFixed(0),
    ],
    [
      `${label}: warm-up, the first ${f.warmup.n}`,
      fmtMs(f.warmup.p50),
      fmtMs(f.warmup.p99),
      f.warmup.perSecond.toFixed(0),
    ],
    [
      `${label}: reference, plain INSERT of a result`,
      fmtMs(f.insert.p50),
      fmtMs(f.insert.p99),
      f.insert.perSecond.toFixed(0),
    ],
    [
      `${label}: ratio`,
      `${(f.entry.p50 / f.insert.p50).toFixed(1)}×`,
      `${(f.entry.p99 / f.insert.p99).toFixed(1)}×`,
      `${(f.insert.perSecond / f.entry.perSecond).toFixed(1)}×`,
    ],
  ];
}

function printMonitoring(r: MonitoringBench | Skipped): string[] {
  const title = '7. Monitoring cycle (issue 13)';
  if (isSkipped(r)) return [title, `  skipped: ${r.skipped}`];
  const rows = [
    ...entryRows('PGlite', r.pglite),
    ...(isSkipped(r.postgres) ? [] : entryRows('PostgreSQL', r.postgres)),
  ];
  const goal = (label: string, f: EntryFigures) =>
    `  goal: result entry POST p99 < ${GOAL_ENTRY_P99_MS} ms (${label}) → ${fmtMs(f.entry.p99)} ${verdict(f.entry.p99 < GOAL_ENTRY_P99_MS)}`;
  return [
    `${title}: result entry, POST /results with a session, ${r.clients} clients, ${r.posts} new results after a warm-up`,
    ...table(['', 'p50', 'p99', 'per s'], rows),
    ...(isSkipped(r.postgres) ? [`  PostgreSQL: skipped: ${r.postgres.skipped}`] : []),
    `  JavaScript (gzip): ${r.pages.map((p) => `${p.label} ${fmtInt(p.jsGzipBytes)} B`).join(', ')}`,
    goal('embedded PGlite', r.pglite),
    ...(isSkipped(r.postgres) ? [] : [goal('PostgreSQL', r.postgres)]),
    `  goal: JavaScript < 50 KB gzipped on the monitoring pages → ${fmtInt(heaviestJs(r))} B ${verdict(heaviestJs(r) < GOAL_MONITORING_JS_BYTES)}`,
  ];
}

function monitoringGoals(r: MonitoringBench): Goal[] {
  const entry = (label: string, f: EntryFigures): Goal => ({
    goal: `result entry POST p99 < ${GOAL_ENTRY_P99_MS} ms (10 clients, ${label})`,
    value: f.entry.p99,
    display: fmtMs(f.entry.p99),
    met: f.entry.p99 < GOAL_ENTRY_P99_MS,
  });
  return [
    entry('embedded PGlite', r.pglite),
    ...(isSkipped(r.postgres) ? [] : [entry('PostgreSQL', r.postgres)]),
    {
      goal: 'JavaScript < 50 KB gzipped on the monitoring pages',
      value: heaviestJs(r),
      display: `${fmtInt(heaviestJs(r))} B`,
      met: heaviestJs(r) < GOAL_MONITORING_JS_BYTES,
    },
  ];
}

export const benchMonitoring = (ctx: BenchContext): Promise<Section<MonitoringBench>> =>
  section(ctx, 'monitoring', () => measureMonitoring(ctx), printMonitoring, monitoringGoals);
