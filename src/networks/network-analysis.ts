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
 * centrality (unweighted shortest paths, each unordered pair counted once: Brandes, as R igraph's
 * `betweenness(g, directed = FALSE, weights = NA)`; a weight is an intensity, not a distance). Connected
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
import type Betweenness from 'graphology-metrics/centrality/betweenness.js';
import { prng } from '../eval/random.js';
import type { NetworkGroup, NetworkTie } from '../stats/networks/network-read.js';
import type { TieKind } from '../stats/networks/network-file.js';

// CommonJS modules whose `module.exports` is the function itself: read through require, typed by their
// own declarations.
const require = createRequire(import.meta.url);
const louvain = require('graphology-communities-louvain') as typeof Louvain.default;
const betweennessCentrality =
  require('graphology-metrics/centrality/betweenness') as typeof Betweenness.default;

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

/** Degree, weighted degree and betweenness of every node of `graph`. */
export function centralities(
  graph: Graph,
): Map<string, { degree: number; weighted: number; betweenness: number }> {
  const betweenness = betweennessCentrality(graph, { getEdgeWeight: null, normalized: false });
  const out = new Map<string, { degree: number; weighted: number; betweenness: number }>();
  graph.forEachNode((node) => {
    let weighted = 0;
    graph.forEachEdge(node, (_e, attr) => (weighted += attr.weight as number));
    out.set(node, { degree: graph.degree(node), weighted, betweenness: betweenness[node] ?? 0 });
  });
  return out;
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
  const graphs: Record<Layer, Graph> = {
    alliance: graphOf(nodes, byKind.alliance),
    rivalry: graphOf(nodes, byKind.rivalry),
    all: graphOf(nodes, [...byKind.alliance, ...byKind.rivalry]),
  };
  const measured = Object.fromEntries(LAYERS.map((l) => [l, centralities(graphs[l])])) as Record<
    Layer,
    ReturnType<typeof centralities>
  >;
  const parts = components(graphs.all);
  const componentOf = new Map(parts.flatMap((c) => c.nodes.map((n) => [n, c.id] as const)));

  // Louvain on the groups with at least one alliance, seeded.
  const allied = graphs.alliance.copy();
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
    states: stateNetworks(groups, byKind),
  };
}

/** For each state with a group: its groups, and the alliances and rivalries among and around them. */
export function stateNetworks(
  groups: readonly NetworkGroup[],
  ties: Record<TieKind, PairTie[]>,
): StateNetwork[] {
  const stateOf = new Map(groups.map((g) => [g.node, g.state]));
  const states = [...new Set(groups.map((g) => g.state))].sort();
  return states.map((state) => {
    const n = groups.filter((g) => g.state === state).length;
    const within = (kind: TieKind) =>
      ties[kind].filter((t) => stateOf.get(t.a) === state && stateOf.get(t.b) === state).length;
    const pairs = (n * (n - 1)) / 2;
    const alliancesWithin = within('alliance');
    const rivalriesWithin = within('rivalry');
    return {
      state,
      groups: n,
      alliancesWithin,
      rivalriesWithin,
      allianceDensity: pairs > 0 ? alliancesWithin / pairs : null,
      rivalryDensity: pairs > 0 ? rivalriesWithin / pairs : null,
      rivalries: ties.rivalry.filter((t) => stateOf.get(t.a) === state || stateOf.get(t.b) === state).length,
    };
  });
}
