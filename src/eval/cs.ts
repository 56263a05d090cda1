/**
 * Callaway and Sant'Anna (2021) difference-in-differences for staggered adoption: ATT(g,t) for every
 * cohort g (first treated period) and period t, each a 2×2 comparison of the cohort with never-treated or
 * not-yet-treated units, with covariates by the doubly robust estimator (`cs/att-gt.ts`); aggregations
 * (simple, dynamic by event time, by group); standard errors and uniform bands from a multiplier
 * bootstrap of the influence functions, with a seed.
 * See docs/methods.md.
 * @module
 */
import { quantileSorted } from 'd3-array';
import type { Panel } from './twfe.js';
import { prng } from './random.js';
import { attCells, type Covariates } from './cs/att-gt.js';
import { EstimationError } from './cs/estimation-error.js';
import type { AttGT, CsPanel } from './cs/cs-panel.js';

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
  /** Covariates of the units, fixed in time: each comparison by the doubly robust estimator. */
  covariates?: Covariates | undefined;
  /** The panel's period labels, for the messages. */
  labels?: string[] | undefined;
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
  /**
   * With covariates: how many (besides the intercept), and the controls the propensity score's trimming
   * left out, summed over the comparisons (absent without covariates, and in runs saved before them).
   */
  doublyRobust?: { covariates: number; trimmed: number };
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
  const { units, periods, group } = panel;
  const cohorts = [...new Set(group)].filter((g) => g > 0 && g < periods).sort((a, b) => a - b);
  const { attgt, influence, trimmed } = attCells(panel, group, {
    control,
    covariates: options.covariates,
    labels: options.labels,
  });

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
  // No comparison after treatment (an unbalanced panel can lose them all): no effect to estimate.
  if (post.length === 0) throw new EstimationError({ key: 'validation.panel.noPostComparison', values: {} });
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
    ...(options.covariates ? { doublyRobust: { covariates: options.covariates.k, trimmed } } : {}),
  };
}
