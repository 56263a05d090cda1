/**
 * The regularised simplex least squares that synthetic difference-in-differences fits its unit and time
 * weights with (Arkhangelsky, Athey, Hirshberg, Imbens and Wager 2021, section 4.1 and appendix), solved
 * by Frank–Wolfe with the steps, stopping rule and defaults of the authors' R package `synthdid`
 * (`sc.weight.fw`, `fw.step`):
 *
 *   minimise over w in the simplex   zeta² |w|² + |A w − b|² / R
 *
 * where `A` is R × K and `b` has R rows, both centred by column when `intercept` (which lets the fit
 * shift by a constant). The steps work on the Gram matrix A'A, A'b and b'b: each costs O(K), not O(RK),
 * and placebo replications reuse one Gram matrix of every control (`gramSubset`).
 * @module
 */

/** A dense R × C matrix, row-major. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * A'A, A'b and b'b of a fit with R rows: A'A is read from a larger Gram matrix `g` (`size` × `size`,
 * row-major), at rows and columns `index` (the K columns weighted), so that placebo replications take their
 * split of the controls without copying it.
 */
export interface Gram {
  k: number;
  rows: number;
  g: Float64Array;
  size: number;
  index: Int32Array;
  c: Float64Array;
  bb: number;
}

export interface FitOptions {
  /** The ridge penalty's scale (zeta). */
  zeta: number;
  /** Where to start (default: equal weights). */
  start?: Float64Array;
  /** Stop when the objective falls by less than this squared, from one step to the next. */
  minDecrease: number;
  maxIter: number;
}

export interface Fit {
  weights: Float64Array;
  /** Frank–Wolfe steps taken. */
  steps: number;
  /** Whether it stopped because the objective stopped falling, not at `maxIter`. */
  converged: boolean;
  /** The objective at the weights returned. */
  objective: number;
  /** The Frank–Wolfe duality gap there: the objective is at most this far above its minimum. */
  gap: number;
}

/** The columns of `m`, centred when `intercept`. */
function columnsOf(m: Matrix, intercept: boolean): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let c = 0; c < m.cols; c++) {
    const col = new Float64Array(m.rows);
    let mean = 0;
    for (let r = 0; r < m.rows; r++) mean += col[r] = m.data[r * m.cols + c]!;
    mean /= m.rows;
    if (intercept) for (let r = 0; r < m.rows; r++) col[r]! -= mean;
    cols.push(col);
  }
  return cols;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * The products of columns i..i+3 with columns j..j+3 (of length `r`, packed one after another in `a`),
 * into `g`: sixteen sums from one pass over the rows, eight values read for sixteen products.
 */
function block4(a: Float64Array, r: number, i: number, j: number, g: Float64Array, k: number): void {
  const [i0, i1, i2, i3] = [i * r, (i + 1) * r, (i + 2) * r, (i + 3) * r];
  const [j0, j1, j2, j3] = [j * r, (j + 1) * r, (j + 2) * r, (j + 3) * r];
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0; // prettier-ignore
  for (let t = 0; t < r; t++) {
    const a0 = a[i0 + t]!;
    const a1 = a[i1 + t]!;
    const a2 = a[i2 + t]!;
    const a3 = a[i3 + t]!;
    const b0 = a[j0 + t]!;
    const b1 = a[j1 + t]!;
    const b2 = a[j2 + t]!;
    const b3 = a[j3 + t]!;
    s00 += a0 * b0;
    s01 += a0 * b1;
    s02 += a0 * b2;
    s03 += a0 * b3; // prettier-ignore
    s10 += a1 * b0;
    s11 += a1 * b1;
    s12 += a1 * b2;
    s13 += a1 * b3; // prettier-ignore
    s20 += a2 * b0;
    s21 += a2 * b1;
    s22 += a2 * b2;
    s23 += a2 * b3; // prettier-ignore
    s30 += a3 * b0;
    s31 += a3 * b1;
    s32 += a3 * b2;
    s33 += a3 * b3; // prettier-ignore
  }
  const sums = [s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33];
  for (let x = 0; x < 4; x++)
    for (let y = 0; y < 4; y++) g[(i + x) * k + j + y] = g[(j + y) * k + i + x] = sums[x * 4 + y]!;
}

/** The Gram matrix of every column of `m` against every other: K = `m.cols`, no target. */
export function fullGram(m: Matrix, intercept: boolean): Float64Array {
  const cols = columnsOf(m, intercept);
  const k = cols.length;
  const r = m.rows;
  const g = new Float64Array(k * k);
  // The columns packed in one array, and the products computed four by four.
  const a = new Float64Array(k * r);
  cols.forEach((col, i) => a.set(col, i * r));
  const whole = k - (k % 4);
  for (let i = 0; i < whole; i += 4) for (let j = i; j < whole; j += 4) block4(a, r, i, j, g, k);
  for (let i = 0; i < k; i++)
    for (let j = Math.max(i, whole); j < k; j++) g[i * k + j] = g[j * k + i] = dot(cols[i]!, cols[j]!);
  return g;
}

/**
 * The Gram of a fit of the mean of columns `target` on columns `weighted`, read from the full Gram `g`
 * (of `size` columns) of a matrix with `rows` rows.
 */
export function gramSubset(
  g: Float64Array,
  size: number,
  rows: number,
  weighted: readonly number[],
  target: readonly number[],
): Gram {
  const k = weighted.length;
  const c = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const gi = weighted[i]! * size;
    let s = 0;
    for (const t of target) s += g[gi + t]!;
    c[i] = s / target.length;
  }
  let bb = 0;
  for (const s of target) for (const t of target) bb += g[s * size + t]!;
  return { k, rows, g, size, index: Int32Array.from(weighted), c, bb: bb / (target.length * target.length) };
}

/** The Gram of a fit of the last column of `y` on its other columns. */
export function gramOf(y: Matrix, intercept: boolean): Gram {
  const k = y.cols - 1;
  return gramSubset(
    fullGram(y, intercept),
    y.cols,
    y.rows,
    Array.from({ length: k }, (_, i) => i),
    [k],
  );
}

/** How often the running products are computed afresh. */
const EXACT_EVERY = 64;

/**
 * A Frank–Wolfe step's update in one pass: x ← keep·x, q ← keep·q + step·G[best] (row `row` of `g`, read
 * at `index`); returns where half the gradient q − c + eta·x is least, that least value in `found[0]`.
 * A function of its own, over arguments only, so that the engine keeps every array in registers.
 */
function moveAndFind(
  k: number,
  x: Float64Array,
  q: Float64Array,
  c: Float64Array,
  g: Float64Array,
  row: number,
  index: Int32Array,
  keep: number,
  step: number,
  eta: number,
  found: Float64Array,
): number {
  let least = Infinity;
  let next = -1;
  for (let i = 0; i < k; i++) {
    const xi = keep * x[i]!;
    const qi = keep * q[i]! + step * g[row + index[i]!]!;
    x[i] = xi;
    q[i] = qi;
    const h = qi - c[i]! + eta * xi;
    if (h < least) {
      least = h;
      next = i;
    }
  }
  found[0] = least;
  return next;
}

/** Fits simplex weights by Frank–Wolfe on a Gram. */
export function fitOnGram(gram: Gram, options: FitOptions): Fit {
  const { k, rows, g, size, index, c, bb } = gram;
  const x = options.start ? Float64Array.from(options.start) : new Float64Array(k).fill(1 / k);
  const zeta2 = options.zeta * options.zeta;
  const eta = rows * zeta2;
  // q = A'A x, kept as x moves.
  const q = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const w = x[i]!;
    const row = index[i]! * size;
    if (w !== 0) for (let j = 0; j < k; j++) q[j]! += w * g[row + index[j]!]!;
  }
  const half = new Float64Array(k);
  /** Half the gradient (A'(Ax − b) + eta x), and the vertex where it is least. */
  const gradient = () => {
    let best = 0;
    for (let i = 0; i < k; i++) {
      half[i] = q[i]! - c[i]! + eta * x[i]!;
      if (half[i]! < half[best]!) best = i;
    }
    return best;
  };
  // x'x, c'x and x'Gx, kept as x moves (each step changes them by a formula in O(1)), and computed
  // afresh every EXACT_EVERY steps so that rounding cannot drift.
  let xx = 0;
  let cx = 0;
  let xq = 0;
  const exact = () => {
    xx = dot(x, x);
    cx = dot(c, x);
    xq = dot(x, q);
  };
  exact();
  const objective = () => zeta2 * xx + (xq - 2 * cx + bb) / rows;
  const tolerance = options.minDecrease * options.minDecrease;
  // The objective after the last two steps: the fit stops when it falls by no more than the tolerance.
  let before = Infinity;
  let last = Infinity;
  let t = 0;
  // The vertex where the gradient is least, found by the last step's update (or afresh, the first time
  // and after a step that did not move).
  let next = -1;
  let least = Infinity;
  const found = new Float64Array(1);
  while (t < options.maxIter && (t < 2 || before - last > tolerance)) {
    t++;
    const best = next >= 0 ? next : gradient();
    const halfBest = next >= 0 ? least : half[best]!;
    next = -1;
    // Towards the vertex: d = e_best − x. Half the gradient along x is x'q − c'x + eta x'x.
    const hx = xq - cx + eta * xx;
    const moves = !(x[best] === 1 && xx === 1);
    if (moves) {
      const gd = halfBest - hx;
      // |A d|² = G_bb − 2 q_b + x'Gx, and |d|² = 1 − 2 x_b + |x|².
      const row = index[best]! * size;
      const gbb = g[row + index[best]!]!;
      const qb = q[best]!;
      const xb = x[best]!;
      const ad = gbb - 2 * qb + xq;
      const dd = 1 - 2 * xb + xx;
      const step = Math.min(1, Math.max(0, -gd / (ad + eta * dd)));
      if (step > 0) {
        const keep = 1 - step;
        // One pass: x and q move, and the next step's vertex is found on the way (x[best] gains `step`
        // after the pass, so its half-gradient gains eta × step).
        next = moveAndFind(k, x, q, c, g, row, index, keep, step, eta, found);
        least = found[0]!;
        x[best] = x[best]! + step;
        // x[best] gained `step`, so its half-gradient gained eta × step: it is the least only if it still is.
        if (eta !== 0) {
          const hb = q[best]! - c[best]! + eta * x[best]!;
          if (next === best || hb < least) {
            next = -1;
          }
        }
        xx = keep * keep * xx + 2 * keep * step * xb + step * step;
        cx = keep * cx + step * c[best]!;
        xq = keep * keep * xq + 2 * keep * step * qb + step * step * gbb;
        if (t % EXACT_EVERY === 0) exact();
      }
    }
    before = last;
    last = objective();
  }
  const converged = t < options.maxIter || (t >= 2 && before - last <= tolerance);
  const best = gradient();
  // The duality gap of the objective (twice the half-gradient's, over R).
  exact();
  const gap = (2 * (dot(half, x) - half[best]!)) / rows;
  return { weights: x, steps: t, converged, objective: objective(), gap };
}

/** The package's sparsifier: weights at most a quarter of the largest go to zero, the rest rescaled. */
export function sparsify(w: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of w) max = Math.max(max, v);
  const out = w.map((v) => (v <= max / 4 ? 0 : v));
  const sum = out.reduce((a, v) => a + v, 0);
  return out.map((v) => v / sum);
}
