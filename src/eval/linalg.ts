/**
 * Small dense linear algebra for the estimators: the regressors of an event study number a few dozen,
 * so their cross-products are small matrices, solved by Cholesky. Matrices are row-major Float64Arrays.
 * @module
 */
import { EXIT, MarcoError } from '../error.js';

/** A k×k symmetric positive-definite system's inverse, by Cholesky; throws when it is singular. */
export function invertSpd(a: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j]!;
      for (let p = 0; p < j; p++) sum -= l[i * k + p]! * l[j * k + p]!;
      if (i === j) {
        // Relative to the diagonal's scale, so that collinear regressors are caught whatever their units.
        if (!(sum > 1e-12 * Math.max(1, Math.abs(a[i * k + i]!)))) throw new SingularError(i);
        l[i * k + i] = Math.sqrt(sum);
      } else l[i * k + j] = sum / l[j * k + j]!;
    }
  }
  // inverse of L, then (L^-1)' L^-1
  const li = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    li[i * k + i] = 1 / l[i * k + i]!;
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let p = j; p < i; p++) sum -= l[i * k + p]! * li[p * k + j]!;
      li[i * k + j] = sum / l[i * k + i]!;
    }
  }
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let p = i; p < k; p++) sum += li[p * k + i]! * li[p * k + j]!;
      inv[i * k + j] = sum;
      inv[j * k + i] = sum;
    }
  return inv;
}

/** A regressor that is a linear combination of others (or has no variation left after demeaning). */
export class SingularError extends MarcoError {
  readonly code = 'singular';
  readonly status = 422;
  readonly exitCode = EXIT.invalid;
  constructor(
    readonly column: number,
    /** The event-study period whose indicator this column is, when it is one. */
    readonly relative?: number,
  ) {
    super(
      relative === undefined
        ? `regressor ${column} is collinear with the others or with the fixed effects`
        : `the indicator of relative period ${relative} is collinear with the others or with the fixed effects`,
    );
  }
}

/** Upper regularised incomplete gamma Q(a, x), for chi-square p-values (Numerical Recipes, §6.2). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnGammaA = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - lnGammaA);
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGammaA) * h;
}

/** log Γ(x), Lanczos approximation. */
export function lnGamma(x: number): number {
  const g = [
    676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = 0.99999999999980993;
  const t = x + 7.5;
  for (let i = 0; i < 8; i++) a += g[i]! / (x + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The p-value of a chi-square statistic with `df` degrees of freedom. */
export const chiSquareP = (stat: number, df: number) => gammaQ(df / 2, stat / 2);
