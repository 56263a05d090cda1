/**
 * The analysis of a criminal-group network with graphology (MIT, maintained by the médialab of Sciences
 * Po; pure JavaScript, works offline on Node 20) and its metrics, components and Louvain packages.
 *
 * The files list ties as directed rows, most of them twice (A→B and B→A, the same weight); an alliance
 * or a rivalry is mutual, so each layer is an undirected simple graph: one edge per pair of groups,
 * weighted by the larger weight the rows give it, marked `both` when both directions were listed. Three
 * graphs are analysed: alliances, rivalries, and all ties (their union; a pair that is both allied and
 * rival is one edge, and its weighted degree adds both layers' weights).
 *
 * For each group and graph: degree (ties), weighted degree (the sum of their weights) and betweenness
 * centrality (unweighted shortest paths, each unordered pair counted once: Brandes over typed arrays,
 * `brandes.ts`, as R igraph's `betweenness(g, directed = FALSE, weights = NA)`; a weight is an
 * intensity, not a distance). Connected
 * components of all ties, numbered from the largest. Communities of the alliance graph by Louvain
 * (weighted, seeded, so the same network gives the same communities). For each state: its groups, the
 * density of alliances and of rivalries among them (ties between two of its groups over the pairs it
 * could have), and the rivalries that involve at least one of its groups.
 * @module
 */
import { createRequire } from 'node:module';
import { UndirectedGraph } from 'graphology';
import type Louvain from 'graphology-communities-louvain';
import { connectedComponents } from 'graphology-components';
import { prng } from '../eval/random.js';
import { adjacency, betweenness, ESTIMATE_WORK, EXACT_WORK, sampleSources } from './brandes.js';
import type { NetworkGroup, NetworkTie } from '../stats/networks/network-read.js';
import type { TieKind } from '../stats/networks/network-file.js';

// A CommonJS module whose `module.exports` is the function itself: read through require, typed by its
// own declarations.
const require = createRequire(import.meta.url);
const louvain = require('graphology-communities-louvain') as typeof Louvain.default;

type Graph = UndirectedGraph;

export type Layer = TieKind | 'all';
export const LAYERS: readonly Layer[] = ['alliance', 'rivalry', 'all'];

/** One undirected tie of a layer. */
export interface PairTie {
  a: string;
  b: string;
  weight: number;
  /** Whether the file listed it in both directions. */
  reported: 'both' | 'one';
}

export interface GroupMetrics extends NetworkGroup {
  degree: Record<Layer, number>;
  weightedDegree: Record<Layer, number>;
  betweenness: Record<Layer, number>;
  /** Its connected component of all ties (1 is the largest). */
  component: number;
  /** Its Louvain community of alliances, or null for a group without an alliance. */
  community: number | null;
}

export interface StateNetwork {
  state: string;
  groups: number;
  alliancesWithin: number;
  rivalriesWithin: number;
  allianceDensity: number | null;
  rivalryDensity: number | null;
  /** Rivalries with at least one end among its groups. */
  rivalries: number;
}

export interface NetworkAnalysis {
  groups: GroupMetrics[];
  ties: Record<TieKind, PairTie[]>;
  components: { id: number; nodes: string[] }[];
  communities: { id: number; nodes: string[] }[];
  /** The modularity of the communities on the alliance graph. */
  modularity: number | null;
  /** For each graph, whether betweenness is exact or estimated, and from how many source groups. */
  betweennessFrom: Record<Layer, { exact: boolean; sources: number }>;
  states: StateNetwork[];
}

/** The undirected ties of one kind: one per pair, the larger weight. */
export function pairTies(ties: readonly NetworkTie[], kind: TieKind): PairTie[] {
  const pairs = new Map<string, PairTie & { seen: Set<string> }>();
  for (const t of ties) {
    if (t.kind !== kind) continue;
    const [a, b] = t.source < t.target ? [t.source, t.target] : [t.target, t.source];
    const key = `${a}\u0000${b}`;
    const found = pairs.get(key);
    if (!found) pairs.set(key, { a, b, weight: t.weight, reported: 'one', seen: new Set([t.source]) });
    else {
      found.weight = Math.max(found.weight, t.weight);
      found.seen.add(t.source);
      if (found.seen.size === 2) found.reported = 'both';
    }
  }
  return [...pairs.values()]
    .map(({ a, b, weight, reported }) => ({ a, b, weight, reported }))
    .sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}

/** An undirected graph of `nodes` and `ties` (a pair given twice adds its weights). */
export function graphOf(nodes: readonly string[], ties: readonly PairTie[]): Graph {
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  for (const n of nodes) graph.addNode(n);
  for (const t of ties) {
    if (graph.hasEdge(t.a, t.b))
      graph.updateEdgeAttribute(t.a, t.b, 'weight', (w: number | undefined) => (w ?? 0) + t.weight);
    else graph.addEdge(t.a, t.b, { weight: t.weight });
  }
  return graph;
}

/**
 * Degree, weighted degree and betweenness of every node among `nodes`, over `ties` (a pair given twice
 * is one tie, its weights added). Betweenness: `brandes.ts`, exact up to its work limit, else estimated
 * from seeded sources; `exact` says which.
 */
export function centralities(
  nodes: readonly string[],
  ties: readonly PairTie[],
  seed = 2020,
): {
  exact: boolean;
  sources: number;
  byNode: Map<string, { degree: number; weighted: number; betweenness: number }>;
} {
  const index = new Map(nodes.map((n, i) => [n, i]));
  const merged = new Map<string, { a: number; b: number; weight: number }>();
  for (const t of ties) {
    const key = `${t.a}\u0000${t.b}`;
    const found = merged.get(key);
    if (found) found.weight += t.weight;
    else merged.set(key, { a: index.get(t.a)!, b: index.get(t.b)!, weight: t.weight });
  }
  const degree = new Int32Array(nodes.length);
  const weighted = new Float64Array(nodes.length);
  const edges: [number, number][] = [];
  for (const { a, b, weight } of merged.values()) {
    degree[a]!++;
    degree[b]!++;
    weighted[a]! += weight;
    weighted[b]! += weight;
    edges.push([a, b]);
  }
  const adj = adjacency(nodes.length, edges);
  const perSource = nodes.length + adj.targets.length;
  const exact = nodes.length * perSource <= EXACT_WORK;
  const sources = exact ? nodes.length : Math.max(1, Math.floor(ESTIMATE_WORK / perSource));
  const between = betweenness(adj, exact ? undefined : sampleSources(nodes.length, sources, prng(seed)));
  const byNode = new Map(
    nodes.map((node, i) => [node, { degree: degree[i]!, weighted: weighted[i]!, betweenness: between[i]! }]),
  );
  return { exact, sources, byNode };
}

/** Components of `graph`, largest first (then by their first node), numbered from 1. */
export function components(graph: Graph): { id: number; nodes: string[] }[] {
  return connectedComponents(graph)
    .map((nodes) => [...nodes].sort())
    .sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!))
    .map((nodes, i) => ({ id: i + 1, nodes }));
}

/** The analysis of `groups` and `ties` (see the module documentation). */
export function analyseNetwork(
  groups: readonly NetworkGroup[],
  ties: readonly NetworkTie[],
  seed = 2020,
): NetworkAnalysis {
  const nodes = groups.map((g) => g.node);
  const byKind: Record<TieKind, PairTie[]> = {
    alliance: pairTies(ties, 'alliance'),
    rivalry: pairTies(ties, 'rivalry'),
  };
  const layerTies: Record<Layer, PairTie[]> = {
    alliance: byKind.alliance,
    rivalry: byKind.rivalry,
    all: [...byKind.alliance, ...byKind.rivalry],
  };
  const computed = Object.fromEntries(
    LAYERS.map((l) => [l, centralities(nodes, layerTies[l], seed)]),
  ) as Record<Layer, ReturnType<typeof centralities>>;
  const measured = Object.fromEntries(LAYERS.map((l) => [l, computed[l].byNode])) as Record<
    Layer,
    ReturnType<typeof centralities>['byNode']
  >;
  const parts = components(graphOf(nodes, layerTies.all));
  const componentOf = new Map(parts.flatMap((c) => c.nodes.map((n) => [n, c.id] as const)));

  // Louvain on the groups with at least one alliance, seeded.
  const allied = graphOf(nodes, byKind.alliance);
  allied.forEachNode((n) => {
    if (allied.degree(n) === 0) allied.dropNode(n);
  });
  let communities: { id: number; nodes: string[] }[] = [];
  let modularity: number | null = null;
  if (allied.size > 0) {
    const found = louvain.detailed(allied, { getEdgeWeight: 'weight', rng: prng(seed) });
    modularity = found.modularity;
    const members = new Map<number, string[]>();
    for (const [node, c] of Object.entries(found.communities) as [string, number][])
      members.set(c, [...(members.get(c) ?? []), node]);
    communities = [...members.values()]
      .map((m) => m.sort())
      .sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!))
      .map((m, i) => ({ id: i + 1, nodes: m }));
  }
  const communityOf = new Map(communities.flatMap((c) => c.nodes.map((n) => [n, c.id] as const)));

  const metric = <K extends 'degree' | 'weighted' | 'betweenness'>(node: string, key: K) =>
    Object.fromEntries(LAYERS.map((l) => [l, measured[l].get(node)![key]])) as Record<Layer, number>;
  return {
    groups: groups.map((g) => ({
      ...g,
      degree: metric(g.node, 'degree'),
      weightedDegree: metric(g.node, 'weighted'),
      betweenness: metric(g.node, 'betweenness'),
      component: componentOf.get(g.node)!,
      community: communityOf.get(g.node) ?? null,
    })),
    ties: byKind,
    components: parts,
    communities,
    modularity,
    betweennessFrom: Object.fromEntries(
      LAYERS.map((l) => [l, { exact: computed[l].exact, sources: computed[l].sources }]),
    ) as Record<Layer, { exact: boolean; sources: number }>,
    states: stateNetworks(groups, byKind),
  };
}

/** For each state with a group: its groups, and the alliances and rivalries among and around them. */
export function stateNetworks(
  groups: readonly NetworkGroup[],
  ties: Record<TieKind, PairTie[]>,
): StateNetwork[] {
  const stateOf = new Map(groups.map((g) => [g.node, g.state]));
  const counts = new Map<string, { groups: number; alliances: number; rivalries: number; around: number }>();
  const of = (state: string) => {
    let c = counts.get(state);
    if (!c) counts.set(state, (c = { groups: 0, alliances: 0, rivalries: 0, around: 0 }));
    return c;
  };
  for (const g of groups) of(g.state).groups++;
  // One pass over the ties: within a state when both ends are there; around each state an end is in.
  for (const kind of ['alliance', 'rivalry'] as const)
    for (const t of ties[kind]) {
      const a = stateOf.get(t.a)!;
      const b = stateOf.get(t.b)!;
      if (a === b) of(a)[kind === 'alliance' ? 'alliances' : 'rivalries']++;
      if (kind === 'rivalry') {
        of(a).around++;
        if (b !== a) of(b).around++;
      }
    }
  return [...counts.keys()].sort().map((state) => {
    const c = counts.get(state)!;
    const pairs = (c.groups * (c.groups - 1)) / 2;
    return {
      state,
      groups: c.groups,
      alliancesWithin: c.alliances,
      rivalriesWithin: c.rivalries,
      allianceDensity: pairs > 0 ? c.alliances / pairs : null,
      rivalryDensity: pairs > 0 ? c.rivalries / pairs : null,
      rivalries: c.around,
    };
  });
}
