/**
 * Section 4 of `npm run bench`: the server's response times for the main pages (request to last byte,
 * over loopback) and the JavaScript each page ships, gzipped. The server runs in this process on the
 * store loaded with every public file and the example workspace, so the pages draw on real volumes of
 * data rather than a test fixture. There is no reference to divide by here: the goals are absolute
 * budgets, p95 per page and JavaScript per page.
 * @module
 */
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { PACKAGE_ROOT, VERSION } from '../src/package.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../src/records/builtin.js';
import { openRecords, type RecordsStore } from '../src/records/database.js';
import { loadWorkspace } from '../src/records/workspace-load.js';
import { createApp } from '../src/server/app.js';
import { ensureFigures } from '../src/stats/claims.js';
import { fmtInt, fmtMs, table, verdict } from './print.js';
import { GOAL_PLACE_P95_MS, GOAL_PLACE_RPS, placeThroughput } from './place-throughput.js';
import {
  IMPORTS,
  isSkipped,
  latency,
  now,
  openLoadedStore,
  percentile,
  section,
  type BenchContext,
  type Goal,
  type Section,
  type Skipped,
} from './runner.js';

export const GOAL_PAGE_P95_MS = 200;
export const GOAL_JS_GZIP_BYTES = 150 * 1024;

const PAGES: { label: string; path: string }[] = [
  { label: 'home', path: '/?lang=en' },
  { label: 'program', path: '/programs/EX-CHIHUAHUA-PREVENTION' },
  {
    label: 'explorer, state choropleth',
    path: '/explore?measure=homicides&level=state&by=year&from=2010&per=100000',
  },
  { label: 'municipality profile (Juárez)', path: '/places/08037?lang=es' },
  { label: 'documented figures', path: '/figures' },
];

export interface WebBench {
  requests: number;
  throughput: Awaited<ReturnType<typeof placeThroughput>>;
  pages: {
    label: string;
    path: string;
    p50: number;
    p95: number;
    max: number;
    htmlBytes: number;
    jsGzipBytes: number;
  }[];
}

async function measureWeb({ options, data, progress }: BenchContext): Promise<WebBench | Skipped> {
  const store = await openLoadedStore(data, 'web');
  if (isSkipped(store)) return store;
  const { stats } = store;
  let records: RecordsStore | undefined;
  let server: ServerType | undefined;
  try {
    records = await openRecords({ memory: true });
    await ensureFigures(stats, VERSION);
    await loadBuiltins(records, 'bench');
    await loadWorkspace(records, (await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE)).data, {
      actor: 'bench',
    });
    // Each page rendered every time (the page cache off): what a first reader, or a signed-in one, waits.
    const app = createApp({ store: records, stats, pageCacheBytes: 1 });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Tied to --queries so that a quick run (--queries 50) is quick here too.
    const requests = Math.max(20, Math.round(options.queries / 10));
    const pages: WebBench['pages'] = [];
    for (const { label, path: url } of PAGES) {
      progress(`web: ${label}`);
      let body = '';
      for (let i = 0; i < 5; i++) body = await (await fetch(base + url)).text();
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t0 = now();
        const res = await fetch(base + url);
        body = await res.text();
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
        times.push(now() - t0);
      }
      // Inline scripts and scripts the page loads from this server, gzipped.
      const inline = [...body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!).join('');
      const sources = [...body.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/gi)].map((m) => m[1]!);
      let js = inline;
      for (const src of sources) js += await (await fetch(new URL(src, base))).text();
      const l = latency(times);
      pages.push({
        label,
        path: url,
        p50: l.p50,
        p95: percentile(times, 95),
        max: l.max,
        htmlBytes: Buffer.byteLength(body),
        jsGzipBytes: js ? gzipSync(js).length : 0,
      });
    }
    progress('web: place profiles, 10 clients');
    const throughput = await placeThroughput(records, stats);
    return { requests, pages, throughput };
  } finally {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await store.close();
    await records?.close();
  }
}

const slowestP95 = (r: WebBench) => Math.max(...r.pages.map((p) => p.p95));
const heaviestJs = (r: WebBench) => Math.max(...r.pages.map((p) => p.jsGzipBytes));

function printWeb(r: WebBench | Skipped): string[] {
  const title = '4. Web pages';
  if (isSkipped(r)) return [title, `  skipped: ${r.skipped}`];
  return [
    `${title}: server response over loopback (request to last byte), each page rendered (page cache off; the statistics answers a page shares with others kept per store state), ${r.requests} requests each after 5 warm-up, a store loaded with ${IMPORTS.length} files`,
    ...table(
      ['page', ' p50', ' p95', ' max', ' HTML', ' JS (gzip)'],
      r.pages.map((p) => [
        p.label,
        fmtMs(p.p50),
        fmtMs(p.p95),
        fmtMs(p.max),
        fmtInt(p.htmlBytes) + ' B',
        fmtInt(p.jsGzipBytes) + ' B',
      ]),
    ),
    `  goal: p95 < ${GOAL_PAGE_P95_MS} ms on every page → ${fmtMs(slowestP95(r))} ${verdict(slowestP95(r) < GOAL_PAGE_P95_MS)}`,
    `  goal: JavaScript < 150 KB gzipped per page → ${fmtInt(heaviestJs(r))} B ${verdict(heaviestJs(r) < GOAL_JS_GZIP_BYTES)}`,
    `  place profiles, 10 clients, 1,000 requests over ${r.throughput.places} municipalities (each rendered once, then kept):`,
    ...table(
      ['page cache', ' requests/s', ' p50', ' p95'],
      [
        [
          'off (reference)',
          r.throughput.reference.perSecond.toFixed(1),
          fmtMs(r.throughput.reference.p50),
          fmtMs(r.throughput.reference.p95),
        ],
        [
          'on',
          r.throughput.cached.perSecond.toFixed(1),
          fmtMs(r.throughput.cached.p50),
          fmtMs(r.throughput.cached.p95),
        ],
      ],
    ),
    `  ratio: ${(r.throughput.cached.perSecond / r.throughput.reference.perSecond).toFixed(1)}× the reference's requests/s`,
    `  goal: ≥ ${GOAL_PLACE_RPS} requests/s → ${r.throughput.cached.perSecond.toFixed(1)} ${verdict(r.throughput.cached.perSecond >= GOAL_PLACE_RPS)}`,
    `  goal: p95 < ${GOAL_PLACE_P95_MS} ms → ${fmtMs(r.throughput.cached.p95)} ${verdict(r.throughput.cached.p95 < GOAL_PLACE_P95_MS)}`,
  ];
}

const webGoals = (r: WebBench): Goal[] => [
  {
    goal: `place profiles ≥ ${GOAL_PLACE_RPS} requests/s (10 clients)`,
    value: r.throughput.cached.perSecond,
    display: `${r.throughput.cached.perSecond.toFixed(1)}/s`,
    met: r.throughput.cached.perSecond >= GOAL_PLACE_RPS,
  },
  {
    goal: `place profiles p95 < ${GOAL_PLACE_P95_MS} ms (10 clients)`,
    value: r.throughput.cached.p95,
    display: fmtMs(r.throughput.cached.p95),
    met: r.throughput.cached.p95 < GOAL_PLACE_P95_MS,
  },
  {
    goal: `web pages p95 < ${GOAL_PAGE_P95_MS} ms`,
    value: slowestP95(r),
    display: fmtMs(slowestP95(r)),
    met: slowestP95(r) < GOAL_PAGE_P95_MS,
  },
  {
    goal: 'JavaScript per page < 150 KB gzipped',
    value: heaviestJs(r),
    display: `${fmtInt(heaviestJs(r))} B`,
    met: heaviestJs(r) < GOAL_JS_GZIP_BYTES,
  },
];

export function benchWeb(ctx: BenchContext): Promise<Section<WebBench>> {
  return section(ctx, 'web', () => measureWeb(ctx), printWeb, webGoals);
}
