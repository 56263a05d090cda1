/**
 * The parts of the TWFE estimator that the coefficient and SE comparisons do not reach: the whole
 * variance matrix, the pre-trend Wald test, the reference period, relative periods without treated
 * observations, what the demeaning reports, and panels that look balanced but are not.
 */
import { describe, expect, it } from 'vitest';
import { chiSquareP } from '../../src/eval/linalg.js';
import { ConvergenceError, demean, eventStudy, twfe, type Panel } from '../../src/eval/twfe.js';
import { columns, denseOls, fixestK, generated } from './twfe-reference.js';

/** Solves A x = b by Gaussian elimination with partial pivoting (a reference, not the code under test). */
function solve(a: number[][], b: number[]): number[] {
  const m = a.map((row, i) => [...row, b[i]!]);
  const n = b.length;
  for (let c = 0; c < n; c++) {
    const pivot = m
      .slice(c)
      .reduce((best, row, i) => (Math.abs(row[c]!) > Math.abs(m[best]![c]!) ? c + i : best), c);
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** Sums of x by unit and by period. */
function sums(panel: Panel, x: Float64Array) {
  const byUnit = new Array<number>(panel.units).fill(0);
  const byPeriod = new Array<number>(panel.periods).fill(0);
  x.forEach((v, i) => {
    byUnit[panel.unit[i]!]! += v;
    byPeriod[panel.period[i]!]! += v;
  });
  return { byUnit, byPeriod };
}

describe('TWFE event study: variance, pre-trends and relative periods', () => {
  it('has the dense OLS variance matrix, off the diagonal too, and a Wald pre-trend test from it', () => {
    const { panel, first } = generated(6, 26, 12, 0.1);
    const es = eventStudy(panel, first, { leads: 3, lags: 3, tolerance: 1e-14 });
    const k = es.relative.length;
    const dense = denseOls(panel, columns(panel, first, es.relative, 3, 3), fixestK(panel, k));
    expect(es.vcov).toHaveLength(k * k);
    es.vcov.forEach((v, i) => expect(Math.abs(v - dense.vcov[i]!)).toBeLessThan(1e-10));
    expect(es.n).toBe(panel.y.length);
    expect(es.clusters).toBe(26);
    expect(es.dfK).toBe(fixestK(panel, k));

    // W = b' V⁻¹ b over the leads (relative periods below 0, the reference left out), df = their number.
    const pre = es.relative.flatMap((r, i) => (r < 0 ? [i] : []));
    expect(pre.map((i) => es.relative[i])).toEqual([-3, -2]);
    const b = pre.map((i) => dense.beta[i]!);
    const v = pre.map((i) => pre.map((j) => dense.vcov[i * k + j]!));
    const wald = b.reduce((s, bi, i) => s + bi * solve(v, b)[i]!, 0);
    expect(es.pretrend.df).toBe(2);
    expect(es.pretrend.statistic).toBeCloseTo(wald, 9);
    expect(es.pretrend.statistic).toBeGreaterThan(0);
    expect(es.pretrend.p).toBeCloseTo(chiSquareP(wald, 2), 12);
    // With two degrees of freedom the chi-square tail is exp(−W/2).
    expect(es.pretrend.p).toBeCloseTo(Math.exp(-wald / 2), 9);
  });

  it('omits the reference period asked for, and tests every other lead', () => {
    const { panel, first } = generated(7, 24, 12);
    const es = eventStudy(panel, first, { leads: 3, lags: 2, reference: -3, tolerance: 1e-14 });
    expect(es.reference).toBe(-3);
    expect(es.relative).toEqual([-2, -1, 0, 1, 2]);
    expect(es.pretrend.df).toBe(2);
    const dense = denseOls(panel, columns(panel, first, es.relative, 3, 2), fixestK(panel, 5));
    es.coefficients.forEach((c, a) => expect(Math.abs(c - dense.beta[a]!)).toBeLessThan(1e-8));
    expect(eventStudy(panel, first, { leads: 3, lags: 2 }).reference).toBe(-1);
  });

  it('leaves out, and names, relative periods no treated unit is observed in; no leads, no test', () => {
    const { panel } = generated(8, 18, 8);
    // Every treated unit starts in period 1: at most one lead exists (−1, the reference).
    const first = Int32Array.from({ length: 18 }, (_, u) => (u % 2 ? 1 : -1));
    const es = eventStudy(panel, first, { leads: 3, lags: 2, tolerance: 1e-14 });
    expect(es.relative).toEqual([0, 1, 2]);
    expect(es.omitted).toEqual([-3, -2]);
    expect(es.pretrend).toEqual({ statistic: 0, df: 0, p: 1 });
    const dense = denseOls(panel, columns(panel, first, es.relative, 3, 2), fixestK(panel, 3));
    es.se.forEach((s, a) => expect(Math.abs(s - dense.se[a]!)).toBeLessThan(1e-9));
  });
});

describe('demeaning', () => {
  it('is exact in one pass on a balanced panel: every unit and period sums to zero', () => {
    const { panel } = generated(9, 10, 6);
    const x = Float64Array.from(panel.y);
    expect(demean(panel, x)).toEqual({ iterations: 1, change: 0, converged: true });
    const { byUnit, byPeriod } = sums(panel, x);
    [...byUnit, ...byPeriod].forEach((s) => expect(Math.abs(s)).toBeLessThan(1e-9));
  });

  it('iterates on an unbalanced panel until the change is below the tolerance, and says so', () => {
    const { panel } = generated(10, 30, 9, 0.25);
    const loose = demean(panel, Float64Array.from(panel.y), { tolerance: 1e-4 });
    const x = Float64Array.from(panel.y);
    const tight = demean(panel, x, { tolerance: 1e-13 });
    expect(loose.converged && tight.converged).toBe(true);
    expect(loose.iterations).toBeGreaterThan(1);
    expect(tight.iterations).toBeGreaterThan(loose.iterations);
    expect(loose.change).toBeLessThan(1e-4);
    expect(loose.change).toBeGreaterThan(1e-13);
    expect(tight.change).toBeLessThan(1e-13);
    const { byUnit, byPeriod } = sums(panel, x);
    [...byUnit, ...byPeriod].forEach((s) => expect(Math.abs(s)).toBeLessThan(1e-9));
  });

  it('measures the change relative to the column’s scale, so rescaling the data changes nothing', () => {
    const { panel } = generated(13, 25, 9, 0.2);
    const a = demean(panel, Float64Array.from(panel.y), { tolerance: 1e-9 });
    const b = demean(
      panel,
      Float64Array.from(panel.y, (v) => v * 1e6),
      { tolerance: 1e-9 },
    );
    const c = demean(
      panel,
      Float64Array.from(panel.y, (v) => v * 1e-6),
      { tolerance: 1e-9 },
    );
    expect(b.iterations).toBe(a.iterations);
    expect(c.iterations).toBe(a.iterations);
    expect(b.change).toBeCloseTo(a.change, 15);
    expect(c.change).toBeCloseTo(a.change, 15);
  });

  it('reports as the change the largest mean removed in the last pass, over the largest value', () => {
    // One pass by hand on a small unbalanced panel: unit means removed, then period means.
    const unit = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2]);
    const period = Int32Array.from([0, 1, 2, 0, 2, 0, 1, 2]);
    const y = Float64Array.from([4, -8, 6, 1, 9, -3, 2, 7]);
    const panel: Panel = { unit, period, y, units: 3, periods: 3 };
    const unitMean = [0, 1, 2].map((u) => {
      const rows = [...y].filter((_, i) => unit[i] === u);
      return rows.reduce((s, v) => s + v, 0) / rows.length;
    });
    const afterUnits = [...y].map((v, i) => v - unitMean[unit[i]!]!);
    const periodMean = [0, 1, 2].map((t) => {
      const rows = afterUnits.filter((_, i) => period[i] === t);
      return rows.reduce((s, v) => s + v, 0) / rows.length;
    });
    const expected = Math.max(...[...unitMean, ...periodMean].map(Math.abs)) / 9;
    const x = Float64Array.from(y);
    const error = (() => {
      try {
        demean(panel, x, { maxIterations: 1, tolerance: 1e-16 });
      } catch (e) {
        return e as ConvergenceError;
      }
    })();
    expect(error?.report.change).toBeCloseTo(expected, 14);
    afterUnits.forEach((v, i) => expect(x[i]).toBeCloseTo(v - periodMean[period[i]!]!, 12));
  });

  it('reports the iterations and the last change when it gives up, in the error', () => {
    const { panel } = generated(11, 20, 10, 0.3);
    const error = (() => {
      try {
        demean(panel, Float64Array.from(panel.y), { maxIterations: 3, tolerance: 1e-16 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConvergenceError);
    const report = (error as ConvergenceError).report;
    expect(report.iterations).toBe(3);
    expect(report.converged).toBe(false);
    expect(report.change).toBeGreaterThan(1e-16);
    expect((error as ConvergenceError).message).toContain('after 3 iterations');
  });

  it('does not take a panel with one cell twice and one missing for a balanced one', () => {
    // 3 units × 3 periods = 9 rows, but unit 0 has period 1 twice and unit 1 lacks it; the period and
    // unit counts are not all equal, so the closed form would be wrong.
    const unit = Int32Array.from([0, 0, 0, 0, 1, 1, 2, 2, 2]);
    const period = Int32Array.from([0, 1, 1, 2, 0, 2, 0, 1, 2]);
    const y = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5]);
    const panel: Panel = { unit, period, y, units: 3, periods: 3 };
    const x = Float64Array.from(y);
    expect(demean(panel, x, { tolerance: 1e-14 }).iterations).toBeGreaterThan(1);
    const { byUnit, byPeriod } = sums(panel, x);
    [...byUnit, ...byPeriod].forEach((s) => expect(Math.abs(s)).toBeLessThan(1e-9));
    // Equal counts, cells twice: (1,1) and (2,0) appear twice, (1,0) and (2,1) never; every unit and
    // every period still has three rows.
    const twice: Panel = {
      unit: Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]),
      period: Int32Array.from([0, 1, 2, 1, 1, 2, 0, 0, 2]),
      y,
      units: 3,
      periods: 3,
    };
    const z = Float64Array.from(y);
    expect(demean(twice, z, { tolerance: 1e-14 }).iterations).toBeGreaterThan(1);
    const s = sums(twice, z);
    [...s.byUnit, ...s.byPeriod].forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-9));
  });

  it('leaves its inputs as they were', () => {
    const { panel, first } = generated(12, 15, 8, 0.1);
    const y = Float64Array.from(panel.y);
    const x = columns(panel, first, [0], 2, 2);
    const copy = Float64Array.from(x[0]!);
    twfe(panel, x, { tolerance: 1e-12 });
    expect(panel.y).toEqual(y);
    expect(x[0]).toEqual(copy);
  });
});
