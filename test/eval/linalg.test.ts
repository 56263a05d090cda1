/**
 * The small numerical routines under the estimators, against references outside the code: inverses
 * checked by multiplying back, chi-square tail probabilities and log-gamma values from R (`pchisq`,
 * `lgamma`), and the seeded generator against an independent implementation of mulberry32 (Python).
 */
import { describe, expect, it } from 'vitest';
import { chiSquareP, gammaQ, invertSpd, lnGamma, SingularError } from '../../src/eval/linalg.js';
import { prng } from '../../src/eval/random.js';

/** A random k×k symmetric positive-definite matrix: B'B + k·I, with B from a seeded generator. */
function spd(k: number, seed: number, scale = 1): Float64Array {
  const random = prng(seed);
  const b = Float64Array.from({ length: k * k }, () => random() - 0.5);
  const a = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = i === j ? k : 0;
      for (let p = 0; p < k; p++) s += b[p * k + i]! * b[p * k + j]!;
      a[i * k + j] = s * scale;
    }
  return a;
}

describe('invertSpd', () => {
  it.each([1, 2, 3, 5, 8])('inverts a %d×%d matrix: A·A⁻¹ = I to 1e-12', (k) => {
    for (const scale of [1, 1e-6, 1e6]) {
      const a = spd(k, 100 + k, scale);
      const inv = invertSpd(a, k);
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[i * k + p]! * inv[p * k + j]!;
          expect(Math.abs(s - (i === j ? 1 : 0)), `${k} ${scale} ${i} ${j}`).toBeLessThan(1e-12);
          expect(inv[i * k + j]).toBe(inv[j * k + i]);
        }
    }
  });

  it('names the first column that is a combination of the others', () => {
    // Column 2 is column 0 plus column 1: X'X is singular at position 2.
    const x = [
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 2],
      [2, 1, 3],
    ];
    const a = new Float64Array(9);
    for (const row of x)
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) a[i * 3 + j]! += row[i]! * row[j]!;
    const error = (() => {
      try {
        invertSpd(a, 3);
      } catch (e) {
        return e as SingularError;
      }
    })();
    expect(error).toBeInstanceOf(SingularError);
    expect(error!.column).toBe(2);
    expect([error!.status, error!.exitCode, error!.message]).toEqual([
      422,
      2,
      'regressor 2 is collinear with the others or with the fixed effects',
    ]);
  });

  it('judges a pivot small relative to its diagonal, whatever the units, and zero or negative as singular', () => {
    expect(() => invertSpd(Float64Array.of(1e-11), 1)).not.toThrow();
    expect(() => invertSpd(Float64Array.of(1e-13), 1)).toThrow(SingularError);
    expect(() => invertSpd(Float64Array.of(0), 1)).toThrow(SingularError);
    expect(() => invertSpd(Float64Array.of(-4), 1)).toThrow(SingularError);
    // A large diagonal with a pivot left of 1e-9 of it after elimination: singular relative to its scale.
    const big = Float64Array.of(1e6, 1e6, 1e6, 1e6 + 1e-7);
    expect(() => invertSpd(big, 2)).toThrow(SingularError);
    expect(invertSpd(Float64Array.of(4), 1)[0]).toBe(0.25);
  });
});

describe('chi-square tail probabilities and log-gamma', () => {
  // R 4: pchisq(x, df, lower.tail = FALSE).
  it.each([
    [3.841458820694124, 1, 0.05],
    [5.991464547107979, 2, 0.05],
    [11.070497693516351, 5, 0.05],
    [0.5, 3, 0.91889141165467592],
    [19.85, 4, 0.00053462432230916746],
    [2, 10, 0.99634015317265634],
    [100, 20, 1.259608459166091e-12],
    [0.001, 1, 0.97477287936996038],
    [7.5, 2.5, 0.038169088215206814],
  ])('P(χ² > %d | %d df) = %d', (x, df, p) => {
    expect(Math.abs(chiSquareP(x, df) - p) / p).toBeLessThan(1e-9);
  });

  it('is 1 at zero and below, and falls as the statistic grows', () => {
    expect(gammaQ(2, 0)).toBe(1);
    expect(gammaQ(2, -1)).toBe(1);
    expect(chiSquareP(1, 3)).toBeGreaterThan(chiSquareP(2, 3));
  });

  // R 4: lgamma(x).
  it.each([
    [1, 0],
    [2, 0],
    [0.5, 0.57236494292470008],
    [10, 12.801827480081469],
    [0.1, 2.252712651734206],
    [0.3, 1.0957979948180756],
    [3.7, 1.4280723266653881],
    [150, 600.00947055532743],
  ])('log Γ(%d) = %d', (x, value) => {
    expect(Math.abs(lnGamma(x) - value)).toBeLessThan(1e-12 * Math.max(1, Math.abs(value)));
  });
});

describe('the seeded generator', () => {
  // mulberry32 written independently in Python (32-bit integer arithmetic), first four draws.
  it.each([
    [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197, 0.1462021479383111]],
    [1, [0.6270739405881613, 0.002735721180215478, 0.5274470399599522, 0.9810509674716741]],
    [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693]],
  ])('gives mulberry32’s sequence for seed %d', (seed, draws) => {
    const random = prng(seed);
    expect(draws.map(() => random())).toEqual(draws);
  });
});
