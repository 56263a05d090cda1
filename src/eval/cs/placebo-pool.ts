/**
 * The placebo pool of randomisation inference: where a treated unit's cohort may move in a placebo
 * assignment. Unrestricted, every unit; restricted, the units of its stratum (the same state, the same
 * size band, or both), and optionally only the nearest of those on the outcome before any treatment. A
 * stratified pool is drawn as a permutation within each stratum, which keeps the test exact under the
 * sharp null when treatment was as good as random within strata. A matched pool is drawn unit by unit
 * (each treated unit, in random order, takes a free unit of its pool), which is approximate: the pools
 * are not symmetric. See docs/methods.md.
 * @module
 */
import type { CsPanel } from './cs-panel.js';

export interface PoolOptions {
  /** Each unit's stratum (units with the same number exchange cohorts), or none: one stratum. */
  stratum?: Int32Array | undefined;
  /** Each treated unit's cohort goes to one of its `match` nearest units on the pre-period outcomes. */
  match?: number | undefined;
}

export interface PlaceboPool {
  /** For each treated unit (by position in `treated`), the units its cohort may go to, itself included. */
  candidates: Int32Array[];
  treated: Int32Array;
  /** Strata as unit lists, when the pool is stratified and not matched. */
  strata?: Int32Array[];
  /** The smallest candidate set of a treated unit. */
  smallest: number;
  /** log10 of the number of distinct placebo assignments (an upper bound when matched). */
  log10Assignments: number;
}

const log10Factorial = (n: number) => {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log10(i);
  return s;
};

/** The pool of a panel's assignment; see the module documentation. */
export function placeboPool(panel: CsPanel, options: PoolOptions): PlaceboPool {
  const { units, periods, y, group } = panel;
  const stratum = options.stratum ?? new Int32Array(units);
  const treated = Int32Array.from(
    Array.from({ length: units }, (_, u) => u).filter((u) => group[u]! > 0 && group[u]! < periods),
  );
  const members = new Map<number, number[]>();
  for (let u = 0; u < units; u++) {
    const s = stratum[u]!;
    if (s < 0) continue;
    members.set(s, [...(members.get(s) ?? []), u]);
  }
  const inStratum = (u: number) => members.get(stratum[u]!) ?? [u];
  if (options.match === undefined) {
    const strata = [...members.values()].map((m) => Int32Array.from(m));
    // Distinct assignments: in each stratum, the multinomial of its cohorts' sizes and the rest.
    let log10Assignments = 0;
    for (const m of strata) {
      const sizes = new Map<number, number>();
      for (const u of m)
        if (group[u]! > 0 && group[u]! < periods) sizes.set(group[u]!, (sizes.get(group[u]!) ?? 0) + 1);
      const taken = [...sizes.values()].reduce((s, v) => s + v, 0);
      log10Assignments +=
        log10Factorial(m.length) -
        log10Factorial(m.length - taken) -
        [...sizes.values()].reduce((s, v) => s + log10Factorial(v), 0);
    }
    const candidates = [...treated].map((u) => Int32Array.from(inStratum(u)));
    return {
      candidates,
      treated,
      strata,
      smallest: Math.min(...candidates.map((c) => c.length)),
      log10Assignments,
    };
  }
  // Before any treatment: the periods that match units.
  const first = Math.min(...[...treated].map((u) => group[u]!));
  const distance = (a: number, b: number) => {
    let s = 0;
    let n = 0;
    for (let t = 0; t < first; t++) {
      const d = y[a * periods + t]! - y[b * periods + t]!;
      if (Number.isNaN(d)) continue;
      s += d * d;
      n++;
    }
    return n === 0 ? Number.POSITIVE_INFINITY : s / n;
  };
  const match = options.match;
  const candidates = [...treated].map((u) => {
    const nearest = inStratum(u)
      // A unit treated before the panel or after it keeps its cohort: no placebo lands on it.
      .filter((v) => v !== u && (group[v] === -1 || (group[v]! > 0 && group[v]! < periods)))
      .map((v) => [v, distance(u, v)] as const)
      .filter(([, d]) => Number.isFinite(d))
      // Ties broken by unit order, so a pool does not depend on the sort's stability.
      .sort((a, b) => a[1] - b[1] || a[0] - b[0])
      .slice(0, match)
      .map(([v]) => v);
    return Int32Array.from([u, ...nearest]);
  });
  return {
    candidates,
    treated,
    smallest: Math.min(...candidates.map((c) => c.length)),
    log10Assignments: candidates.reduce((s, c) => s + Math.log10(c.length), 0),
  };
}

/**
 * One placebo assignment from the pool into `out` (the treated units made controls, then each one's
 * cohort put on a unit of its pool). Returns false when a matched draw ran out of free units (the caller draws again).
 */
export function drawPlacebo(
  pool: PlaceboPool,
  group: Int32Array,
  out: Int32Array,
  random: () => number,
  taken: Uint8Array,
): boolean {
  if (pool.strata) {
    // A permutation within each stratum: its units' cohorts shuffled among them.
    out.set(group);
    for (const m of pool.strata)
      for (let i = m.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const a = m[i]!;
        const b = m[j]!;
        const tmp = out[a]!;
        out[a] = out[b]!;
        out[b] = tmp;
      }
    return true;
  }
  out.set(group);
  for (const u of pool.treated) out[u] = -1;
  taken.fill(0);
  const order = Int32Array.from(pool.treated.keys());
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  for (const i of order) {
    const free = [...pool.candidates[i]!].filter((v) => taken[v] === 0);
    if (free.length === 0) return false;
    const v = free[Math.floor(random() * free.length)]!;
    taken[v] = 1;
    out[v] = group[pool.treated[i]!]!;
  }
  return true;
}
