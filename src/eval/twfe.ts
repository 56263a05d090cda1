/**
 * Two-way fixed-effects regression over typed arrays: unit and period effects are absorbed by
 * alternating projections (the method of fixest and reghdfe), never by dummy columns, so a municipal
 * panel with thousands of units costs a few passes over the data. Standard errors are cluster-robust
 * (CR1), and an event study adds relative-time indicators with a reference period and binned endpoints,
 * and a joint Wald test of the pre-period coefficients. See docs/methods.md.
 * @module
 */
import { EXIT, MarcoError } from '../error.js';
import { chiSquareP, invertSpd, SingularError } from './linalg.js';
import { fUpperP } from './distributions.js';

/** A panel in long form: one row per unit and period. Units and periods are dense indices from 0. */
export interface Panel {
  unit: Int32Array;
  period: Int32Array;
  y: Float64Array;
  units: number;
  periods: number;
  /** The cluster of each row (by unit, or by state), dense indices from 0; default the unit. */
  cluster?: Int32Array;
}

export interface DemeanOptions {
  /** Stop when no value moves by more than this (relative to the column's scale). Default 1e-10. */
  tolerance?: number;
  maxIterations?: number;
}

export interface RegressionOptions extends DemeanOptions {
  /**
   * The small-sample correction's K. `fixest` (the default) counts the regressors, 1 and levels − 1 of
   * every fixed effect not nested in the clusters, as fixest and reghdfe do. `estimatr` counts the
   * regressors and every level of both fixed effects but one, as R estimatr's
   * `lm_robust(se_type = "stata", fixed_effects = ~ unit + period)` does: a larger K, so wider intervals.
   */
  smallSample?: 'fixest' | 'estimatr';
}

export interface DemeanReport {
  iterations: number;
  /** The largest change in the last iteration, relative to the column's scale. */
  change: number;
  converged: boolean;
}

/** Demeaning that did not converge: reported, never silently returned. */
export class ConvergenceError extends MarcoError {
  readonly code = 'not_converged';
  readonly status = 422;
  readonly exitCode = EXIT.invalid;
  constructor(readonly report: DemeanReport) {
    super({
      key: 'validation.panel.notConverged',
      values: { iterations: report.iterations, change: report.change.toExponential(2) },
    });
  }
}

/**
 * Removes unit and period means from `x` in place, alternating until it stops changing: the residual of
 * `x` on both sets of dummies (Frisch–Waugh–Lovell). Works for unbalanced panels.
 */
export function demean(panel: Panel, x: Float64Array, options: DemeanOptions = {}): DemeanReport {
  const tolerance = options.tolerance ?? 1e-10;
  const max = options.maxIterations ?? 10_000;
  const n = x.length;
  const { unit, period } = panel;
  const { unitCount, periodCount, balanced } = shape(panel);
  const unitSum = new Float64Array(panel.units);
  const periodSum = new Float64Array(panel.periods);
  // A balanced panel (every unit in every period once) has the closed form x − x̄ᵤ − x̄ₜ + x̄: two passes.
  if (balanced) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      unitSum[unit[i]!]! += v;
      periodSum[period[i]!]! += v;
      total += v;
    }
    const grand = total / n;
    for (let u = 0; u < panel.units; u++) unitSum[u]! /= unitCount[u]!;
    for (let t = 0; t < panel.periods; t++) periodSum[t]! /= periodCount[t]!;
    for (let i = 0; i < n; i++) x[i]! += grand - unitSum[unit[i]!]! - periodSum[period[i]!]!;
    return { iterations: 1, change: 0, converged: true };
  }
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(x[i]!));
  scale = scale || 1;
  let change = Infinity;
  let iterations = 0;
  while (iterations < max) {
    iterations++;
    unitSum.fill(0);
    for (let i = 0; i < n; i++) unitSum[panel.unit[i]!]! += x[i]!;
    change = 0;
    for (let i = 0; i < n; i++) {
      const m = unitSum[panel.unit[i]!]! / unitCount[panel.unit[i]!]!;
      x[i]! -= m;
      if (Math.abs(m) > change) change = Math.abs(m);
    }
    periodSum.fill(0);
    for (let i = 0; i < n; i++) periodSum[panel.period[i]!]! += x[i]!;
    for (let i = 0; i < n; i++) {
      const m = periodSum[panel.period[i]!]! / periodCount[panel.period[i]!]!;
      x[i]! -= m;
      if (Math.abs(m) > change) change = Math.abs(m);
    }
    // In a balanced panel one pass is exact; otherwise the means shrink geometrically.
    if (change / scale < tolerance) return { iterations, change: change / scale, converged: true };
  }
  throw new ConvergenceError({ iterations, change: change / scale, converged: false });
}

const shapes = new WeakMap<
  Int32Array,
  { unitCount: Float64Array; periodCount: Float64Array; balanced: boolean }
>();

/**
 * Rows per unit and per period, and whether every unit appears in every period exactly once: computed
 * once per panel (keyed by its unit array), not once per demeaned column.
 */
function shape(panel: Panel) {
  const known = shapes.get(panel.unit);
  if (known) return known;
  const n = panel.y.length;
  const unitCount = new Float64Array(panel.units);
  const periodCount = new Float64Array(panel.periods);
  for (let i = 0; i < n; i++) {
    unitCount[panel.unit[i]!]!++;
    periodCount[panel.period[i]!]!++;
  }
  let balanced = n === panel.units * panel.periods;
  if (balanced)
    balanced = unitCount.every((c) => c === panel.periods) && periodCount.every((c) => c === panel.units);
  if (balanced) {
    const seen = new Uint8Array(panel.units * panel.periods);
    for (let i = 0; i < n && balanced; i++) {
      const cell = panel.unit[i]! * panel.periods + panel.period[i]!;
      if (seen[cell]) balanced = false;
      seen[cell] = 1;
    }
  }
  const result = { unitCount, periodCount, balanced };
  shapes.set(panel.unit, result);
  return result;
}

export interface Regression {
  coefficients: number[];
  /** Cluster-robust (CR1) variance matrix, row-major k×k. */
  vcov: number[];
  se: number[];
  n: number;
  clusters: number;
  /**
   * The small-sample correction's K, as fixest's default counts it (the regressors, 1, and levels − 1 of
   * every fixed effect not nested in the clusters), or as estimatr does (`smallSample`).
   */
  dfK: number;
  demeaning: DemeanReport[];
}

/**
 * OLS of `y` on the regressor columns `xs` with unit and period fixed effects, and CR1 cluster-robust
 * standard errors: V = G/(G−1) · (N−1)/(N−K) · (X'X)⁻¹ (Σ_g X_g'u_g u_g'X_g) (X'X)⁻¹ on the demeaned
 * data, where K counts the regressors, 1 and the period effects (T−1); unit effects nested in the
 * clusters are not counted (fixest's `fixef.K = "nested"`). Inputs are not modified.
 */
export function twfe(panel: Panel, xs: Float64Array[], options: RegressionOptions = {}): Regression {
  const n = panel.y.length;
  const k = xs.length;
  const y = Float64Array.from(panel.y);
  const demeaning = [demean(panel, y, options)];
  // X̃'X̃ = X'X̃ and X̃'ỹ = X'ỹ (the projection is symmetric and idempotent), so a sparse raw column, such
  // as an event-time indicator, needs only its nonzero rows. Demeaned columns are made one at a time in
  // one buffer, never all at once: forty copies of a 651k-row panel were most of the time (allocation).
  const nonzero = xs.map((raw) => {
    const rows: number[] = [];
    for (let i = 0; i < n && rows.length < n / 4; i++) if (raw[i] !== 0) rows.push(i);
    return rows.length < n / 4 ? Int32Array.from(rows) : null;
  });
  const dot = (a: number, dense: Float64Array) => {
    const raw = xs[a]!;
    const rows = nonzero[a];
    let s = 0;
    if (rows) for (const i of rows) s += raw[i]! * dense[i]!;
    else for (let i = 0; i < n; i++) s += raw[i]! * dense[i]!;
    return s;
  };
  const buffer = new Float64Array(n);
  const demeaned = (b: number) => {
    buffer.set(xs[b]!);
    return demean(panel, buffer, options);
  };
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  for (let b = 0; b < k; b++) {
    demeaning.push(demeaned(b));
    for (let a = 0; a <= b; a++) {
      const v = dot(a, buffer);
      xtx[a * k + b] = v;
      xtx[b * k + a] = v;
    }
    xty[b] = dot(b, y);
  }
  const bread = invertSpd(xtx, k);
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += bread[a * k + b]! * xty[b]!;
    beta[a] = s;
  }
  // The residual ỹ − X̃β is the demeaned y − Xβ: one more demeaning instead of k dense columns.
  const residual = Float64Array.from(panel.y);
  for (let a = 0; a < k; a++) {
    const raw = xs[a]!;
    const ba = beta[a]!;
    const rows = nonzero[a];
    if (rows) for (const i of rows) residual[i]! -= ba * raw[i]!;
    else for (let i = 0; i < n; i++) residual[i]! -= ba * raw[i]!;
  }
  demean(panel, residual, options);
  // Score sums by cluster: s_g = Σ_{i∈g} x̃_i u_i.
  const cluster = panel.cluster ?? panel.unit;
  let groups = 0;
  for (let i = 0; i < n; i++) groups = Math.max(groups, cluster[i]! + 1);
  const scores = new Float64Array(groups * k);
  for (let a = 0; a < k; a++) {
    demeaned(a);
    for (let i = 0; i < n; i++) scores[cluster[i]! * k + a]! += buffer[i]! * residual[i]!;
  }
  const meat = new Float64Array(k * k);
  for (let g = 0; g < groups; g++) {
    for (let a = 0; a < k; a++) {
      const sa = scores[g * k + a]!;
      for (let b = 0; b < k; b++) meat[a * k + b]! += sa * scores[g * k + b]!;
    }
  }
  const G = new Set(cluster).size;
  // fixest's ssc(fixef.K = "nested"): the regressors, one for the constant the fixed effects absorb, and
  // levels − 1 of each fixed effect not nested in the clusters (periods always; units only when they cross
  // clusters). fixest documents its own example: x | fe1 + fe2 clustered by fe1 gives K = 1 + levels(fe2).
  // estimatr counts every unit and period level but one instead (`smallSample: 'estimatr'`).
  const dfK =
    options.smallSample === 'estimatr'
      ? k + panel.units + panel.periods - 1
      : k + 1 + (panel.periods - 1) + (panel.cluster && !nested(panel) ? panel.units - 1 : 0);
  const factor = (G / (G - 1)) * ((n - 1) / (n - dfK));
  const vcov = sandwich(bread, meat, k).map((v) => v * factor);
  return {
    coefficients: [...beta],
    vcov,
    se: Array.from({ length: k }, (_, a) => Math.sqrt(vcov[a * k + a]!)),
    n,
    clusters: G,
    dfK,
    demeaning,
  };
}

/** Whether every unit lies within one cluster (units nested in clusters, as by-state clustering is). */
function nested(panel: Panel): boolean {
  const of = new Int32Array(panel.units).fill(-1);
  for (let i = 0; i < panel.y.length; i++) {
    const u = panel.unit[i]!;
    const c = panel.cluster![i]!;
    if (of[u] === -1) of[u] = c;
    else if (of[u] !== c) return false;
  }
  return true;
}

function sandwich(bread: Float64Array, meat: Float64Array, k: number): number[] {
  const left = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += bread[i * k + p]! * meat[p * k + j]!;
      left[i * k + j] = s;
    }
  const out: number[] = new Array<number>(k * k).fill(0);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += left[i * k + p]! * bread[p * k + j]!;
      out[i * k + j] = s;
    }
  return out;
}

export interface EventStudyOptions extends RegressionOptions {
  /** Relative periods kept as their own coefficient; outside them, the endpoints are binned. */
  leads: number;
  lags: number;
  /** The omitted relative period (default −1). */
  reference?: number;
}

export interface PretrendTest {
  statistic: number;
  df: number;
  p: number;
  f?: { statistic: number; df1: number; df2: number; p: number };
}

export interface EventStudy extends Regression {
  /** The relative period of each coefficient; the first and last are bins (≤ −leads, ≥ lags). */
  relative: number[];
  /** Relative periods without a single treated observation: no coefficient. */
  omitted: number[];
  reference: number;
  /**
   * Joint Wald test that the pre-period coefficients (relative < 0, bar the reference) are zero: `statistic`
   * is the Wald χ² W with `df` = q and its χ² p-value `p`; `f` is the same test as F = W / q with q and
   * G − 1 degrees of freedom, as fixest reports it for clustered errors (the one Marco's warnings use).
   */
  pretrend: PretrendTest;
}

/**
 * A TWFE event study: for a unit first treated in period `treatment[unit]` (−1: never treated), indicators
 * of relative period `t − first`, binned at −leads and +lags, the reference period omitted. Given each
 * unit's list of event periods instead (repeated events), each indicator counts the unit's events at that
 * relative period (Schmidheiny and Siegloch 2023); events outside the panel enter through the bins.
 */
export function eventStudy(
  panel: Panel,
  treatment: Int32Array | readonly (readonly number[])[],
  o: EventStudyOptions,
): EventStudy {
  const reference = o.reference ?? -1;
  const wanted: number[] = [];
  for (let r = -o.leads; r <= o.lags; r++) if (r !== reference) wanted.push(r);
  const n = panel.y.length;
  const all = wanted.map(() => new Float64Array(n));
  const index = new Map(wanted.map((r, i) => [r, i]));
  const add = (i: number, f: number) => {
    const r = Math.min(o.lags, Math.max(-o.leads, panel.period[i]! - f));
    const c = index.get(r);
    if (c !== undefined) all[c]![i]! += 1;
  };
  if (treatment instanceof Int32Array)
    for (let i = 0; i < n; i++) {
      const f = treatment[panel.unit[i]!]!;
      if (f >= 0) add(i, f);
    }
  else for (let i = 0; i < n; i++) for (const f of treatment[panel.unit[i]!]!) add(i, f);
  // A relative period no treated unit is observed in has no coefficient: it is left out and reported.
  const observed = all.map((c) => c.some((v) => v !== 0));
  const relative = wanted.filter((_, i) => observed[i]);
  const omitted = wanted.filter((_, i) => !observed[i]);
  const columns = all.filter((_, i) => observed[i]);
  let fit: Regression;
  try {
    fit = twfe(panel, columns, o);
  } catch (error) {
    if (error instanceof SingularError) throw new SingularError(error.column, relative[error.column]);
    throw error;
  }
  const pre = relative.map((r, i) => [r, i] as const).filter(([r]) => r < 0);
  const q = pre.length;
  let statistic = 0;
  if (q > 0) {
    const k = relative.length;
    const sub = new Float64Array(q * q);
    pre.forEach(([, a], i) => pre.forEach(([, b], j) => (sub[i * q + j] = fit.vcov[a * k + b]!)));
    const inv = invertSpd(sub, q);
    const b = pre.map(([, a]) => fit.coefficients[a]!);
    for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) statistic += b[i]! * inv[i * q + j]! * b[j]!;
  }
  return {
    ...fit,
    relative,
    omitted,
    reference,
    pretrend: {
      statistic,
      df: q,
      p: q ? chiSquareP(statistic, q) : 1,
      ...(q && fit.clusters > 1
        ? {
            f: {
              statistic: statistic / q,
              df1: q,
              df2: fit.clusters - 1,
              p: fUpperP(statistic / q, q, fit.clusters - 1),
            },
          }
        : {}),
    },
  };
}
