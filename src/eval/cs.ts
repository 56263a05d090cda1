/**
 * Callaway and Sant'Anna (2021) difference-in-differences for staggered adoption, without covariates:
 * ATT(g,t) for every cohort g (first treated period) and period t, each a 2×2 comparison of the cohort
 * with never-treated or not-yet-treated units; aggregations (simple, dynamic by event time, by group);
 * standard errors and uniform bands from a multiplier bootstrap of the influence functions, with a seed.
 * See docs/methods.md.
 * @module
 */
import { quantileSorted } from 'd3-array';
import { EXIT, MarcoError } from '../error.js';
import type { Panel } from './twfe.js';
import { prng } from './random.js';

/** The data cannot give this estimate (no comparison exists); the message says why. */
export class EstimationError extends MarcoError {
  readonly code = 'not_estimable';
  readonly status = 422;
  readonly exitCode = EXIT.invalid;
}

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

/**
 * R's default (type 7) quantile of sorted values, as d3-array computes it (by index, so a typed array
 * serves, though its types ask for an array).
 */
const quantile = (sorted: Float64Array, p: number): number =>
  quantileSorted(sorted as unknown as ArrayLike<number> as number[], p)!;

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
  if (attgt.length === 0) throw new EstimationError({ key: 'validation.panel.noComparison', values: {} });

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
  // Draws go in blocks, so that each influence function is read once per block, not once per draw (the
  // functions of a municipal panel do not fit in cache). The weights come in the same order as one draw
  // at a time, so a seed gives the same draws.
  const BLOCK = 8;
  const v = new Float64Array(BLOCK * units);
  for (let b0 = 0; b0 < draws; b0 += BLOCK) {
    const width = Math.min(BLOCK, draws - b0);
    for (let j = 0; j < width; j++) for (let u = 0; u < units; u++) v[j * units + u] = mammen(random);
    for (let k = 0; k < targets.length; k++) {
      const psi = targets[k]!;
      if (width === BLOCK) {
        // Eight accumulators side by side: independent sums the CPU can overlap.
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0,
          s4 = 0,
          s5 = 0,
          s6 = 0,
          s7 = 0;
        for (let u = 0; u < units; u++) {
          const p = psi[u]!;
          if (p === 0) continue;
          s0 += v[u]! * p;
          s1 += v[units + u]! * p;
          s2 += v[2 * units + u]! * p;
          s3 += v[3 * units + u]! * p;
          s4 += v[4 * units + u]! * p;
          s5 += v[5 * units + u]! * p;
          s6 += v[6 * units + u]! * p;
          s7 += v[7 * units + u]! * p;
        }
        const out = boot[k]!;
        out[b0] = s0 / units;
        out[b0 + 1] = s1 / units;
        out[b0 + 2] = s2 / units;
        out[b0 + 3] = s3 / units;
        out[b0 + 4] = s4 / units;
        out[b0 + 5] = s5 / units;
        out[b0 + 6] = s6 / units;
        out[b0 + 7] = s7 / units;
      } else
        for (let j = 0; j < width; j++) {
          let s = 0;
          const off = j * units;
          for (let u = 0; u < units; u++) s += v[off + u]! * psi[u]!;
          boot[k]![b0 + j] = s / units;
        }
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

export interface RandomizationOptions {
  control?: 'never' | 'notyet';
  /** Permutations of the treatment assignment (default 999) and seed. */
  permutations?: number;
  seed?: number;
  minEvent?: number;
  maxEvent?: number;
  /** Called after every permutation, with how many are done. */
  onPermutation?: (done: number) => void;
}

export interface Randomization {
  permutations: number;
  seed: number;
  /** p-values of the overall ATT and of each event time's ATT: the share of permutations at least as far from zero. */
  simple: { att: number; p: number };
  dynamic: { event: number; att: number; p: number }[];
}

/**
 * The simple and dynamic aggregates of Callaway–Sant'Anna's ATT(g,t) for one assignment of cohorts,
 * computed from the treated units' rows and the column sums only: every unit that is not treated is a
 * never-treated control, so its rows enter through the column sums. The same numbers as
 * {@link callawaySantAnna} on a panel without missing values, at a cost that grows with the treated
 * units, not the panel.
 */
function aggregatesFor(
  panel: CsPanel,
  group: Int32Array,
  columnSum: Float64Array,
  control: 'never' | 'notyet',
  events: (e: number) => boolean,
): { simple: number; dynamic: Map<number, number> } {
  const { units, periods, y } = panel;
  const cohorts = [...new Set(group)].filter((g) => g > 0 && g < periods).sort((a, b) => a - b);
  const index = new Map(cohorts.map((g, c) => [g, c]));
  const size = new Float64Array(cohorts.length);
  const cohortSum = cohorts.map(() => new Float64Array(periods));
  const treatedSum = new Float64Array(periods);
  let nonControls = 0;
  for (let u = 0; u < units; u++) {
    const g = group[u]!;
    if (g === -1) continue;
    nonControls++;
    const c = index.get(g);
    const row = u * periods;
    for (let t = 0; t < periods; t++) treatedSum[t]! += y[row + t]!;
    if (c === undefined) continue;
    size[c]!++;
    const sum = cohortSum[c]!;
    for (let t = 0; t < periods; t++) sum[t]! += y[row + t]!;
  }
  const never = units - nonControls;
  let simpleSum = 0;
  let simpleWeight = 0;
  const dynSum = new Map<number, number>();
  const dynWeight = new Map<number, number>();
  cohorts.forEach((g, c) => {
    for (let t = 1; t < periods; t++) {
      const base = t >= g ? g - 1 : t - 1;
      const muT = (cohortSum[c]![t]! - cohortSum[c]![base]!) / size[c]!;
      let sumC = columnSum[t]! - treatedSum[t]! - (columnSum[base]! - treatedSum[base]!);
      let nC = never;
      if (control === 'notyet')
        cohorts.forEach((h, d) => {
          if (h > Math.max(t, base) && h !== g) {
            sumC += cohortSum[d]![t]! - cohortSum[d]![base]!;
            nC += size[d]!;
          }
        });
      if (nC === 0) continue;
      const att = muT - sumC / nC;
      const e = t - g;
      if (e >= 0) {
        simpleSum += size[c]! * att;
        simpleWeight += size[c]!;
      }
      if (events(e)) {
        dynSum.set(e, (dynSum.get(e) ?? 0) + size[c]! * att);
        dynWeight.set(e, (dynWeight.get(e) ?? 0) + size[c]!);
      }
    }
  });
  return {
    simple: simpleSum / simpleWeight,
    dynamic: new Map([...dynSum].map(([e, v]) => [e, v / dynWeight.get(e)!])),
  };
}

/**
 * Randomization inference for Callaway–Sant'Anna: the cohorts are reassigned to units at random (a
 * permutation of the units, keeping every cohort's size), and the overall and event-time ATTs are
 * recomputed each time. A p-value is the share of assignments, the actual one included, whose estimate is
 * at least as far from zero as the actual one (Fisher's sharp null of no effect anywhere). It stays valid
 * with one or a few treated units, where the bootstrap is not (Conley and Taber 2011; MacKinnon and Webb
 * 2020). The panel must have no missing values.
 */
export function randomizationInference(panel: CsPanel, options: RandomizationOptions = {}): Randomization {
  const runs = randomizationRuns(panel, options);
  for (;;) {
    const next = runs.next();
    if (next.done) return next.value;
    options.onPermutation?.(next.value);
  }
}

/**
 * {@link randomizationInference} one permutation at a time: yields the count done after each, and
 * returns the result. A caller that must not hold its thread (a server's background job) pauses between
 * permutations; the numbers are the same.
 */
export function* randomizationRuns(
  panel: CsPanel,
  options: RandomizationOptions = {},
): Generator<number, Randomization, void> {
  const control = options.control ?? 'never';
  const permutations = options.permutations ?? 999;
  const seed = options.seed ?? 1;
  const { units, periods, y } = panel;
  if (y.some((v) => Number.isNaN(v)))
    throw new EstimationError({ key: 'validation.panel.randomizationMissing', values: {} });
  const columnSum = new Float64Array(periods);
  for (let u = 0; u < units; u++) for (let t = 0; t < periods; t++) columnSum[t]! += y[u * periods + t]!;
  const events = (e: number) => e >= (options.minEvent ?? -Infinity) && e <= (options.maxEvent ?? Infinity);
  const actual = aggregatesFor(panel, panel.group, columnSum, control, events);
  const tolerance = (x: number) => Math.abs(x) * (1 - 1e-12);
  let simpleCount = 1;
  const dynCount = new Map([...actual.dynamic.keys()].map((e) => [e, 1]));
  const random = prng(seed);
  const group = Int32Array.from(panel.group);
  for (let r = 0; r < permutations; r++) {
    // Fisher–Yates: a uniform permutation of the assignment.
    for (let i = units - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = group[i]!;
      group[i] = group[j]!;
      group[j] = tmp;
    }
    const placebo = aggregatesFor(panel, group, columnSum, control, events);
    if (Math.abs(placebo.simple) >= tolerance(actual.simple)) simpleCount++;
    for (const [e, att] of actual.dynamic) {
      const p = placebo.dynamic.get(e);
      if (p !== undefined && Math.abs(p) >= tolerance(att)) dynCount.set(e, dynCount.get(e)! + 1);
    }
    yield r + 1;
  }
  return {
    permutations,
    seed,
    simple: { att: actual.simple, p: simpleCount / (permutations + 1) },
    dynamic: [...actual.dynamic]
      .sort((a, b) => a[0] - b[0])
      .map(([event, att]) => ({ event, att, p: dynCount.get(event)! / (permutations + 1) })),
  };
}
