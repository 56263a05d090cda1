/**
 * Callaway and Sant'Anna (2021) difference-in-differences for staggered adoption, without covariates:
 * ATT(g,t) for every cohort g (first treated period) and period t, each a 2×2 comparison of the cohort
 * with never-treated or not-yet-treated units; aggregations (simple, dynamic by event time, by group);
 * standard errors and uniform bands from a multiplier bootstrap of the influence functions, with a seed.
 * Also the canonical 2×2 difference-in-differences with its cell means. See docs/methods.md.
 * @module
 */
import type { Panel } from './twfe.js';
import { prng } from './random.js';

/** A balanced panel: `y[unit * periods + t]` (NaN when missing), and each unit's cohort (−1: never). */
export interface CsPanel {
  units: number;
  periods: number;
  y: Float64Array;
  /** First treated period of each unit, or −1 for never treated. */
  group: Int32Array;
}

/** The same panel in long form (one row per observed unit and period), for the TWFE estimator. */
export function toLong(panel: CsPanel): Panel {
  const n = panel.units * panel.periods;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(panel.y[i])) rows.push(i);
  if (rows.length === n)
    return {
      unit: Int32Array.from({ length: n }, (_, i) => Math.floor(i / panel.periods)),
      period: Int32Array.from({ length: n }, (_, i) => i % panel.periods),
      y: panel.y,
      units: panel.units,
      periods: panel.periods,
    };
  return {
    unit: Int32Array.from(rows, (i) => Math.floor(i / panel.periods)),
    period: Int32Array.from(rows, (i) => i % panel.periods),
    y: Float64Array.from(rows, (i) => panel.y[i]!),
    units: panel.units,
    periods: panel.periods,
  };
}

export interface CsOptions {
  control?: 'never' | 'notyet';
  /** Bootstrap draws (default 999) and seed. */
  draws?: number;
  seed?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Event times kept in the dynamic aggregation and its uniform band (R did's `min_e`, `max_e`). */
  minEvent?: number;
  maxEvent?: number;
}

export interface AttGT {
  group: number;
  period: number;
  /** t − g. */
  event: number;
  att: number;
  se: number;
  treated: number;
  controls: number;
}

export interface Aggregate {
  att: number;
  se: number;
  lower: number;
  upper: number;
}

export interface CsResult {
  control: 'never' | 'notyet';
  attgt: AttGT[];
  simple: Aggregate;
  dynamic: (Aggregate & { event: number; uniformLower: number; uniformUpper: number })[];
  byGroup: (Aggregate & { group: number })[];
  /** The critical value of the uniform band over event times. */
  uniformCritical: number;
  draws: number;
  seed: number;
}

/** Mammen's two-point weights: mean 0, variance 1, third moment 1 (as R's `did` uses). */
function mammen(random: () => number): number {
  const s5 = Math.sqrt(5);
  return random() < (s5 + 1) / (2 * s5) ? -(s5 - 1) / 2 : (s5 + 1) / 2;
}

function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return (
    sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!)
  );
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, ~1e-9). */
export function qnorm(p: number): number {
  const a = [
    -39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472,
    2.50662827745924,
  ];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [
    -0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497,
    2.93816398269878,
  ];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const q = p < 0.5 ? p : 1 - p;
  let x: number;
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    // The tail formula gives the (negative) lower quantile; kept as a magnitude, like the central branch.
    x = -(
      (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) /
      ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1)
    );
  } else {
    const r = q - 0.5;
    const s = r * r;
    x =
      -((((((a[0]! * s + a[1]!) * s + a[2]!) * s + a[3]!) * s + a[4]!) * s + a[5]!) * r) /
      (((((b[0]! * s + b[1]!) * s + b[2]!) * s + b[3]!) * s + b[4]!) * s + 1);
  }
  return p < 0.5 ? -x : x;
}

/** Callaway–Sant'Anna ATT(g,t), aggregations and bootstrap inference; see the module documentation. */
export function callawaySantAnna(panel: CsPanel, options: CsOptions = {}): CsResult {
  const control = options.control ?? 'never';
  const draws = options.draws ?? 999;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  const { units, periods, y, group } = panel;
  const cohorts = [...new Set(group)].filter((g) => g > 0 && g < periods).sort((a, b) => a - b);
  const value = (u: number, t: number) => y[u * periods + t]!;

  // Each ATT(g,t) with its influence function over units (scaled so that se = sqrt(Σψ²)/n).
  const attgt: AttGT[] = [];
  const influence: Float64Array[] = [];
  for (const g of cohorts) {
    for (let t = 1; t < periods; t++) {
      // Varying base period (R did's default): g−1 after treatment, t−1 before it.
      const base = t >= g ? g - 1 : t - 1;
      const isControl = (u: number) =>
        control === 'never'
          ? group[u] === -1
          : group[u] === -1 || (group[u]! > Math.max(t, base) && group[u] !== g);
      let sumT = 0;
      let nT = 0;
      let sumC = 0;
      let nC = 0;
      const delta = new Float64Array(units).fill(Number.NaN);
      for (let u = 0; u < units; u++) {
        const d = value(u, t) - value(u, base);
        if (Number.isNaN(d)) continue;
        if (group[u] === g) {
          delta[u] = d;
          sumT += d;
          nT++;
        } else if (isControl(u)) {
          delta[u] = d;
          sumC += d;
          nC++;
        }
      }
      if (nT === 0 || nC === 0) continue;
      const muT = sumT / nT;
      const muC = sumC / nC;
      const psi = new Float64Array(units);
      for (let u = 0; u < units; u++) {
        const d = delta[u]!;
        if (Number.isNaN(d)) continue;
        psi[u] = group[u] === g ? ((d - muT) * units) / nT : (-(d - muC) * units) / nC;
      }
      attgt.push({ group: g, period: t, event: t - g, att: muT - muC, se: 0, treated: nT, controls: nC });
      influence.push(psi);
    }
  }
  if (attgt.length === 0) throw new Error('no cohort has both treated and control units with data');

  // Cohort sizes weight the aggregations (weights treated as fixed in the bootstrap).
  const size = new Map(cohorts.map((g) => [g, [...group].filter((x) => x === g).length]));
  const combine = (members: number[], weights: number[]) => {
    const total = weights.reduce((s, w) => s + w, 0);
    const w = weights.map((x) => x / total);
    const att = members.reduce((s, m, i) => s + w[i]! * attgt[m]!.att, 0);
    const psi = new Float64Array(units);
    members.forEach((m, i) => {
      const p = influence[m]!;
      for (let u = 0; u < units; u++) psi[u]! += w[i]! * p[u]!;
    });
    return { att, psi };
  };
  const post = attgt.map((a, i) => [a, i] as const).filter(([a]) => a.event >= 0);
  const simple = combine(
    post.map(([, i]) => i),
    post.map(([a]) => size.get(a.group)!),
  );
  const events = [...new Set(attgt.map((a) => a.event))]
    .filter((e) => e >= (options.minEvent ?? -Infinity) && e <= (options.maxEvent ?? Infinity))
    .sort((a, b) => a - b);
  const dynamic = events.map((e) => {
    const m = attgt.map((a, i) => [a, i] as const).filter(([a]) => a.event === e);
    return {
      event: e,
      ...combine(
        m.map(([, i]) => i),
        m.map(([a]) => size.get(a.group)!),
      ),
    };
  });
  const byGroup = cohorts.flatMap((g) => {
    const m = post.filter(([a]) => a.group === g);
    return m.length
      ? [
          {
            group: g,
            ...combine(
              m.map(([, i]) => i),
              m.map(() => 1),
            ),
          },
        ]
      : [];
  });

  // Multiplier bootstrap: the same unit draws for every estimate, so bands can be uniform.
  const random = prng(seed);
  const targets = [...influence, simple.psi, ...dynamic.map((d) => d.psi), ...byGroup.map((d) => d.psi)];
  const boot = targets.map(() => new Float64Array(draws));
  const v = new Float64Array(units);
  for (let b = 0; b < draws; b++) {
    for (let u = 0; u < units; u++) v[u] = mammen(random);
    for (let k = 0; k < targets.length; k++) {
      const psi = targets[k]!;
      let s = 0;
      for (let u = 0; u < units; u++) s += v[u]! * psi[u]!;
      boot[k]![b] = s / units;
    }
  }
  // Bootstrap standard errors from the interquartile range (robust, as in R's did).
  const iqrScale = qnorm(0.75) - qnorm(0.25);
  const se = boot.map((draw) => {
    const sorted = Float64Array.from(draw).sort();
    return (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / iqrScale;
  });
  attgt.forEach((a, i) => (a.se = se[i]!));
  const z = qnorm(1 - (1 - level) / 2);
  const aggregate = (att: number, s: number): Aggregate => ({
    att,
    se: s,
    lower: att - z * s,
    upper: att + z * s,
  });
  const dynOffset = influence.length + 1;
  // Uniform band over event times: the level-quantile of the largest studentised deviation.
  const maxT = new Float64Array(draws);
  for (let b = 0; b < draws; b++) {
    let m = 0;
    dynamic.forEach((_, j) => {
      const s = se[dynOffset + j]!;
      if (s > 0) m = Math.max(m, Math.abs(boot[dynOffset + j]![b]!) / s);
    });
    maxT[b] = m;
  }
  const uniformCritical = quantile(maxT.sort(), level);
  return {
    control,
    attgt,
    simple: aggregate(simple.att, se[influence.length]!),
    dynamic: dynamic.map((d, j) => {
      const s = se[dynOffset + j]!;
      return {
        event: d.event,
        ...aggregate(d.att, s),
        uniformLower: d.att - uniformCritical * s,
        uniformUpper: d.att + uniformCritical * s,
      };
    }),
    byGroup: byGroup.map((d, j) => ({
      group: d.group,
      ...aggregate(d.att, se[dynOffset + dynamic.length + j]!),
    })),
    uniformCritical,
    draws,
    seed,
  };
}

/** The canonical 2×2 difference-in-differences, with its four cell means. */
export function twoByTwo(cells: { treated: boolean; post: boolean; y: number }[]): {
  means: { treatedPre: number; treatedPost: number; controlPre: number; controlPost: number };
  did: number;
} {
  const mean = (treated: boolean, post: boolean) => {
    const xs = cells.filter((c) => c.treated === treated && c.post === post).map((c) => c.y);
    if (xs.length === 0)
      throw new Error(`no ${treated ? 'treated' : 'control'} observations ${post ? 'after' : 'before'}`);
    return xs.reduce((s, x) => s + x, 0) / xs.length;
  };
  const means = {
    treatedPre: mean(true, false),
    treatedPost: mean(true, true),
    controlPre: mean(false, false),
    controlPost: mean(false, true),
  };
  return { means, did: means.treatedPost - means.treatedPre - (means.controlPost - means.controlPre) };
}
