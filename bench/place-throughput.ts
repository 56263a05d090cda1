/**
 * Place profiles under load (issue 13): 10 clients on a worker thread ask for 50 municipality profiles in
 * turn, 1,000 requests in all, over keep-alive loopback connections, against the same data twice: with
 * the page cache off (the reference, every page rendered) and on (each profile rendered once, then
 * served kept until a write or an import). Each run starts from a new state of the statistics store, so
 * nothing computed for one place is left from an earlier run; within a run, the series that the
 * municipalities of a state share (their state's and the country's) are computed once
 * (`generation-memo.ts`). Goals: ≥ 100 requests/s and p95 < 200 ms with the cache.
 * @module
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { RecordsStore } from '../src/records/database.js';
import { createApp } from '../src/server/app.js';
import type { StatsStore } from '../src/stats/stats-store.js';
import { percentile } from './runner.js';
import { runClients } from './worker.js';

export const GOAL_PLACE_RPS = 100;
export const GOAL_PLACE_P95_MS = 200;
const CLIENTS = 10;
const REQUESTS = 1000;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const http = require('node:http');

function get(agent, url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    }).on('error', reject);
  });
}

(async () => {
  const { urls, clients, requests } = workerData;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const times = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < requests) {
      const url = urls[next++ % urls.length];
      const start = performance.now();
      const status = await get(agent, url);
      if (status !== 200) throw new Error('GET ' + url + ': ' + status);
      times.push(performance.now() - start);
    }
  }));
  agent.destroy();
  parentPort.postMessage({ times, seconds: (performance.now() - t0) / 1000 });
})().catch((error) => { throw error; });
`;

export interface ThroughputRun {
  perSecond: number;
  p50: number;
  p95: number;
}

async function run(records: RecordsStore, stats: StatsStore, paths: string[], cacheBytes?: number) {
  const app = createApp({
    store: records,
    stats,
    limits: false,
    ...(cacheBytes ? { pageCacheBytes: cacheBytes } : {}),
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { times, seconds } = await runClients(WORKER, {
      urls: paths.map((p) => base + p),
      clients: CLIENTS,
      requests: REQUESTS,
    });
    return { perSecond: times.length / seconds, p50: percentile(times, 50), p95: percentile(times, 95) };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The two runs, reference first. */
export async function placeThroughput(
  records: RecordsStore,
  stats: StatsStore,
): Promise<{ places: number; reference: ThroughputRun; cached: ThroughputRun }> {
  const places = [...(await stats.metadata()).places.values()]
    .filter((p) => p.level === 'municipality' && p.code.startsWith('08'))
    .slice(0, 50)
    .map((p) => `/places/${p.code}?lang=es`);
  // Each run starts cold: a new state of the statistics store (as after an import) drops both the
  // answers computed once per state (generation-memo.ts) and the pages kept for the old one.
  stats.invalidate();
  const reference = await run(records, stats, places, 1);
  stats.invalidate();
  const cached = await run(records, stats, places);
  return { places: places.length, reference, cached };
}
