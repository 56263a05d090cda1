/**
 * Synthetic control's fit (`adh.ts`): predictors scaled by their standard deviation across units as
 * `Synth` scales them; a predictor with one value refused; the predictor weights V found by the nested
 * search against the best point of a fine lattice over every V (a dense reference) on random problems
 * where the treated unit lies outside the donors' hull; V given or equal used as given.
 */
import { describe, expect, it } from 'vitest';
import {
  adhFit,
  ConstantPredictorError,
  outcomeLoss,
  scalePredictors,
  simplexLattice,
  weightsFor,
  type AdhInput,
} from '../../../src/eval/synth/adh.js';
import { rRandom } from '../../../src/eval/r-random.js';

/** Three predictors, 30 donors, 12 periods: outcomes a random mix of the predictors plus noise; the treated unit outside the hull. */
function problem(seed: number): AdhInput {
  const u = rRandom(seed).unif;
  const [j, k, t] = [30, 3, 12];
  const x0 = Float64Array.from({ length: k * j }, () => u() * 10);
  const x1 = Float64Array.from({ length: k }, (_, r) => (r === 0 ? 12 : u() * 10));
  const z0 = new Float64Array(t * j);
  const z1 = new Float64Array(t);
  for (let p = 0; p < t; p++) {
    const b = [u(), u(), u()];
    for (let c = 0; c < j; c++) z0[p * j + c] = b.reduce((s, v, r) => s + v * x0[r * j + c]!, 0) + u() - 0.5;
    z1[p] = b.reduce((s, v, r) => s + v * x1[r]!, 0) + u() - 0.5;
  }
  return { x1, x0, z1, z0, donors: j };
}

describe('synthetic control’s fit', () => {
  it('scales each predictor by its standard deviation over the treated unit and the donors', () => {
    const input = problem(3);
    const { x1, x0 } = scalePredictors(input);
    for (let r = 0; r < 3; r++) {
      const all = [input.x1[r]!, ...Array.from({ length: 30 }, (_, c) => input.x0[r * 30 + c]!)];
      const mean = all.reduce((a, v) => a + v, 0) / all.length;
      const sd = Math.sqrt(all.reduce((a, v) => a + (v - mean) ** 2, 0) / (all.length - 1));
      expect(x1[r]).toBeCloseTo(input.x1[r]! / sd, 12);
      expect(x0.a[r * 30 + 7]).toBeCloseTo(input.x0[r * 30 + 7]! / sd, 12);
    }
    const flat = {
      ...input,
      x1: Float64Array.of(5, input.x1[1]!),
      x0: Float64Array.from({ length: 60 }, (_, i) => (i < 30 ? 5 : i)),
    };
    expect(() => scalePredictors(flat)).toThrow(ConstantPredictorError);
  });

  it('finds predictor weights within 1.5% of the best of 3,321 lattice points on 20 problems, and matches it in most', () => {
    let matched = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const input = problem(seed);
      const fit = adhFit(input);
      const { x1, x0 } = scalePredictors(input);
      let best = Infinity;
      for (const v of simplexLattice(3, 3321))
        best = Math.min(best, outcomeLoss(input, weightsFor(x1, x0, v).weights));
      expect(fit.outcomeLoss, `seed ${seed}`).toBeLessThan(best * 1.015);
      if (fit.outcomeLoss <= best * (1 + 1e-4)) matched++;
      // The loss reported is the loss of the weights reported, and those weights solve the inner problem
      // at the V reported (as well as a fit started afresh: where the predictors are fitted exactly,
      // several weightings do, with different outcome losses).
      expect(fit.outcomeLoss).toBeCloseTo(outcomeLoss(input, fit.weights), 12);
      expect(fit.predictorLoss).toBeLessThan(weightsFor(x1, x0, fit.v).loss + 1e-9);
      expect(fit.v.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
      expect(fit.search!.code).toBe(0);
    }
    expect(matched).toBeGreaterThanOrEqual(18);
  });

  it('uses equal or given predictor weights as they are, with no search', () => {
    const input = problem(5);
    const equal = adhFit(input, 'equal');
    expect(Array.from(equal.v)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(equal.search).toBeUndefined();
    const given = adhFit(input, Float64Array.of(2, 0, 2));
    expect(Array.from(given.v)).toEqual([0.5, 0, 0.5]);
    const { x1, x0 } = scalePredictors(input);
    expect(Array.from(given.weights)).toEqual(Array.from(weightsFor(x1, x0, [1, 0, 1]).weights));
  });
});
