/**
 * Nelder–Mead minimisation as R's `optim(method = "Nelder-Mead")` does it (`nmmin` in R's
 * `src/appl/optim.c`, after Nash, Compact Numerical Methods for Computers, 1990, algorithm 19): the same
 * starting simplex, reflection (1), contraction (0.5) and expansion (2) factors, the same relative
 * tolerance on the spread of the simplex's values, and the same count of function evaluations, so that it
 * visits the points R visits. The R package `Synth` chooses its predictor weights with it.
 * @module
 */

export interface NelderMeadOptions {
  /** Stop when the simplex's values differ by less than this relative amount (R: `reltol`). */
  reltol?: number;
  /** Function evaluations allowed (R: `maxit`). */
  maxit?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  /** Function evaluations made. */
  evaluations: number;
  /** 0: converged; 1: `maxit` reached; 10: the simplex stopped shrinking (R's `convergence` codes). */
  code: 0 | 1 | 10;
}

const BIG = 1e35;

/** Minimises `f` from `start`; see the module documentation. */
export function nelderMead(
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const intol = options.reltol ?? Math.sqrt(Number.EPSILON);
  const maxit = options.maxit ?? 500;
  const n = start.length;
  const alpha = 1;
  const beta = 0.5;
  const gamma = 2;
  const value = (x: Float64Array) => {
    const v = f(x);
    return Number.isFinite(v) ? v : BIG;
  };
  // P: n + 1 columns (vertices) of n coordinates and their value; column C is the centroid.
  const n1 = n + 1;
  const vertex: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(n));
  const fv = new Float64Array(n1 + 1);
  const b = Float64Array.from(start);
  let f0 = f(b);
  if (!Number.isFinite(f0)) throw new RangeError('the function cannot be evaluated at the starting point');
  let evaluations = 1;
  const convtol = intol * (Math.abs(f0) + intol);
  vertex[0]!.set(b);
  fv[0] = f0;
  let low = 0;
  let size = 0;
  let step = 0;
  for (let i = 0; i < n; i++) step = Math.max(step, 0.1 * Math.abs(b[i]!));
  if (step === 0) step = 0.1;
  for (let j = 1; j < n1; j++) {
    vertex[j]!.set(b);
    let trystep = step;
    while (vertex[j]![j - 1] === b[j - 1]) {
      vertex[j]![j - 1] = b[j - 1]! + trystep;
      trystep *= 10;
    }
    size += trystep;
  }
  let oldsize = size;
  let calcvert = true;
  let code: 0 | 1 | 10 = 0;
  const centroid = vertex[n1]!;
  do {
    if (calcvert) {
      for (let j = 0; j < n1; j++)
        if (j !== low) {
          fv[j] = value(vertex[j]!);
          evaluations++;
        }
      calcvert = false;
    }
    let vl = fv[low]!;
    let vh = vl;
    let high = low;
    for (let j = 0; j < n1; j++)
      if (j !== low) {
        const v = fv[j]!;
        if (v < vl) [low, vl] = [j, v];
        if (v > vh) [high, vh] = [j, v];
      }
    if (vh <= vl + convtol) break;
    for (let i = 0; i < n; i++) {
      let s = -vertex[high]![i]!;
      for (let j = 0; j < n1; j++) s += vertex[j]![i]!;
      centroid[i] = s / n;
    }
    for (let i = 0; i < n; i++) b[i] = (1 + alpha) * centroid[i]! - alpha * vertex[high]![i]!;
    f0 = value(b);
    evaluations++;
    const vr = f0;
    if (vr < vl) {
      // Reflection beat the best: try expanding.
      fv[n1] = f0;
      for (let i = 0; i < n; i++) {
        const e = gamma * b[i]! + (1 - gamma) * centroid[i]!;
        centroid[i] = b[i]!;
        b[i] = e;
      }
      f0 = value(b);
      evaluations++;
      if (f0 < vr) {
        vertex[high]!.set(b);
        fv[high] = f0;
      } else {
        vertex[high]!.set(centroid);
        fv[high] = vr;
      }
    } else {
      if (vr < vh) {
        vertex[high]!.set(b);
        fv[high] = vr;
      }
      for (let i = 0; i < n; i++) b[i] = (1 - beta) * vertex[high]![i]! + beta * centroid[i]!;
      f0 = value(b);
      evaluations++;
      if (f0 < fv[high]!) {
        vertex[high]!.set(b);
        fv[high] = f0;
      } else if (vr >= vh) {
        // Shrink towards the best vertex.
        calcvert = true;
        size = 0;
        for (let j = 0; j < n1; j++)
          if (j !== low)
            for (let i = 0; i < n; i++) {
              vertex[j]![i] = beta * (vertex[j]![i]! - vertex[low]![i]!) + vertex[low]![i]!;
              size += Math.abs(vertex[j]![i]! - vertex[low]![i]!);
            }
        if (size < oldsize) oldsize = size;
        else {
          code = 10;
          break;
        }
      }
    }
  } while (evaluations <= maxit);
  if (evaluations > maxit) code = 1;
  return { x: Float64Array.from(vertex[low]!), value: fv[low]!, evaluations, code };
}
