/**
 * Least squares over the simplex, solved exactly by an active-set method: the inner problem of synthetic
 * control (Abadie, Diamond and Hainmueller 2010), where the treated unit's predictors `b` (k values) are
 * approached by a convex combination of the donors' predictors `A` (k × J):
 *
 *   minimise over w ≥ 0 with Σ w = 1   |A w − b|²
 *
 * (the predictor weights V are folded into A and b by the caller, each row times √v). The method is
 * Lawson and Hanson's for non-negative least squares (1974, chapter 23) with the sum-to-one constraint
 * kept exactly on every face: it adds the donor whose gradient most undercuts the face's, solves the
 * equality-constrained least squares on the face, and steps back to the boundary when a weight would go
 * negative. A solution uses at most k + 1 donors (Carathéodory), so each face's system is small and a fit
 * over 2,400 donors takes a few gradient sweeps of O(kJ) each. The R package `Synth` solves the same
 * problem with an interior-point method (`kernlab::ipop`); an exact method gives the same weights to the
 * solver's precision and no tolerance to tune. When several weight vectors fit equally well (the treated
 * unit's predictors inside the donors' hull, with fewer predictors than donors), this one returns a
 * solution with at most k + 1 donors.
 * @module
 */

export interface SimplexFit {
  /** Weights over the J columns (non-negative, sum 1). */
  weights: Float64Array;
  /** |A w − b|² at the weights. */
  loss: number;
  /** Faces visited. */
  steps: number;
  /** Whether the optimality conditions hold (no donor would lower the loss); false at the step limit. */
  converged: boolean;
}

/** A k × J matrix, row-major (one row per predictor). */
export interface Predictors {
  k: number;
  j: number;
  a: Float64Array;
}

/**
 * Solves the square system `m x = r` (n × n, row-major; both overwritten) by Gaussian elimination with
 * partial pivoting; a pivot below `tiny` is taken as zero (its unknown set to 0).
 */
function solveInPlace(m: Float64Array, r: Float64Array, n: number, tiny: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i * n + c]!) > Math.abs(m[p * n + c]!)) p = i;
    if (p !== c) {
      for (let k = 0; k < n; k++) [m[c * n + k], m[p * n + k]] = [m[p * n + k]!, m[c * n + k]!];
      [r[c], r[p]] = [r[p]!, r[c]!];
    }
    const pivot = m[c * n + c]!;
    if (Math.abs(pivot) <= tiny) continue;
    for (let i = c + 1; i < n; i++) {
      const f = m[i * n + c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[i * n + k]! -= f * m[c * n + k]!;
      r[i]! -= f * r[c]!;
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const pivot = m[i * n + i]!;
    if (Math.abs(pivot) <= tiny) continue;
    let s = r[i]!;
    for (let k = i + 1; k < n; k++) s -= m[i * n + k]! * x[k]!;
    x[i] = s / pivot;
  }
  return x;
}

/**
 * The least squares of `b` on the columns `face` of `a` with weights summing to one, through the bordered
 * normal equations [A'A 1; 1' 0] [z; ν] = [A'b; 1]. A tiny ridge keeps the system solvable when the face's
 * columns are collinear.
 */
function faceSolve(p: Predictors, b: Float64Array, face: number[]): Float64Array {
  const n = face.length;
  const size = n + 1;
  const m = new Float64Array(size * size);
  const r = new Float64Array(size);
  let trace = 0;
  for (let x = 0; x < n; x++) {
    for (let y = x; y < n; y++) {
      let s = 0;
      for (let row = 0; row < p.k; row++) s += p.a[row * p.j + face[x]!]! * p.a[row * p.j + face[y]!]!;
      m[x * size + y] = m[y * size + x] = s;
    }
    trace += m[x * size + x]!;
    let s = 0;
    for (let row = 0; row < p.k; row++) s += p.a[row * p.j + face[x]!]! * b[row]!;
    r[x] = s;
    m[x * size + n] = m[n * size + x] = 1;
  }
  r[n] = 1;
  const ridge = (1e-13 * trace) / n;
  for (let x = 0; x < n; x++) m[x * size + x]! += ridge;
  return solveInPlace(m, r, size, 1e-300).subarray(0, n);
}

/**
 * See the module documentation. `maxSteps` bounds the faces visited (default 20 (k + 1) + 100). `start`,
 * a face (donors) to begin on, saves most steps when a nearby problem's solution is known (the nested
 * search solves one for each V it tries): when its own fit puts every weight above zero the method starts
 * there, else at the donor nearest the target.
 */
export function simplexLeastSquares(
  p: Predictors,
  b: Float64Array,
  maxSteps?: number,
  start?: readonly number[],
): SimplexFit & { face: number[] } {
  const { k, j, a } = p;
  const limit = maxSteps ?? 20 * (k + 1) + 100;
  const w = new Float64Array(j);
  const residual = new Float64Array(k);
  const gradient = new Float64Array(j);
  // The scale of the problem, for the optimality tolerance.
  let scale = 0;
  for (let row = 0; row < k; row++) {
    let norm = 0;
    for (let c = 0; c < j; c++) norm = Math.max(norm, Math.abs(a[row * j + c]!));
    scale += norm * norm;
  }
  for (let row = 0; row < k; row++) scale = Math.max(scale, b[row]! ** 2 * k);
  const tolerance = 1e-11 * Math.max(scale, 1e-300);
  let face: number[] = [];
  const inFace = new Uint8Array(j);
  if (start && start.length > 0 && start.length <= k + 1) {
    const z = faceSolve(p, b, [...start]);
    if (z.every((v) => v > 0)) {
      face = [...start];
      face.forEach((c, i) => (w[c] = z[i]!));
    }
  }
  if (face.length === 0) {
    // Start at the donor nearest the target.
    let best = 0;
    let bestLoss = Infinity;
    for (let c = 0; c < j; c++) {
      let loss = 0;
      for (let row = 0; row < k; row++) loss += (a[row * j + c]! - b[row]!) ** 2;
      if (loss < bestLoss) [best, bestLoss] = [c, loss];
    }
    w[best] = 1;
    face = [best];
  }
  for (const c of face) inFace[c] = 1;
  let steps = 0;
  let converged = false;
  let stalled = false;
  while (steps < limit) {
    // The gradient A'(Aw − b) of every donor.
    residual.fill(0);
    for (const c of face) for (let row = 0; row < k; row++) residual[row]! += a[row * j + c]! * w[c]!;
    for (let row = 0; row < k; row++) residual[row]! -= b[row]!;
    gradient.fill(0);
    for (let row = 0; row < k; row++) {
      const rv = residual[row]!;
      if (rv === 0) continue;
      const offset = row * j;
      for (let c = 0; c < j; c++) gradient[c]! += a[offset + c]! * rv;
    }
    let level = 0;
    for (const c of face) level += gradient[c]!;
    level /= face.length;
    // The donor that lowers the loss most along the simplex, if any.
    let enter = -1;
    let lowest = -tolerance;
    for (let c = 0; c < j; c++)
      if (!inFace[c] && gradient[c]! - level < lowest) [enter, lowest] = [c, gradient[c]! - level];
    if (enter < 0) {
      converged = true;
      break;
    }
    face.push(enter);
    inFace[enter] = 1;
    // Solve on the face; step back to its boundary while a weight would turn negative.
    for (;;) {
      steps++;
      const z = faceSolve(p, b, face);
      let alpha = 1;
      let leaving = -1;
      face.forEach((c, i) => {
        if (z[i]! <= 0) {
          // A weight already at zero (the donor just entered) cannot move at all.
          const ratio = w[c]! === 0 ? 0 : w[c]! / (w[c]! - z[i]!);
          if (ratio < alpha) [alpha, leaving] = [ratio, i];
        }
      });
      // The donor that entered cannot take a weight although its gradient said it would lower the loss:
      // rounding stalls the method here, and the optimality conditions are not shown to hold.
      if (alpha === 0 && face[leaving] === enter) {
        face.pop();
        inFace[enter] = 0;
        stalled = true;
        break;
      }
      face.forEach((c, i) => (w[c] = w[c]! + alpha * (z[i]! - w[c]!)));
      if (leaving < 0) break;
      w[face[leaving]!] = 0;
      const kept = face.filter((c) => w[c]! > 0);
      for (const c of face) if (w[c]! <= 0) [inFace[c], w[c]] = [0, 0];
      face = kept;
      if (face.length === 0 || steps >= limit) break;
    }
    if (stalled || face.length === 0) break;
  }
  // Renormalise away rounding, and report the loss at the weights returned.
  let total = 0;
  for (const c of face) total += w[c]!;
  for (const c of face) w[c] = w[c]! / total;
  let loss = 0;
  for (let row = 0; row < k; row++) {
    let s = -b[row]!;
    for (const c of face) s += a[row * j + c]! * w[c]!;
    loss += s * s;
  }
  return { weights: w, loss, steps, converged, face };
}
