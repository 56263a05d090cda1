/**
 * The doubly robust difference-in-differences of Sant'Anna and Zhao (2020) for one 2×2 comparison of
 * panel data: a logistic propensity score and a linear regression of the outcome's change on the
 * covariates among the controls, combined so that the estimate is consistent when either model is right.
 * It is R's `DRDID::drdid_panel` (the estimator `did::att_gt` uses with `est_method = "dr"`), with its
 * trimming (a control whose propensity score reaches 0.995 gets no weight; scores are capped at 1 − 1e-6),
 * and its influence function, term by term. See docs/methods.md.
 * @module
 */
import { invertSpd } from '../linalg.js';
import { logit, LogitError } from './logit.js';

/** A control unit whose propensity score reaches this gets no weight (DRDID's `trim.level`). */
export const TRIM_LEVEL = 0.995;

export interface DoublyRobust {
  att: number;
  /** The influence function over the comparison's units, as DRDID returns it (mean zero, not scaled). */
  psi: Float64Array;
  /** Controls left out by the trimming. */
  trimmed: number;
}

/**
 * What a comparison's units and covariates fix, whatever the outcome: the capped propensity scores, the
 * weights, the controls' (X'X/n)^-1 and the score's covariance times n. Comparisons of the same units
 * (a cohort against never-treated controls on a balanced panel, in every period) share one.
 */
export interface Design {
  x: Float64Array;
  d: Uint8Array;
  n: number;
  k: number;
  p: Float64Array;
  wTreat: Float64Array;
  wCont: Float64Array;
  sumWTreat: number;
  sumWCont: number;
  trimmed: number;
  /** (X'X/n)^-1 over the controls. */
  xtxInverseN: Float64Array;
  /** (X'WX)^-1 · n at the capped scores, as DRDID computes it. */
  hessianN: Float64Array;
}

/**
 * The design of a comparison of `n` units: `d` 1 for the treated and 0 for the controls, `x` their
 * covariates (row-major, `k` columns, the first a column of ones). Throws {@link LogitError} when the
 * propensity score cannot be fitted or the trimming leaves no control, and SingularError when the
 * controls' covariates are collinear.
 */
export function design(d: Uint8Array, x: Float64Array, n: number, k: number): Design {
  const ps = logit(x, d, n, k);
  const xtx = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    if (d[i] === 1) continue;
    const row = i * k;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) xtx[a * k + b]! += x[row + a]! * x[row + b]!;
  }
  const xtxInverseN = invertSpd(xtx, k).map((v) => v * n);
  const p = new Float64Array(n);
  const wTreat = new Float64Array(n);
  const wCont = new Float64Array(n);
  let trimmed = 0;
  let sumWTreat = 0;
  let sumWCont = 0;
  for (let i = 0; i < n; i++) {
    const pi = Math.min(ps.p[i]!, 1 - 1e-6);
    p[i] = pi;
    if (d[i] === 1) wTreat[i] = 1;
    else if (pi < TRIM_LEVEL) wCont[i] = pi / (1 - pi);
    else trimmed++;
    sumWTreat += wTreat[i]!;
    sumWCont += wCont[i]!;
  }
  // Every control trimmed: none resembles the treated units, and the comparison has no control left.
  if (!(sumWCont > 0)) throw new LogitError('overlap');
  // The score's covariance at the capped scores, as DRDID computes it (the fit's own unless a score
  // reached the cap).
  const hessianN = cappedCovariance(x, p, n, k).map((v) => v * n);
  return { x, d, n, k, p, wTreat, wCont, sumWTreat, sumWCont, trimmed, xtxInverseN, hessianN };
}

/**
 * The doubly robust ATT of one 2×2 comparison and its influence function, from `dy`, the outcome's change
 * of each unit of the comparison's {@link design}.
 */
export function doublyRobust(dy: Float64Array, s: Design): DoublyRobust {
  const { x, d, n, k, p, wTreat, wCont, sumWTreat, sumWCont, xtxInverseN } = s;
  // Outcome regression: least squares of the change on the covariates, among the controls.
  const xty = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (d[i] === 1) continue;
    for (let a = 0; a < k; a++) xty[a]! += x[i * k + a]! * dy[i]!;
  }
  const coefficients = matVec(xtxInverseN, xty, k).map((v) => v / n);
  const residual = new Float64Array(n);
  let sumTreat = 0;
  let sumCont = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let fitted = 0;
    for (let a = 0; a < k; a++) fitted += x[row + a]! * coefficients[a]!;
    residual[i] = dy[i]! - fitted;
    sumTreat += wTreat[i]! * residual[i]!;
    sumCont += wCont[i]! * residual[i]!;
  }
  const etaTreat = sumTreat / sumWTreat;
  const etaCont = sumCont / sumWCont;
  const meanWTreat = sumWTreat / n;
  const meanWCont = sumWCont / n;

  // The outcome regression's linear representation, (1 − d) e x' (X'X/n)^-1 over the controls, and the
  // propensity score's, (d − p) x' vcov·n, each times a k-vector.
  const m1 = new Float64Array(k);
  const m2 = new Float64Array(k);
  const m3 = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    for (let a = 0; a < k; a++) {
      const xa = x[row + a]!;
      m1[a]! += (wTreat[i]! * xa) / n;
      m2[a]! += (wCont[i]! * (residual[i]! - etaCont) * xa) / n;
      m3[a]! += (wCont[i]! * xa) / n;
    }
  }
  // Each correction is a row times a k-vector: fold the matrices into the vectors once.
  const olsTreat = matVec(xtxInverseN, m1, k);
  const olsCont = matVec(xtxInverseN, m3, k);
  const psCont = matVec(s.hessianN, m2, k);
  const psi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let ols1 = 0;
    let ols3 = 0;
    let ps2 = 0;
    const ols = d[i] === 1 ? 0 : residual[i]!;
    const score = d[i]! - p[i]!;
    for (let a = 0; a < k; a++) {
      const xa = x[row + a]!;
      ols1 += ols * xa * olsTreat[a]!;
      ols3 += ols * xa * olsCont[a]!;
      ps2 += score * xa * psCont[a]!;
    }
    const infTreat = (wTreat[i]! * (residual[i]! - etaTreat) - ols1) / meanWTreat;
    const infCont = (wCont[i]! * (residual[i]! - etaCont) + ps2 - ols3) / meanWCont;
    psi[i] = infTreat - infCont;
  }
  return { att: etaTreat - etaCont, psi, trimmed: s.trimmed };
}

/** A symmetric k×k matrix times a vector. */
function matVec(m: Float64Array, v: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[a]! += m[a * k + b]! * v[b]!;
  return out;
}

/** (X'WX)^-1 with W = p(1 − p) at the capped scores `p`. */
function cappedCovariance(x: Float64Array, p: Float64Array, n: number, k: number): Float64Array {
  const m = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    const w = p[i]! * (1 - p[i]!);
    const row = i * k;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) m[a * k + b]! += w * x[row + a]! * x[row + b]!;
  }
  return invertSpd(m, k);
}
