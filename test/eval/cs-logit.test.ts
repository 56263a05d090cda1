/**
 * The propensity score's logistic regression: a fit that settles is kept, even with a far outlier whose
 * probability is within e^-30 of zero (its score is zero at the optimum); data the covariates separate are
 * reported as separated; nearly collinear covariates as collinear, not as separated.
 */
import { describe, expect, it } from 'vitest';
import { logit, LogitError } from '../../src/eval/cs/logit.js';
import { prng } from '../../src/eval/random.js';

/** n rows of [1, x] with x standard normal, and d drawn with P(d = 1) = logistic(−0.5 + x). */
function sample(n: number, seed: number): { x: number[][]; d: number[] } {
  const random = prng(seed);
  const x: number[][] = [];
  const d: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    x.push([1, v]);
    d.push(random() < 1 / (1 + Math.exp(0.5 - v)) ? 1 : 0);
  }
  return { x, d };
}

const fit = (x: number[][], d: number[]) => logit(Float64Array.from(x.flat()), d, d.length, x[0]!.length);
const failure = (x: number[][], d: number[]) => {
  try {
    fit(x, d);
  } catch (error) {
    if (error instanceof LogitError) return error.reason;
    throw error;
  }
  return 'fitted';
};

describe('the propensity score’s logistic regression', () => {
  it('keeps a fit that settles, with a far outlier at a probability near zero, and its score is zero', () => {
    const { x, d } = sample(200, 3);
    x.push([1, -40]);
    d.push(0);
    const f = fit(x, d);
    const eta = x.map((row) => row[0]! * f.beta[0]! + row[1]! * f.beta[1]!);
    expect(Math.min(...eta)).toBeLessThan(-30);
    for (let a = 0; a < 2; a++) {
      const score = x.reduce((s, row, i) => s + row[a]! * (d[i]! - f.p[i]!), 0);
      expect(Math.abs(score)).toBeLessThan(1e-9);
    }
  });

  it('reports data the covariate separates as separated', () => {
    const { x } = sample(100, 4);
    expect(
      failure(
        x,
        x.map((row) => (row[1]! > 0.3 ? 1 : 0)),
      ),
    ).toBe('separated');
    // One treated unit beyond every control: quasi-complete separation.
    const one = x.map((row) => [...row]);
    one.push([1, 10]);
    expect(
      failure(
        one,
        [...one.keys()].map((i) => (i === one.length - 1 ? 1 : 0)),
      ),
    ).toBe('separated');
  });

  it('reports nearly collinear covariates as collinear, not as separated', () => {
    const { x, d } = sample(100, 5);
    const twins = x.map(([one, v]) => [one!, v!, v! * (1 + 1e-13)]);
    expect(failure(twins, d)).toBe('singular');
    // Correlated to 1 − 1e-10 but not identical: the fit exists, with large coefficients of opposite signs.
    const random = prng(6);
    const close = x.map(([one, v]) => [one!, v!, v! + 4e-5 * (random() - 0.5)]);
    expect(failure(close, d)).toBe('fitted');
  });
});
