/**
 * Which funding lines a funding page counts: the country's (every line), a program's (its own lines),
 * or a framework node's (lines for the node or a node below it, and the lines of programs that serve
 * one of those). Also the top-level node each line falls under, for "funding by pillar": a node line
 * under its own top-level node; a program line under each top-level node its program serves, split
 * equally among the ones of one framework so that a framework's nodes add up to its money.
 * @module
 */
import type { NodeView } from '../records/framework-repository.js';

export type FundingScope =
  { kind: 'country' } | { kind: 'program'; code: string } | { kind: 'node'; ref: string };

/** A line as the scope sees it: its program or node. */
interface Target {
  program: string | null;
  node: string | null;
}

/** The framework's tree: each node's top-level ancestor and the nodes below each node. */
export function nodeTree(nodes: readonly NodeView[]) {
  const byRef = new Map(nodes.map((n) => [n.ref, n]));
  const parentOf = (n: NodeView) => (n.parent === null ? undefined : byRef.get(`${n.framework}:${n.parent}`));
  const top = (ref: string): NodeView | undefined => {
    let node = byRef.get(ref);
    for (let guard = 0; node && guard < 64; guard++) {
      const parent = parentOf(node);
      if (!parent) return node;
      node = parent;
    }
    return node;
  };
  /** `ref` and every node below it. */
  const subtree = (ref: string): Set<string> => {
    const out = new Set<string>([ref]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const n of nodes) {
        const parent = parentOf(n);
        if (parent && out.has(parent.ref) && !out.has(n.ref)) {
          out.add(n.ref);
          grew = true;
        }
      }
    }
    return out;
  };
  return { byRef, top, subtree };
}

/** Whether the scope counts a line, given what each program serves. */
export function inScope(
  scope: FundingScope,
  serves: ReadonlyMap<string, readonly string[]>,
  tree: ReturnType<typeof nodeTree>,
): (line: Target) => boolean {
  if (scope.kind === 'country') return () => true;
  if (scope.kind === 'program') return (l) => l.program === scope.code;
  const below = tree.subtree(scope.ref);
  return (l) =>
    l.node !== null ? below.has(l.node) : (serves.get(l.program ?? '') ?? []).some((ref) => below.has(ref));
}

/**
 * The top-level nodes a line counts under and the share of it each gets: a node line wholly under its
 * top-level node; a program line split equally among the top-level nodes it serves in each framework.
 */
export function topShares(
  line: Target,
  serves: ReadonlyMap<string, readonly string[]>,
  tree: ReturnType<typeof nodeTree>,
): { ref: string; share: number }[] {
  if (line.node !== null) {
    const top = tree.top(line.node);
    return top ? [{ ref: top.ref, share: 1 }] : [];
  }
  const tops = new Map<string, Set<string>>();
  for (const ref of serves.get(line.program ?? '') ?? []) {
    const top = tree.top(ref);
    if (!top) continue;
    const set = tops.get(top.framework) ?? new Set<string>();
    set.add(top.ref);
    tops.set(top.framework, set);
  }
  return [...tops.values()].flatMap((set) => [...set].map((ref) => ({ ref, share: 1 / set.size })));
}
