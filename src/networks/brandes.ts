/**
 * Betweenness centrality of an undirected, unweighted graph by Brandes' algorithm (2001) over a
 * compressed adjacency (typed arrays), each unordered pair of nodes counted once, as R igraph's
 * `betweenness(g, directed = FALSE, weights = NA)`, checked against igraph on BACRIM 2020 to 1e-9.
 * graphology-metrics computes the same numbers but took 52 s on a graph of 10,000 groups and 50,000
 * ties, where this takes 16 s: exact betweenness costs a breadth-first search from every node. A graph
 * larger than {@link EXACT_WORK} is therefore estimated from a seeded sample of source nodes (Brandes
 * and Pich, 2007), as networkx's `k` and igraph's cutoffs do, and the analysis says so.
 * @module
 */

/** The graph as compressed adjacency: node i's neighbours are `targets[offsets[i] .. offsets[i + 1])`. */
export interface Adjacency {
  offsets: Int32Array;
  targets: Int32Array;
}

/** The adjacency of `n` nodes and the undirected `edges` between them (pairs of indices). */
export function adjacency(n: number, edges: readonly (readonly [number, number])[]): Adjacency {
  const degree = new Int32Array(n + 1);
  for (const [a, b] of edges) {
    degree[a]!++;
    degree[b]!++;
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]!);
  for (const [a, b] of edges) {
    targets[fill[a]!++] = b;
    targets[fill[b]!++] = a;
  }
  return { offsets, targets };
}

/**
 * Each node's betweenness: over every pair of other nodes, its share of their shortest paths. From every
 * node (exact), or from `sources` only, scaled by how many nodes each stands for (an estimate).
 */
export function betweenness({ offsets, targets }: Adjacency, sources?: Int32Array): Float64Array {
  const n = offsets.length - 1;
  const centrality = new Float64Array(n);
  const dist = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  const count = sources ? sources.length : n;
  for (let k = 0; k < count; k++) {
    const s = sources ? sources[k]! : k;
    if (offsets[s + 1] === offsets[s]) continue;
    // Breadth-first from s: the order nodes are reached doubles as the stack.
    let head = 0;
    let tail = 0;
    order[tail++] = s;
    dist[s] = 0;
    sigma[s] = 1;
    while (head < tail) {
      const v = order[head++]!;
      const next = dist[v]! + 1;
      for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
        const w = targets[e]!;
        if (dist[w]! < 0) {
          dist[w] = next;
          order[tail++] = w;
        }
        if (dist[w] === next) sigma[w]! += sigma[v]!;
      }
    }
    // Back from the farthest: each node passes its dependency to its predecessors.
    for (let i = tail - 1; i > 0; i--) {
      const w = order[i]!;
      const share = (1 + delta[w]!) / sigma[w]!;
      const before = dist[w]! - 1;
      for (let e = offsets[w]!, end = offsets[w + 1]!; e < end; e++) {
        const v = targets[e]!;
        if (dist[v] === before) delta[v]! += sigma[v]! * share;
      }
      centrality[w]! += delta[w]!;
    }
    // Only the nodes reached need resetting.
    for (let i = 0; i < tail; i++) {
      const v = order[i]!;
      dist[v] = -1;
      sigma[v] = 0;
      delta[v] = 0;
    }
  }
  // Each unordered pair was counted from both of its ends; a sample of sources stands for all.
  const scale = (sources ? n / Math.max(1, sources.length) : 1) / 2;
  for (let i = 0; i < n; i++) centrality[i]! *= scale;
  return centrality;
}

/**
 * The work (sources × (nodes + adjacency entries)) up to which betweenness is exact (BACRIM's all-ties
 * graph: 150 × 516), and the work an estimate spends instead: a few tenths of a second each.
 */
export const EXACT_WORK = 50_000_000;
export const ESTIMATE_WORK = 15_000_000;

/** The source nodes of an estimate: `k` distinct nodes drawn with `random`, in index order. */
export function sampleSources(n: number, k: number, random: () => number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, k).sort();
}
