/**
 * Callaway–Sant'Anna inference against a reference written here from the method's definition, one
 * bootstrap draw at a time with no blocking: the influence function of each ATT(g,t), Mammen's weights
 * from the same seeded generator, the interquartile-range standard error, the normal intervals at any
 * level, the uniform band over event times and the event window. The estimator draws in blocks of eight
 * for speed; a draw count that is not a multiple of eight exercises both paths.
 */
import { describe, expect, it } from 'vitest';
import { callawaySantAnna, type CsResult } from '../../src/eval/cs.js';
import { quantile7, reference, smallPanel, Z, type Reference } from './cs-reference.js';

// 1e-9: the estimator scales by its own normal quantiles (Acklam, ~1e-9), the reference by R's.
const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 9);

function expectMatches(result: CsResult, ref: Reference, level: 0.9 | 0.95) {
  expect(result.attgt.map((a) => [a.group, a.period])).toEqual(ref.attgt.map((a) => [a.group, a.period]));
  result.attgt.forEach((a, i) => {
    close(a.att, ref.attgt[i]!.att);
    close(a.se, ref.attgt[i]!.se);
    expect(a.event).toBe(a.period - a.group);
  });
  const z = Z[level];
  const interval = (
    got: { att: number; se: number; lower: number; upper: number },
    want: { att: number; se: number },
  ) => {
    close(got.att, want.att);
    close(got.se, want.se);
    expect(got.se).toBeGreaterThan(0);
    close(got.lower, want.att - z * want.se);
    close(got.upper, want.att + z * want.se);
  };
  interval(result.simple, ref.simple);
  expect(result.dynamic.map((d) => d.event)).toEqual(ref.dynamic.map((d) => d.event));
  result.dynamic.forEach((d, j) => interval(d, ref.dynamic[j]!));
  expect(result.byGroup.map((d) => d.group)).toEqual(ref.byGroup.map((d) => d.group));
  result.byGroup.forEach((d, j) => interval(d, ref.byGroup[j]!));
  const critical = quantile7(ref.maxT, level);
  close(result.uniformCritical, critical);
  expect(result.uniformCritical).toBeGreaterThan(z);
  result.dynamic.forEach((d, j) => {
    close(d.uniformLower, ref.dynamic[j]!.att - critical * ref.dynamic[j]!.se);
    close(d.uniformUpper, ref.dynamic[j]!.att + critical * ref.dynamic[j]!.se);
  });
}

describe('Callaway–Sant’Anna bootstrap against a draw-by-draw reference', () => {
  for (const [control, draws, seed, level] of [
    ['never', 203, 5, 0.95],
    ['notyet', 61, 9, 0.9],
  ] as const)
    it(`equals it with ${control}-treated controls, ${draws} draws, seed ${seed}, level ${level}`, () => {
      const panel = smallPanel();
      const result = callawaySantAnna(panel, { control, draws, seed, level });
      expect(result).toMatchObject({ control, draws, seed });
      expectMatches(result, reference(panel, control, draws, seed), level);
    });

  it('keeps the defaults: never-treated controls, 999 draws, seed 1, 95% intervals', () => {
    const panel = smallPanel();
    const result = callawaySantAnna(panel);
    expect(result).toMatchObject({ control: 'never', draws: 999, seed: 1 });
    expectMatches(result, reference(panel, 'never', 999, 1), 0.95);
  });

  it('limits the event study to the window asked for, and only the event study', () => {
    const panel = smallPanel();
    const full = callawaySantAnna(panel, { draws: 40, seed: 3 });
    const windowed = callawaySantAnna(panel, { draws: 40, seed: 3, minEvent: -2, maxEvent: 1 });
    expect(full.dynamic.map((d) => d.event)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    expect(windowed.dynamic.map((d) => d.event)).toEqual([-2, -1, 0, 1]);
    expect(windowed.attgt).toEqual(full.attgt);
    expect(windowed.simple).toEqual(full.simple);
    expectMatches(
      windowed,
      reference(panel, 'never', 40, 3, (e) => e >= -2 && e <= 1),
      0.95,
    );
  });

  it('counts treated and control units per cell, leaving out missing changes and not-yet-treated controls', () => {
    const panel = smallPanel();
    const never = callawaySantAnna(panel, { draws: 8, control: 'never' });
    const notyet = callawaySantAnna(panel, { draws: 8, control: 'notyet' });
    const cell = (r: CsResult, g: number, t: number) => r.attgt.find((a) => a.group === g && a.period === t)!;
    // Cohort 3 in period 6: unit 4 has no value then; unit 12 lacks period 1, not used here.
    expect(cell(never, 3, 6)).toMatchObject({ treated: 3, controls: 4 });
    // Cohort 2 in period 1 compares 0 with 1 (base 0): unit 12 has no period 1.
    expect(cell(never, 2, 1)).toMatchObject({ treated: 3, controls: 3 });
    // Not yet treated in period 3 (base 1): cohort 5 joins, cohort 3 (treated in 3) does not, and unit 12
    // lacks the base period.
    expect(cell(notyet, 2, 3)).toMatchObject({ treated: 3, controls: 3 + 3 });
    // Period 5 is cohort 5's first treated period: never-treated only.
    expect(cell(notyet, 3, 5)).toMatchObject({ treated: 4, controls: 4 });
    // Cohort 5 before treatment (period 2, base 1): cohort 3 is not yet treated; cohort 2 is.
    expect(cell(notyet, 5, 2)).toMatchObject({ treated: 3, controls: 3 + 4 });
  });
});
