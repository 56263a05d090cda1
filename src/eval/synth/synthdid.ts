/**
 * Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens and Wager 2021, American
 * Economic Review 111(12), algorithm 1), with its two special cases on the same footing: synthetic control
 * (unit weights only, no intercept, as the paper's SC column) and difference-in-differences (equal
 * weights). The defaults are the paper's and its R package's (`synthdid_estimate`, `sc_estimate`,
 * `did_estimate`): the noise level is the standard deviation of the controls' first differences before
 * treatment; unit weights are penalised by zeta = ((N1 T1)^(1/4)) times it, time weights by 1e-6 times it;
 * both are fitted by Frank–Wolfe for 100 steps, sparsified, then fitted again to convergence.
 *
 * The panel is balanced, units in rows with the N0 controls first and the treated after, periods in
 * columns with the T0 pre-treatment periods first: a block design, every treated unit treated from the
 * same period on.
 * @module
 */
import {
  fitOnGram,
  fullGram,
  gramOf,
  gramSubset,
  sparsify,
  type Fit,
  type Gram,
  type Matrix,
} from './frank-wolfe.js';

export type SynthMethod = 'sdid' | 'sc' | 'did';

export interface BlockPanel {
  /** Outcomes, N × T, row-major: controls first, then treated. */
  y: Float64Array;
  units: number;
  periods: number;
  /** Controls (the first N0 rows). */
  controls: number;
  /** Pre-treatment periods (the first T0 columns). */
  pre: number;
}

export interface SynthFitOptions {
  /** Unit weights to use as they are (placebo and jackknife replications of a fitted estimate). */
  omega?: Float64Array;
  /** Time weights to use as they are. */
  lambda?: Float64Array;
  /** Start the unit weights' fit here instead of at equal weights. */
  omegaStart?: Float64Array;
  lambdaStart?: Float64Array;
  /** The penalties, when they must stay those of another fit (placebo replications keep the original's). */
  zetaOmega?: number;
  zetaLambda?: number;
  minDecrease?: number;
  maxIter?: number;
  /** The unit weights' Gram, when it is already known (placebo replications take it from one of all controls). */
  omegaGram?: Gram;
  /** The time weights' Gram, when it is already known (placebo replications derive it: `timeGram`). */
  lambdaGram?: Gram;
}

export interface SynthEstimate {
  method: SynthMethod;
  estimate: number;
  /** Unit weights over the controls (sum 1). */
  omega: Float64Array;
  /** Time weights over the pre-treatment periods (sum 1; all zero for synthetic control). */
  lambda: Float64Array;
  noiseLevel: number;
  zetaOmega: number;
  zetaLambda: number;
  /** Whether each weight fit stopped because its objective stopped falling (not at the step limit). */
  converged: boolean;
  minDecrease: number;
  /** How each fitted set of weights ended (absent for weights given or fixed by the method). */
  fits: { omega?: FitSummary; lambda?: FitSummary };
}

export interface FitSummary {
  steps: number;
  objective: number;
  /** The duality gap: the objective is at most this far above its minimum. */
  gap: number;
  converged: boolean;
}

const summary = (fit: Fit): FitSummary => ({
  steps: fit.steps,
  objective: fit.objective,
  gap: fit.gap,
  converged: fit.converged,
});

const row = (p: BlockPanel, i: number, t: number) => p.y[i * p.periods + t]!;

/** The standard deviation (n − 1) of the controls' period-to-period changes before treatment. */
export function noiseLevel(p: BlockPanel): number {
  const diffs: number[] = [];
  for (let i = 0; i < p.controls; i++)
    for (let t = 1; t < p.pre; t++) diffs.push(row(p, i, t) - row(p, i, t - 1));
  const mean = diffs.reduce((a, v) => a + v, 0) / diffs.length;
  const ss = diffs.reduce((a, v) => a + (v - mean) ** 2, 0);
  return Math.sqrt(ss / (diffs.length - 1));
}

/**
 * The panel collapsed to (N0 + 1) × (T0 + 1): the controls' pre-treatment outcomes, each control's mean
 * after treatment as the last column, and the treated units' mean as the last row.
 */
function collapsed(p: BlockPanel): Matrix {
  const n0 = p.controls;
  const t0 = p.pre;
  const n1 = p.units - n0;
  const t1 = p.periods - t0;
  const cols = t0 + 1;
  const data = new Float64Array((n0 + 1) * cols);
  for (let i = 0; i < p.units; i++) {
    const r = Math.min(i, n0);
    const share = i < n0 ? 1 : 1 / n1;
    for (let t = 0; t < p.periods; t++) {
      const c = Math.min(t, t0);
      const w = share * (t < t0 ? 1 : 1 / t1);
      data[r * cols + c] = data[r * cols + c]! + w * row(p, i, t);
    }
  }
  return { rows: n0 + 1, cols, data };
}

/** The first `rows` rows of `m`. */
const topRows = (m: Matrix, rows: number): Matrix => ({
  rows,
  cols: m.cols,
  data: m.data.subarray(0, rows * m.cols),
});

/** `m` without its last column, transposed. */
function transposedPre(m: Matrix): Matrix {
  const rows = m.cols - 1;
  const cols = m.rows;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < m.rows; r++)
    for (let c = 0; c < rows; c++) data[c * cols + r] = m.data[r * m.cols + c]!;
  return { rows, cols, data };
}

/** Fits, sparsifies and fits again, as `synthdid_estimate` does for each set of weights it updates. */
function weightsOf(
  gram: Gram,
  zeta: number,
  start: Float64Array | undefined,
  minDecrease: number,
  maxIter: number,
): Fit {
  const first = fitOnGram(gram, { zeta, minDecrease, maxIter: 100, ...(start ? { start } : {}) });
  return fitOnGram(gram, { zeta, minDecrease, maxIter, start: sparsify(first.weights) });
}

/**
 * The Gram of every unit's pre-treatment path against every other (controls, then the treated units'
 * mean last), centred by unit for synthetic DiD: what a unit-weight fit of any split of the controls
 * reads from (`gramSubset`).
 */
export function unitGram(p: BlockPanel, method: SynthMethod): Float64Array {
  return fullGram(transposedPre(collapsed(p)), method === 'sdid');
}

/**
 * The time weights' fit for every split of the controls, from one pass over them: each control's
 * pre-treatment path and post-treatment mean (a row of T0 + 1), shifted by the mean of all controls, and
 * the sum of their outer products. `timeGram` takes out the pretend-treated rows: O(T0² N1) for a
 * replication instead of O(T0² N0). The shift keeps the subtraction exact enough: the rows are centred
 * to within the few rows taken out.
 */
export interface TimeMoments {
  size: number;
  /** The shifted rows, N0 × (T0 + 1). */
  rows: Float64Array;
  /** Σ of their outer products, (T0 + 1)². */
  outer: Float64Array;
  controls: number;
}

export function timeMoments(p: BlockPanel): TimeMoments {
  const m = topRows(collapsed(p), p.controls);
  const size = m.cols;
  const mean = new Float64Array(size);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < size; c++) mean[c]! += m.data[r * size + c]! / m.rows;
  const rows = new Float64Array(m.rows * size);
  for (let r = 0; r < m.rows; r++)
    for (let c = 0; c < size; c++) rows[r * size + c] = m.data[r * size + c]! - mean[c]!;
  const outer = new Float64Array(size * size);
  for (let r = 0; r < m.rows; r++) {
    const o = r * size;
    for (let a = 0; a < size; a++) {
      const va = rows[o + a]!;
      if (va === 0) continue;
      const oa = a * size;
      for (let b = a; b < size; b++) outer[oa + b]! += va * rows[o + b]!;
    }
  }
  for (let a = 0; a < size; a++) for (let b = 0; b < a; b++) outer[a * size + b] = outer[b * size + a]!;
  return { size, rows, outer, controls: m.rows };
}

/** The time weights' Gram of the controls less `removed` (indices of the controls): see {@link TimeMoments}. */
export function timeGram(t: TimeMoments, removed: readonly number[]): Gram {
  const { size } = t;
  const g = Float64Array.from(t.outer);
  const sum = new Float64Array(size);
  for (const r of removed) {
    const o = r * size;
    for (let a = 0; a < size; a++) {
      const va = t.rows[o + a]!;
      sum[a]! -= va;
      for (let b = 0; b < size; b++) g[a * size + b]! -= va * t.rows[o + b]!;
    }
  }
  // Centred on the rows kept: the shifted rows kept sum to −Σ removed.
  const n = t.controls - removed.length;
  for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) g[a * size + b]! -= (sum[a]! * sum[b]!) / n;
  const k = size - 1;
  return gramSubset(
    g,
    size,
    n,
    Array.from({ length: k }, (_, i) => i),
    [k],
  );
}

/** τ = (−ω, 1/N1)' Y (−λ, 1/T1): the weighted double difference. */
export function doubleDifference(p: BlockPanel, omega: Float64Array, lambda: Float64Array): number {
  const n1 = p.units - p.controls;
  const t1 = p.periods - p.pre;
  let tau = 0;
  for (let i = 0; i < p.units; i++) {
    const wi = i < p.controls ? -omega[i]! : 1 / n1;
    if (wi === 0) continue;
    let s = 0;
    for (let t = 0; t < p.periods; t++) s += (t < p.pre ? -lambda[t]! : 1 / t1) * row(p, i, t);
    tau += wi * s;
  }
  return tau;
}

/** Estimates the effect on the treated by `method`. */
export function synthEstimate(
  p: BlockPanel,
  method: SynthMethod,
  options: SynthFitOptions = {},
): SynthEstimate {
  const n0 = p.controls;
  const t0 = p.pre;
  if (n0 < 1 || p.units - n0 < 1 || t0 < 1 || p.periods - t0 < 1)
    throw new RangeError('a block panel needs controls, treated units, and periods before and after');
  // Replications give the penalties and the stopping rule: the noise level is not needed.
  const given =
    options.zetaOmega !== undefined && options.zetaLambda !== undefined && options.minDecrease !== undefined;
  const noise = t0 > 1 && !given ? noiseLevel(p) : 0;
  const etaOmega = method === 'sc' ? 1e-6 : ((p.units - n0) * (p.periods - t0)) ** 0.25;
  const zetaOmega = options.zetaOmega ?? etaOmega * noise;
  const zetaLambda = options.zetaLambda ?? 1e-6 * noise;
  const minDecrease = options.minDecrease ?? 1e-5 * noise;
  const maxIter = options.maxIter ?? 10_000;
  let converged = true;
  const fits: SynthEstimate['fits'] = {};
  let lambda: Float64Array;
  let omega: Float64Array;
  const needsLambda = method === 'sdid' && !options.lambda && !options.lambdaGram;
  const needsOmega = method !== 'did' && !options.omega && !options.omegaGram;
  const y = needsLambda || needsOmega ? collapsed(p) : undefined;
  if (options.lambda) lambda = options.lambda;
  else if (method === 'did') lambda = new Float64Array(t0).fill(1 / t0);
  else if (method === 'sc') lambda = new Float64Array(t0);
  else {
    const gram = options.lambdaGram ?? gramOf(topRows(y!, n0), true);
    const fit = weightsOf(gram, zetaLambda, options.lambdaStart, minDecrease, maxIter);
    converged &&= fit.converged;
    fits.lambda = summary(fit);
    lambda = fit.weights;
  }
  if (options.omega) omega = options.omega;
  else if (method === 'did') omega = new Float64Array(n0).fill(1 / n0);
  else {
    const gram = options.omegaGram ?? gramOf(transposedPre(y!), method === 'sdid');
    const fit = weightsOf(gram, zetaOmega, options.omegaStart, minDecrease, maxIter);
    converged &&= fit.converged;
    fits.omega = summary(fit);
    omega = fit.weights;
  }
  return {
    method,
    estimate: doubleDifference(p, omega, lambda),
    omega,
    lambda,
    noiseLevel: noise,
    zetaOmega,
    zetaLambda,
    converged,
    minDecrease,
    fits,
  };
}
