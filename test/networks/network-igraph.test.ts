/**
 * The centralities and components of BACRIM 2020 (imported from the shared data as `marco import-dir`
 * does) against R's igraph (Debian `r-cran-igraph`) on the same graphs, to 1e-9: degree, weighted
 * degree (`strength`), betweenness (`betweenness(g, directed = FALSE, weights = NA)`) and connected
 * components, for the alliances, the rivalries and all ties; and the import itself rejects no row.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LAYERS } from '../../src/networks/network-analysis.js';
import { analyseNetwork, type NetworkAnalysis, type PairTie } from '../../src/networks/network-analysis.js';
import { readNetwork } from '../../src/stats/networks/network-read.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { haveR } from '../fixtures/have-r.js';
import { haveBacrim, importBacrim } from './bacrim.js';

const haveIgraph = haveR('the igraph comparison of network measures', ['igraph'], ['r-cran-igraph']);

const R_SCRIPT = `
suppressMessages(library(igraph))
args <- commandArgs(trailingOnly = TRUE)
nodes <- read.csv(args[1], colClasses = "character")$node
out <- list()
for (layer in c("alliance", "rivalry", "all")) {
  e <- read.csv(file.path(args[2], paste0(layer, ".csv")), colClasses = c("character", "character", "numeric"))
  g <- graph_from_data_frame(e, directed = FALSE, vertices = data.frame(name = nodes))
  g <- simplify(g, edge.attr.comb = list(weight = "sum"))
  comp <- components(g)$membership
  out[[layer]] <- data.frame(layer = layer, node = V(g)$name, degree = degree(g),
    strength = strength(g, weights = E(g)$weight), betweenness = betweenness(g, directed = FALSE, weights = NA),
    component = comp)
}
write.csv(do.call(rbind, out), args[3], row.names = FALSE)
`;

describe.runIf(haveBacrim)('BACRIM 2020 network', () => {
  let stats: StatsStore;
  let dir: string;
  let analysis: NetworkAnalysis;
  const reports: { rowsRead: number; rowsLoaded: number; rowsRejected: number }[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-network-'));
    stats = await openStats({ memory: true });
    reports.push(...(await importBacrim(stats)));
    const net = await readNetwork(stats);
    analysis = analyseNetwork(net.groups, net.ties);
  });
  afterAll(async () => {
    stats.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports 150 groups, 130 alliance rows and 127 rivalry rows with none rejected', () => {
    expect(reports.map((r) => [r.rowsRead, r.rowsLoaded, r.rowsRejected])).toEqual([
      [150, 150, 0],
      [130, 130, 0],
      [127, 127, 0],
    ]);
    expect(analysis.groups).toHaveLength(150);
    expect(analysis.ties.alliance).toHaveLength(91);
    expect(analysis.ties.rivalry).toHaveLength(92);
  });

  it.runIf(haveIgraph)(
    'matches R igraph: degree, strength, betweenness and components, to 1e-9',
    async () => {
      await writeFile(
        path.join(dir, 'nodes.csv'),
        `node\n${analysis.groups.map((g) => g.node).join('\n')}\n`,
      );
      const csv = (ties: PairTie[]) =>
        `from,to,weight\n${ties.map((t) => `${t.a},${t.b},${t.weight}`).join('\n')}\n`;
      await writeFile(path.join(dir, 'alliance.csv'), csv(analysis.ties.alliance));
      await writeFile(path.join(dir, 'rivalry.csv'), csv(analysis.ties.rivalry));
      await writeFile(path.join(dir, 'all.csv'), csv([...analysis.ties.alliance, ...analysis.ties.rivalry]));
      await writeFile(path.join(dir, 'igraph.R'), R_SCRIPT);
      const out = path.join(dir, 'r.csv');
      execFileSync('Rscript', [path.join(dir, 'igraph.R'), path.join(dir, 'nodes.csv'), dir, out]);
      const lines = (await import('node:fs')).readFileSync(out, 'utf8').trim().split('\n').slice(1);
      expect(lines).toHaveLength(3 * 150);
      const byNode = new Map(analysis.groups.map((g) => [g.node, g]));
      // igraph numbers components by first appearance; compare the partitions, not the numbers.
      const rComponents = new Map<string, Map<string, string[]>>();
      for (const line of lines) {
        const [layer, node, degree, strength, betweenness, component] = line
          .split(',')
          .map((c) => c.replace(/"/g, ''));
        const g = byNode.get(node!)!;
        const l = layer as (typeof LAYERS)[number];
        expect(g.degree[l]).toBe(Number(degree));
        expect(Math.abs(g.weightedDegree[l] - Number(strength))).toBeLessThan(1e-9);
        expect(Math.abs(g.betweenness[l] - Number(betweenness))).toBeLessThan(1e-9);
        const parts = rComponents.get(l) ?? new Map<string, string[]>();
        parts.set(component!, [...(parts.get(component!) ?? []), node!]);
        rComponents.set(l, parts);
      }
      const partition = (groups: string[][]) => groups.map((g) => [...g].sort().join(' ')).sort();
      expect(partition([...rComponents.get('all')!.values()])).toEqual(
        partition(analysis.components.map((c) => c.nodes)),
      );
      expect(analysis.components[0]!.nodes).toHaveLength(109);
    },
  );

  it('finds the same communities from the same network, each of allied groups', () => {
    const again = analyseNetwork(
      analysis.groups.map(({ node, name, shortName, state }) => ({ node, name, shortName, state })),
      [
        ...analysis.ties.alliance.map((t) => ({
          kind: 'alliance' as const,
          edge: '',
          source: t.a,
          target: t.b,
          weight: t.weight,
        })),
        ...analysis.ties.rivalry.map((t) => ({
          kind: 'rivalry' as const,
          edge: '',
          source: t.a,
          target: t.b,
          weight: t.weight,
        })),
      ],
    );
    expect(again.communities).toEqual(analysis.communities);
    expect(analysis.modularity).toBeGreaterThan(0.5);
    const allied = new Set(analysis.ties.alliance.flatMap((t) => [t.a, t.b]));
    for (const c of analysis.communities) for (const n of c.nodes) expect(allied.has(n)).toBe(true);
  });
});
