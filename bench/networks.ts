/**
 * Section 15 of `npm run bench` (`--only networks`): criminal-group networks (issue 17).
 *
 * - **Analysis of a synthetic network** of 10,000 groups and 50,000 ties (seeded, alliances and
 *   rivalries alternating): degree, weighted degree and betweenness of the three graphs, components and
 *   Louvain communities (`analyseNetwork`), `--repeat` times. The reference, in the same run, is reading
 *   the same ties into undirected pairs and building the graph of all of them (the floor of any
 *   analysis). The goal is < 2 s.
 * - **The network page for BACRIM 2020**: `GET /networks` (the map, the table, the drawing and the most
 *   central groups, rendered for every request: no page cache, detail open) and a group's page, 100
 *   requests each over loopback, against the home page as the reference. The goal is p95 < 200 ms.
 * @module
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { prng } from '../src/eval/random.js';
import { analyseNetwork, graphOf, pairTies } from '../src/networks/network-analysis.js';
import { loadBuiltins } from '../src/records/builtin.js';
import { openRecords } from '../src/records/database.js';
import { createApp } from '../src/server/app.js';
import { importFile } from '../src/stats/importer.js';
import type { NetworkTie } from '../src/stats/networks/network-read.js';
import { sourceById } from '../src/stats/sources/index.js';
import { ensureStarter } from '../src/stats/starter.js';
import { openStats } from '../src/stats/stats-store.js';
import { fmtMs, fmtS, fmtX, table } from './print.js';
import { median, now, percentile, section, type BenchContext, type Section } from './runner.js';

export const GOAL_ANALYSIS_SECONDS = 2;
export const GOAL_NETWORK_PAGE_P95_MS = 200;
const GROUPS = 10_000;
const TIES = 50_000;
const REQUESTS = 100;
const FILES = [
  'network/BACRIM2020_Nodes.csv',
  'network/BACRIM2020_Alliances.csv',
  'network/BACRIM2020_Rivals.csv',
];

interface Page {
  label: string;
  p50: number;
  p95: number;
}

interface NetworksBench {
  analysisSeconds: number[];
  referenceSeconds: number[];
  estimated: boolean;
  pages: Page[];
}

/** A seeded network of `GROUPS` groups and `TIES` distinct ties. */
function synthetic(seed: number) {
  const random = prng(seed);
  const groups = Array.from({ length: GROUPS }, (_, i) => ({
    node: `N${i}`,
    name: `Group ${i}`,
    shortName: null,
    state: String(1 + (i % 32)).padStart(2, '0'),
  }));
  const seen = new Set<string>();
  const ties: NetworkTie[] = [];
  while (ties.length < TIES) {
    const a = Math.floor(random() * GROUPS);
    const b = Math.floor(random() * GROUPS);
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    ties.push({
      kind: ties.length % 2 ? 'alliance' : 'rivalry',
      edge: `E${ties.length}`,
      source: `N${a}`,
      target: `N${b}`,
      weight: 1 + Math.floor(random() * 5),
    });
  }
  return { groups, ties };
}

async function pageTimes(base: string, label: string, path: string): Promise<Page> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS + 5; i++) {
    const t0 = now();
    const res = await fetch(base + path);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    if (i >= 5) times.push(now() - t0);
  }
  return { label, p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function measureNetworks({
  options,
  data,
  progress,
}: BenchContext): Promise<NetworksBench | { skipped: string }> {
  const missing = data.missing(FILES);
  if (missing) return missing;
  const { groups, ties } = synthetic(options.seed);
  const result: NetworksBench = { analysisSeconds: [], referenceSeconds: [], estimated: false, pages: [] };
  for (let i = 0; i < options.repeat; i++) {
    progress(`networks: analysis of ${GROUPS} groups and ${TIES} ties (${i + 1}/${options.repeat})`);
    let t0 = now();
    graphOf(
      groups.map((g) => g.node),
      [...pairTies(ties, 'alliance'), ...pairTies(ties, 'rivalry')],
    );
    result.referenceSeconds.push((now() - t0) / 1000);
    t0 = now();
    const analysis = analyseNetwork(groups, ties);
    result.analysisSeconds.push((now() - t0) / 1000);
    result.estimated = !analysis.betweennessFrom.all.exact;
  }

  progress('networks: the BACRIM 2020 pages');
  const store = await openRecords({ memory: true });
  const stats = await openStats({ memory: true });
  try {
    await loadBuiltins(store, 'bench');
    await ensureStarter(stats, 'bench');
    for (const f of FILES)
      await importFile(stats, sourceById('bacrim-network')!, data.file(f), { version: 'bench' });
    // Every request rendered (no page cache), with the group detail a signed-in official sees.
    const app = createApp({
      store,
      stats,
      limits: false,
      pageCacheBytes: 1,
      networks: { classification: 'public', country: 'MX' },
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      result.pages.push(await pageTimes(base, 'home (reference)', '/?lang=en'));
      result.pages.push(await pageTimes(base, 'network, BACRIM 2020', '/networks?lang=en'));
      result.pages.push(await pageTimes(base, 'group (CJNG)', '/networks/groups/N10025?lang=es'));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    stats.close();
    await store.close();
  }
  return result;
}

export function benchNetworks(ctx: BenchContext): Promise<Section<NetworksBench>> {
  return section(
    ctx,
    'networks',
    () => measureNetworks(ctx),
    (r) => {
      const title = 'Criminal-group networks (issue 17)';
      if ('skipped' in r) return [title, `  skipped: ${r.skipped}`];
      const ref = median(r.referenceSeconds);
      const page = (label: string) => r.pages.find((p) => p.label === label)!;
      const home = page('home (reference)');
      return [
        title,
        ...table(
          ['figure', ' median', ' runs', ' reference'],
          [
            [
              `analysis, ${GROUPS.toLocaleString('en')} groups, ${TIES.toLocaleString('en')} ties${r.estimated ? ' (betweenness estimated)' : ''}`,
              fmtS(median(r.analysisSeconds)),
              r.analysisSeconds.map(fmtS).join(', '),
              `${fmtS(ref)} building the graph`,
            ],
          ],
        ),
        `  ratio: analysis ${fmtX(median(r.analysisSeconds) / ref)} building the graph`,
        ...table(
          ['page (100 requests)', ' p50', ' p95'],
          r.pages.map((p) => [p.label, fmtMs(p.p50), fmtMs(p.p95)]),
        ),
        `  ratio: network page p95 ${fmtX(page('network, BACRIM 2020').p95 / home.p95)} the home page's`,
      ];
    },
    (r) => {
      const network = r.pages.find((p) => p.label === 'network, BACRIM 2020')!;
      return [
        {
          goal: `network analysis, ${GROUPS} groups and ${TIES} ties < ${GOAL_ANALYSIS_SECONDS} s`,
          value: median(r.analysisSeconds),
          display: fmtS(median(r.analysisSeconds)),
          met: median(r.analysisSeconds) < GOAL_ANALYSIS_SECONDS,
        },
        {
          goal: `network page p95, BACRIM 2020 < ${GOAL_NETWORK_PAGE_P95_MS} ms`,
          value: network.p95,
          display: fmtMs(network.p95),
          met: network.p95 < GOAL_NETWORK_PAGE_P95_MS,
        },
      ];
    },
  );
}
