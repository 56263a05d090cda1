/**
 * Least squares over the simplex (`simplex-ls.ts`), the inner problem of synthetic control: against a
 * dense reference written here (every support of a small problem solved on its own, the best feasible one
 * kept), on a planted combination it must recover, on collinear and repeated donors, and on the
 * Proposition 99 panel, where it meets the optimality conditions and fits better than the `synthdid`
 * package's Frank–Wolfe stopping point.
 */
import { describe, expect, it } from 'vitest';
import { simplexLeastSquares, type Predictors } from '../../../src/eval/synth/simplex-ls.js';
import { synthEstimate } from '../../../src/eval/synth/synthdid.js';
import { rRandom } from '../../../src/eval/r-random.js';
import { FILE, prop99 } from './prop99-panel.js';

const loss = (p: Predictors, b: Float64Array, w: ArrayLike<number>) => {
  let s = 0;
  for (let r = 0; r < p.k; r++) {
    let g = -b[r]!;
    for (let c = 0; c < p.j; c++) g += p.a[r * p.j + c]! * w[c]!;
    s += g * g;
  }
  return s;
};

/** Solves the square system by Gauss–Jordan with partial pivoting (null when singular). */
function solve(m: number[][], r: number[]): number[] | null {
  const n = r.length;
  const a = m.map((row, i) => [...row, r[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i]![c]!) > Math.abs(a[p]![c]!)) p = i;
    if (Math.abs(a[p]![c]!) < 1e-12) return null;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let i = 0; i < n; i++)
      if (i !== c) {
        const f = a[i]![c]! / a[c]![c]!;
        for (let k = c; k <= n; k++) a[i]![k]! -= f * a[c]![k]!;
      }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

/** The dense reference: every non-empty support, its equality-constrained least squares, the best feasible. */
function bySupports(p: Predictors, b: Float64Array): { loss: number; weights: number[] } {
  let best = { loss: Infinity, weights: [] as number[] };
  for (let mask = 1; mask < 1 << p.j; mask++) {
    const face = Array.from({ length: p.j }, (_, c) => c).filter((c) => mask & (1 << c));
    const n = face.length;
    const col = (c: number) => Array.from({ length: p.k }, (_, r) => p.a[r * p.j + c]!);
    const m = face.map((x) => [...face.map((y) => col(x).reduce((s, v, r) => s + v * col(y)[r]!, 0)), 1]);
    m.push([...face.map(() => 1), 0]);
    const rhs = [...face.map((x) => col(x).reduce((s, v, r) => s + v * b[r]!, 0)), 1];
    const z = solve(m, rhs);
    if (!z || z.slice(0, n).some((v) => v < -1e-12)) continue;
    const w = new Array<number>(p.j).fill(0);
    face.forEach((c, i) => (w[c] = Math.max(0, z[i]!)));
    const l = loss(p, b, w);
    if (l < best.loss) best = { loss: l, weights: w };
  }
  return best;
}

function randomProblem(seed: number, k: number, j: number): { p: Predictors; b: Float64Array } {
  const u = rRandom(seed).unif;
  const a = Float64Array.from({ length: k * j }, () => u() * 10 - 5);
  const b = Float64Array.from({ length: k }, () => u() * 14 - 7);
  return { p: { k, j, a }, b };
}

describe('least squares over the simplex', () => {
  it('finds the dense reference’s minimum on 40 random problems, inside and outside the donors’ hull', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { p, b } = randomProblem(seed, 1 + (seed % 5), 9);
      const fit = simplexLeastSquares(p, b);
      const reference = bySupports(p, b);
      expect(fit.converged, `seed ${seed}`).toBe(true);
      expect(Math.abs(fit.loss - reference.loss), `seed ${seed}`).toBeLessThan(1e-9 * (1 + reference.loss));
      expect(fit.weights.every((w) => w >= 0)).toBe(true);
      expect(fit.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
      // A solution uses at most k + 1 donors.
      expect(fit.weights.filter((w) => w > 0).length).toBeLessThanOrEqual(p.k + 1);
    }
  });

  it('reaches the same minimum from a face given to start on, good or bad', () => {
    for (let seed = 41; seed <= 60; seed++) {
      const { p, b } = randomProblem(seed, 4, 40);
      const cold = simplexLeastSquares(p, b);
      // The solution's own face, a face of other donors, and a face with more donors than k + 1.
      for (const start of [cold.face, [0, 1, 2], Array.from({ length: 9 }, (_, i) => i)]) {
        const warm = simplexLeastSquares(p, b, undefined, start);
        expect(warm.converged).toBe(true);
        expect(Math.abs(warm.loss - cold.loss)).toBeLessThan(1e-9 * (1 + cold.loss));
      }
      expect(simplexLeastSquares(p, b, undefined, cold.face).steps).toBeLessThanOrEqual(1);
    }
  });

  it('recovers a planted combination of three donors out of 60 (more predictors than donors: one solution)', () => {
    const { p } = randomProblem(99, 80, 60);
    const planted = new Map([
      [17, 0.5],
      [38, 0.3],
      [51, 0.2],
    ]);
    const b = Float64Array.from({ length: p.k }, (_, r) =>
      [...planted].reduce((s, [c, w]) => s + w * p.a[r * p.j + c]!, 0),
    );
    const fit = simplexLeastSquares(p, b);
    expect(fit.loss).toBeLessThan(1e-20);
    for (let c = 0; c < p.j; c++) expect(fit.weights[c]!).toBeCloseTo(planted.get(c) ?? 0, 10);
    // With fewer predictors than donors a point inside the hull has many exact fits: one of them, exact.
    const wide = randomProblem(99, 12, 2400).p;
    const inside = Float64Array.from({ length: wide.k }, (_, r) =>
      [...planted].reduce((s, [c, w]) => s + w * wide.a[r * wide.j + c * 40]!, 0),
    );
    const exact = simplexLeastSquares(wide, inside);
    expect([exact.converged, exact.loss < 1e-20]).toEqual([true, true]);
    expect(exact.weights.filter((w) => w > 0).length).toBeLessThanOrEqual(wide.k + 1);
  });

  it('handles repeated and collinear donors, and a single donor', () => {
    const { p, b } = randomProblem(7, 3, 6);
    // Donor 6 repeats donor 2; donor 7 is the midpoint of donors 0 and 1.
    const j = 8;
    const a = new Float64Array(p.k * j);
    for (let r = 0; r < p.k; r++) {
      for (let c = 0; c < 6; c++) a[r * j + c] = p.a[r * 6 + c]!;
      a[r * j + 6] = p.a[r * 6 + 2]!;
      a[r * j + 7] = (p.a[r * 6]! + p.a[r * 6 + 1]!) / 2;
    }
    const wide = { k: p.k, j, a };
    const fit = simplexLeastSquares(wide, b);
    expect(fit.converged).toBe(true);
    expect(fit.loss).toBeCloseTo(bySupports(wide, b).loss, 9);
    const one = simplexLeastSquares({ k: 2, j: 1, a: Float64Array.of(1, 2) }, Float64Array.of(3, 3));
    expect([one.weights[0], one.loss]).toEqual([1, 5]);
  });

  (FILE ? it : it.skip)(
    'fits California’s cigarette sales before 1989 from the 38 other states better than synthdid’s Frank–Wolfe stopping point',
    async () => {
      const panel = await prop99(FILE!);
      const j = panel.controls;
      const a = new Float64Array(panel.pre * j);
      for (let t = 0; t < panel.pre; t++)
        for (let c = 0; c < j; c++) a[t * j + c] = panel.y[c * panel.periods + t]!;
      const b = panel.y.slice(j * panel.periods, j * panel.periods + panel.pre);
      const p = { k: panel.pre, j, a };
      const fit = simplexLeastSquares(p, b);
      expect(fit.converged).toBe(true);
      // The optimality conditions: every donor's gradient at least the support's common gradient.
      const gradient = Array.from({ length: j }, (_, c) => {
        let s = 0;
        for (let r = 0; r < p.k; r++) {
          let g = -b[r]!;
          for (let d = 0; d < j; d++) g += a[r * j + d]! * fit.weights[d]!;
          s += a[r * j + c]! * g;
        }
        return s;
      });
      const support = gradient.filter((_, c) => fit.weights[c]! > 0);
      const level = support.reduce((s, g) => s + g, 0) / support.length;
      for (const g of support) expect(Math.abs(g - level)).toBeLessThan(1e-6 * Math.abs(level) + 1e-6);
      for (const g of gradient) expect(g).toBeGreaterThan(level - 1e-6 * Math.abs(level) - 1e-6);
      // The package stops Frank–Wolfe early (its min.decrease rule): its weights fit worse (52.66 against 52.13).
      const sc = synthEstimate(panel, 'sc');
      expect(fit.loss).toBeLessThan(loss(p, b, sc.omega) - 0.5);
      expect(fit.loss).toBeCloseTo(52.1296, 3);
      // Near the package's weights, donor by donor.
      for (let c = 0; c < j; c++) expect(Math.abs(fit.weights[c]! - sc.omega[c]!)).toBeLessThan(0.01);
    },
  );
});
