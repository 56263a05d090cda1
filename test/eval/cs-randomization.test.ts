/**
 * Randomization inference for Callaway–Sant'Anna against a reference written here: the same seeded
 * Fisher–Yates permutations of the cohorts, each placebo ATT computed from group means by the reference
 * estimator, and each p-value counted as the share of assignments, the actual one included, at least as
 * far from zero as the actual estimate.
 */
import { describe, expect, it } from 'vitest';
import { callawaySantAnna } from '../../src/eval/cs.js';
import type { CsPanel } from '../../src/eval/cs/cs-panel.js';
import { randomizationInference } from '../../src/eval/cs/randomization.js';
import { prng } from '../../src/eval/random.js';
import { reference, smallPanel } from './cs-reference.js';

/** The reference p-values: every permutation's estimates by the reference estimator. */
function referenceP(
  panel: CsPanel,
  control: 'never' | 'notyet',
  permutations: number,
  seed: number,
  events: (e: number) => boolean = () => true,
) {
  const estimate = (group: Int32Array) => reference({ ...panel, group }, control, 0, seed, events);
  const actual = estimate(panel.group);
  const random = prng(seed);
  const group = Int32Array.from(panel.group);
  let simple = 1;
  const dynamic = actual.dynamic.map(() => 1);
  for (let r = 0; r < permutations; r++) {
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
    const placebo = estimate(group);
    if (Math.abs(placebo.simple.att) >= Math.abs(actual.simple.att) * (1 - 1e-12)) simple++;
    actual.dynamic.forEach((d, k) => {
      const p = placebo.dynamic.find((x) => x.event === d.event);
      if (p && Math.abs(p.att) >= Math.abs(d.att) * (1 - 1e-12)) dynamic[k]!++;
    });
  }
  return {
    simple: { att: actual.simple.att, p: simple / (permutations + 1) },
    dynamic: actual.dynamic.map((d, k) => ({
      event: d.event,
      att: d.att,
      p: dynamic[k]! / (permutations + 1),
    })),
  };
}

describe('Callaway–Sant’Anna randomization inference against a permutation-by-permutation reference', () => {
  for (const [control, permutations, seed] of [
    ['never', 199, 4],
    ['notyet', 99, 8],
  ] as const)
    it(`gives the same estimates and p-values with ${control}-treated controls, ${permutations} permutations`, () => {
      const panel = smallPanel(false);
      const ri = randomizationInference(panel, { control, permutations, seed });
      const want = referenceP(panel, control, permutations, seed);
      expect(ri).toMatchObject({ permutations, seed });
      expect(ri.simple.att).toBeCloseTo(want.simple.att, 12);
      expect(ri.simple.p).toBe(want.simple.p);
      expect(ri.dynamic.map((d) => d.event)).toEqual(want.dynamic.map((d) => d.event));
      ri.dynamic.forEach((d, k) => {
        expect(d.att).toBeCloseTo(want.dynamic[k]!.att, 12);
        expect(d.p).toBe(want.dynamic[k]!.p);
      });
      // The actual estimates are the estimator's own.
      const cs = callawaySantAnna(panel, { control, draws: 8 });
      expect(ri.simple.att).toBeCloseTo(cs.simple.att, 12);
      ri.dynamic.forEach((d, k) => expect(d.att).toBeCloseTo(cs.dynamic[k]!.att, 12));
      // Some p-values are small and some are not: the test can tell them apart.
      const ps = [ri.simple.p, ...ri.dynamic.map((d) => d.p)];
      expect(Math.min(...ps)).toBeLessThan(0.1);
      expect(Math.max(...ps)).toBeGreaterThan(0.3);
    });

  it('keeps the defaults (never-treated controls, 999 permutations, seed 1) and the event window', () => {
    const panel = smallPanel(false);
    const ri = randomizationInference(panel);
    expect(ri).toMatchObject({ permutations: 999, seed: 1 });
    expect(ri.simple.p).toBe(referenceP(panel, 'never', 999, 1).simple.p);
    const windowed = randomizationInference(panel, { permutations: 49, seed: 2, minEvent: -1, maxEvent: 2 });
    const want = referenceP(panel, 'never', 49, 2, (e) => e >= -1 && e <= 2);
    expect(windowed.dynamic.map((d) => d.event)).toEqual([-1, 0, 1, 2]);
    expect(windowed.dynamic.map((d) => d.p)).toEqual(want.dynamic.map((d) => d.p));
    expect(windowed.simple).toEqual(randomizationInference(panel, { permutations: 49, seed: 2 }).simple);
  });

  it('counts the actual assignment, so no p-value is below 1/(permutations + 1)', () => {
    const panel = smallPanel(false);
    // A huge effect on every treated unit: no placebo comes near it.
    const y = Float64Array.from(panel.y, (v, i) => {
      const u = Math.floor(i / panel.periods);
      const g = panel.group[u]!;
      return g > 0 && i % panel.periods >= g ? v + 1000 : v;
    });
    const ri = randomizationInference({ ...panel, y }, { permutations: 39, seed: 3 });
    expect(ri.simple.p).toBe(1 / 40);
  });
});
