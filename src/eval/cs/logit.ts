/**
 * Logistic regression by Newton–Raphson (what R's `glm(family = binomial)` fits by iteratively reweighted
 * least squares), for the propensity score of the doubly robust estimator. Iterates until no coefficient
 * moves by more than 1e-12 of its scale, which is tighter than glm's deviance test, so that two runs of
 * the same data agree to the last digits. A fit that does not settle in 100 steps is reported, never kept:
 * as separated when some unit's probability has run to 0 or 1 (the treated are separable by the
 * covariates: the maximum likelihood does not exist), else as unconverged.
 * @module
 */
import { invertSpd, SingularError } from '../linalg.js';

export interface LogitFit {
  /** Coefficients, intercept first when the first column is ones. */
  beta: Float64Array;
  /** Fitted probabilities. */
  p: Float64Array;
  /** (X' W X)^-1 at the optimum, W = p(1 − p): R's `vcov()` of the fit. */
  covariance: Float64Array;
  iterations: number;
}

/** Why a propensity score could not be fitted. */
export type LogitFailure = 'separated' | 'unconverged' | 'singular' | 'overlap';

export class LogitError extends Error {
  constructor(readonly reason: LogitFailure) {
    super(`logistic regression failed: ${reason}`);
  }
}

const MAX_ITERATIONS = 100;

/**
 * Fits P(d = 1 | x) = 1 / (1 + exp(−x'β)) on `n` rows of `k` columns (row-major). Throws a
 * {@link LogitError} when the maximum likelihood does not exist or is not reached.
 */
export function logit(x: Float64Array, d: ArrayLike<number>, n: number, k: number): LogitFit {
  const beta = new Float64Array(k);
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    const { hessian, score, smallest } = newtonTerms(x, d, beta, n, k);
    let covariance: Float64Array;
    try {
      covariance = invertSpd(hessian, k);
    } catch (error) {
      if (!(error instanceof SingularError)) throw error;
      // Probabilities at 0 or 1 leave no curvature: the fit is running away (separation).
      throw new LogitError(smallest < 1e-12 ? 'separated' : 'singular');
    }
    let moved = 0;
    let scale = 0;
    for (let a = 0; a < k; a++) {
      let step = 0;
      for (let b = 0; b < k; b++) step += covariance[a * k + b]! * score[b]!;
      beta[a]! += step;
      moved = Math.max(moved, Math.abs(step));
      scale = Math.max(scale, Math.abs(beta[a]!));
    }
    if (!beta.every(Number.isFinite)) throw new LogitError('separated');
    if (moved <= 1e-12 * Math.max(1, scale)) {
      // The probabilities and the covariance at the coefficients reached.
      const at = newtonTerms(x, d, beta, n, k);
      try {
        return { beta, p: at.p, covariance: invertSpd(at.hessian, k), iterations: iteration };
      } catch (error) {
        if (error instanceof SingularError) throw new LogitError('separated');
        throw error;
      }
    }
  }
  // Under separation the likelihood has no maximum: the coefficients grow without end and never settle.
  // It shows in the fitted index, not in the coefficients (nearly collinear covariates have large ones of
  // opposite signs): a unit at |x'β| > 30 has a probability within e^-30 of 0 or 1. A fit that settles
  // is kept, whatever its index (a far outlier may legitimately sit there).
  throw new LogitError(largestIndex(x, beta, n, k) > 30 ? 'separated' : 'unconverged');
}

/** At `beta`: the fitted probabilities, X' W X (W = p(1 − p)), the score X'(d − p) and the smallest weight. */
function newtonTerms(x: Float64Array, d: ArrayLike<number>, beta: Float64Array, n: number, k: number) {
  const p = new Float64Array(n);
  const hessian = new Float64Array(k * k);
  const score = new Float64Array(k);
  let smallest = 1;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let eta = 0;
    for (let a = 0; a < k; a++) eta += x[row + a]! * beta[a]!;
    const pi = 1 / (1 + Math.exp(-eta));
    p[i] = pi;
    const w = pi * (1 - pi);
    smallest = Math.min(smallest, w);
    const r = d[i]! - pi;
    for (let a = 0; a < k; a++) {
      const xa = x[row + a]!;
      score[a]! += xa * r;
      for (let b = 0; b <= a; b++) hessian[a * k + b]! += w * xa * x[row + b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) hessian[b * k + a] = hessian[a * k + b]!;
  return { p, hessian, score, smallest };
}

/** The largest |x'β| over the rows. */
function largestIndex(x: Float64Array, beta: Float64Array, n: number, k: number): number {
  let largest = 0;
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let a = 0; a < k; a++) eta += x[i * k + a]! * beta[a]!;
    largest = Math.max(largest, Math.abs(eta));
  }
  return largest;
}
