/**
 * Betweenness by Brandes over typed arrays (`src/networks/brandes.ts`): exact on small graphs whose
 * values are known by hand; from every node as a "sample" it equals the exact values; and on a graph too
 * large for the exact computation the analysis estimates it from seeded sources, says so, and ranks the
 * most central nodes as the exact computation does.
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../src/eval/random.js';
import { adjacency, betweenness, sampleSources } from '../../src/networks/brandes.js';
import { analyseNetwork } from '../../src/networks/network-analysis.js';

describe('betweenness', () => {
  it('is known by hand on a path, a star and two triangles joined at a node', () => {
    // a - b - c - d: b and c each lie on two of the six pairs' shortest paths.
    expect([
      ...betweenness(
        adjacency(4, [
          [0, 1],
          [1, 2],
          [2, 3],
        ]),
      ),
    ]).toEqual([0, 2, 2, 0]);
    // A star of five leaves: the centre lies on all ten pairs of leaves.
    expect([
      ...betweenness(
        adjacency(6, [
          [0, 1],
          [0, 2],
          [0, 3],
          [0, 4],
          [0, 5],
        ]),
      ),
    ]).toEqual([10, 0, 0, 0, 0, 0]);
    // A square: each pair of opposite corners has two shortest paths, half through each other corner.
    expect([
      ...betweenness(
        adjacency(4, [
          [0, 1],
          [1, 2],
          [2, 3],
          [3, 0],
        ]),
      ),
    ]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('from every node as sources equals the exact values', () => {
    const random = prng(3);
    const edges: [number, number][] = [];
    for (let i = 0; i < 400; i++) {
      const a = Math.floor(random() * 120);
      const b = Math.floor(random() * 120);
      if (a !== b) edges.push(a < b ? [a, b] : [b, a]);
    }
    const unique = [...new Map(edges.map((e) => [e.join('-'), e])).values()];
    const adj = adjacency(120, unique);
    const exact = betweenness(adj);
    const all = betweenness(adj, sampleSources(120, 120, prng(1)));
    for (let i = 0; i < 120; i++) expect(all[i]).toBeCloseTo(exact[i]!, 9);
  });

  it('is estimated on a graph too large to compute exactly, ranking the top groups as the exact values do', () => {
    const n = 3000;
    const random = prng(11);
    const groups = Array.from({ length: n }, (_, i) => ({
      node: `N${String(i).padStart(4, '0')}`,
      name: `G${i}`,
      shortName: null,
      state: '09',
    }));
    const seen = new Set<string>();
    const ties = [];
    // A few hubs and many small groups, as criminal networks are: preferential attachment.
    const ends: number[] = [0, 1];
    while (ties.length < 15_000) {
      const a = Math.floor(random() * n);
      const b = ends[Math.floor(random() * ends.length)]!;
      const key = a < b ? `${a}-${b}` : `${b}-${a}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      ends.push(a, b);
      ties.push({
        kind: 'rivalry' as const,
        edge: `E${ties.length}`,
        source: groups[a]!.node,
        target: groups[b]!.node,
        weight: 1,
      });
    }
    const analysis = analyseNetwork(groups, ties);
    expect(analysis.betweennessFrom.rivalry.exact).toBe(false);
    expect(analysis.betweennessFrom.rivalry.sources).toBeGreaterThan(100);
    const index = new Map(groups.map((g, i) => [g.node, i]));
    const exact = betweenness(
      adjacency(
        n,
        analysis.ties.rivalry.map((t) => [index.get(t.a)!, index.get(t.b)!] as [number, number]),
      ),
    );
    const top = (values: (i: number) => number) =>
      [...groups.keys()].sort((x, y) => values(y) - values(x)).slice(0, 10);
    const estimated = new Map(analysis.groups.map((g, i) => [i, g.betweenness.rivalry]));
    const topExact = top((i) => exact[i]!);
    const topEstimated = top((i) => estimated.get(i)!);
    expect(topEstimated.filter((i) => topExact.includes(i)).length).toBeGreaterThanOrEqual(8);
    const leader = topExact[0]!;
    expect(Math.abs(estimated.get(leader)! - exact[leader]!) / exact[leader]!).toBeLessThan(0.15);
  }, 60_000);
});
