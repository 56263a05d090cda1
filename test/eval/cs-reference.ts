/**
 * A reference for the Callaway–Sant'Anna tests, written from the method's definition rather than from
 * src/eval/cs.ts: each ATT(g,t) from group means, its influence function, the aggregations, and the
 * multiplier bootstrap one draw at a time; and a small panel with staggered cohorts and missing cells.
 * @module
 */
import type { CsPanel } from '../../src/eval/cs/cs-panel.js';
import { prng } from '../../src/eval/random.js';

/** A small panel: 14 units, 7 periods, cohorts 2, 3 and 5, four never treated, two missing cells (or none). */
export function smallPanel(missing = true): CsPanel {
  const units = 14;
  const periods = 7;
  const group = Int32Array.from([2, 2, 2, 3, 3, 3, 3, 5, 5, 5, -1, -1, -1, -1]);
  const random = prng(7);
  const y = new Float64Array(units * periods);
  for (let u = 0; u < units; u++)
    for (let t = 0; t < periods; t++) {
      const g = group[u]!;
      const effect = g > 0 && t >= g ? 1 + 0.5 * (t - g) + 0.1 * g : 0;
      y[u * periods + t] = u * 0.3 + t * 0.2 + effect + random() - 0.5;
    }
  if (missing) {
    y[4 * periods + 6] = Number.NaN;
    y[12 * periods + 1] = Number.NaN;
  }
  return { units, periods, y, group };
}

/** R's quantile type 7 (linear interpolation between order statistics). */
export function quantile7(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Standard normal quantiles used by the reference (R: qnorm). */
const Q75 = 0.6744897501960817;
export const Z = { 0.9: 1.6448536269514722, 0.95: 1.959963984540054 } as const;

export interface Reference {
  attgt: { group: number; period: number; att: number; se: number }[];
  simple: { att: number; se: number };
  dynamic: { event: number; att: number; se: number }[];
  byGroup: { group: number; att: number; se: number }[];
  maxT: number[];
}

/** The estimator written out from its definition, one draw at a time. */
export function reference(
  panel: CsPanel,
  control: 'never' | 'notyet',
  draws: number,
  seed: number,
  events: (e: number) => boolean = () => true,
): Reference {
  const { units: n, periods: T, y, group } = panel;
  const cohorts = [...new Set(group)].filter((g) => g > 0 && g < T).sort((a, b) => a - b);
  const cells: { group: number; period: number; att: number; psi: number[] }[] = [];
  for (const g of cohorts)
    for (let t = 1; t < T; t++) {
      const base = t < g ? t - 1 : g - 1;
      const change = (u: number) => y[u * T + t]! - y[u * T + base]!;
      const all = Array.from({ length: n }, (_, u) => u).filter((u) => !Number.isNaN(change(u)));
      const treated = all.filter((u) => group[u] === g);
      const controls = all.filter(
        (u) => group[u] === -1 || (control === 'notyet' && group[u] !== g && group[u]! > Math.max(t, base)),
      );
      if (!treated.length || !controls.length) continue;
      const mean = (us: number[]) => us.reduce((s, u) => s + change(u), 0) / us.length;
      const muT = mean(treated);
      const muC = mean(controls);
      const psi = new Array<number>(n).fill(0);
      for (const u of treated) psi[u] = (n * (change(u) - muT)) / treated.length;
      for (const u of controls) psi[u] = (-n * (change(u) - muC)) / controls.length;
      cells.push({ group: g, period: t, att: muT - muC, psi });
    }
  const cohortSize = (g: number) => [...group].filter((x) => x === g).length;
  const combine = (members: typeof cells, weight: (c: (typeof cells)[number]) => number) => {
    const total = members.reduce((s, c) => s + weight(c), 0);
    return {
      att: members.reduce((s, c) => s + (weight(c) / total) * c.att, 0),
      psi: Array.from({ length: n }, (_, u) =>
        members.reduce((s, c) => s + (weight(c) / total) * c.psi[u]!, 0),
      ),
    };
  };
  const post = cells.filter((c) => c.period >= c.group);
  const simple = combine(post, (c) => cohortSize(c.group));
  const eventTimes = [...new Set(cells.map((c) => c.period - c.group))].filter(events).sort((a, b) => a - b);
  const dynamic = eventTimes.map((e) => ({
    event: e,
    ...combine(
      cells.filter((c) => c.period - c.group === e),
      (c) => cohortSize(c.group),
    ),
  }));
  const byGroup = cohorts
    .filter((g) => post.some((c) => c.group === g))
    .map((g) => ({
      group: g,
      ...combine(
        post.filter((c) => c.group === g),
        () => 1,
      ),
    }));

  const random = prng(seed);
  const s5 = Math.sqrt(5);
  const targets = [...cells, simple, ...dynamic, ...byGroup].map((x) => x.psi);
  const boot = targets.map(() => [] as number[]);
  for (let b = 0; b < draws; b++) {
    const v = Array.from({ length: n }, () =>
      random() < (s5 + 1) / (2 * s5) ? -(s5 - 1) / 2 : (s5 + 1) / 2,
    );
    targets.forEach((psi, k) => boot[k]!.push(psi.reduce((s, p, u) => s + v[u]! * p, 0) / n));
  }
  const se = boot.map((d) => (quantile7(d, 0.75) - quantile7(d, 0.25)) / (2 * Q75));
  const dynAt = cells.length + 1;
  const maxT = Array.from({ length: draws }, (_, b) =>
    Math.max(
      0,
      ...dynamic.map((_, j) => (se[dynAt + j]! > 0 ? Math.abs(boot[dynAt + j]![b]!) / se[dynAt + j]! : 0)),
    ),
  );
  return {
    attgt: cells.map((c, i) => ({ group: c.group, period: c.period, att: c.att, se: se[i]! })),
    simple: { att: simple.att, se: se[cells.length]! },
    dynamic: dynamic.map((d, j) => ({ event: d.event, att: d.att, se: se[dynAt + j]! })),
    byGroup: byGroup.map((d, j) => ({ group: d.group, att: d.att, se: se[dynAt + dynamic.length + j]! })),
    maxT,
  };
}
