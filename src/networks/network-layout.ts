/**
 * Where each group of a network is drawn: a deterministic layout of the groups with at least one tie
 * (alliances and rivalries together). The largest connected component is laid out by ForceAtlas2
 * (graphology-layout-forceatlas2, LinLog mode) started from a circle in node-id order, for a fixed
 * number of iterations, with no randomness; the smaller components sit in a strip below it. The same
 * network is always drawn the same way, so a page and its golden copy agree. Groups without a tie are
 * listed, not drawn. Coordinates are in the unit square.
 * @module
 */
import { createRequire } from 'node:module';
import type ForceAtlas2 from 'graphology-layout-forceatlas2';
import { graphOf, type NetworkAnalysis } from './network-analysis.js';

const require = createRequire(import.meta.url);
const forceAtlas2 = require('graphology-layout-forceatlas2') as typeof ForceAtlas2.default;

export interface NetworkLayout {
  /** Node id → position in [0, 1]². */
  positions: Map<string, { x: number; y: number }>;
  /** Groups with no tie, in node-id order. */
  isolated: string[];
}

const ITERATIONS = 400;

/** The nodes of `component` by ForceAtlas2, scaled into the unit square (aspect kept, centred). */
function forceLayout(analysis: NetworkAnalysis, component: string[]): Map<string, { x: number; y: number }> {
  const members = new Set(component);
  const graph = graphOf(
    component,
    [...analysis.ties.alliance, ...analysis.ties.rivalry].filter((t) => members.has(t.a) && members.has(t.b)),
  );
  component.forEach((node, i) => {
    const angle = (2 * Math.PI * i) / component.length;
    graph.mergeNodeAttributes(node, { x: Math.cos(angle), y: Math.sin(angle) });
  });
  const found = forceAtlas2(graph, {
    iterations: ITERATIONS,
    getEdgeWeight: null,
    settings: { linLogMode: true, gravity: 1, scalingRatio: 4, barnesHutOptimize: false, slowDown: 2 },
  });
  const xs = Object.values(found).map((p) => p.x);
  const ys = Object.values(found).map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  return new Map(
    Object.entries(found).map(([node, p]) => [
      node,
      {
        x: (p.x - minX) / span + (1 - (maxX - minX) / span) / 2,
        y: (p.y - minY) / span + (1 - (maxY - minY) / span) / 2,
      },
    ]),
  );
}

/** The share of the height the largest component takes; the smaller ones share a strip below it. */
const MAIN = 0.82;

/**
 * The largest component laid out by ForceAtlas2 in the upper part; every smaller one in a strip below,
 * side by side from the largest, its groups on a small circle (two groups side by side).
 */
export function layoutNetwork(analysis: NetworkAnalysis): NetworkLayout {
  const isolated = analysis.groups
    .filter((g) => g.degree.all === 0)
    .map((g) => g.node)
    .sort();
  const parts = analysis.components.filter((c) => c.nodes.length > 1);
  const positions = new Map<string, { x: number; y: number }>();
  const [main, ...small] = parts;
  if (main)
    for (const [node, p] of forceLayout(analysis, main.nodes))
      positions.set(node, { x: p.x, y: p.y * (small.length ? MAIN : 1) });
  const slots = small.reduce((sum, c) => sum + c.nodes.length, 0);
  let left = 0;
  for (const c of small) {
    const width = c.nodes.length / slots;
    const cx = left + width / 2;
    const r = Math.min(width / 2.5, 0.05);
    c.nodes.forEach((node, i) => {
      const angle = Math.PI + (2 * Math.PI * i) / c.nodes.length;
      positions.set(node, { x: cx + r * Math.cos(angle), y: (MAIN + 1) / 2 + r * Math.sin(angle) });
    });
    left += width;
  }
  return { positions, isolated };
}
