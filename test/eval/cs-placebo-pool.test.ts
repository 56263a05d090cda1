/**
 * The placebo pool of randomisation inference: a stratified pool moves cohorts only within strata and its
 * p-value converges to the exact one counted over every assignment; a matched pool holds each treated
 * unit's nearest units on the pre-period outcomes; and the reports say what restricted the pool.
 */
import { describe, expect, it } from 'vitest';
import type { CsPanel } from '../../src/eval/cs/cs-panel.js';
import { drawPlacebo, placeboPool } from '../../src/eval/cs/placebo-pool.js';
import { randomizationInference } from '../../src/eval/cs/randomization.js';
import { prng } from '../../src/eval/random.js';

/** 40 units in 4 strata of 10, 6 periods; unit 3 (stratum 0) treated from period 3 with an effect of `effect`. */
function panel(effect: number): { panel: CsPanel; stratum: Int32Array } {
  const units = 40;
  const periods = 6;
  const random = prng(21);
  const group = new Int32Array(units).fill(-1);
  group[3] = 3;
  group[17] = 4;
  const stratum = Int32Array.from({ length: units }, (_, u) => Math.floor(u / 10));
  const y = new Float64Array(units * periods);
  for (let u = 0; u < units; u++)
    for (let t = 0; t < periods; t++)
      // Strata differ in level and trend: a placebo in another stratum compares unlike places.
      y[u * periods + t] =
        stratum[u]! * 5 + stratum[u]! * 0.8 * t + random() + (group[u]! > 0 && t >= group[u]! ? effect : 0);
  return { panel: { units, periods, y, group }, stratum };
}

describe('the placebo pool', () => {
  it('moves cohorts only within strata, keeping each stratum’s cohort sizes', () => {
    const { panel: p, stratum } = panel(-0.2);
    const pool = placeboPool(p, { stratum });
    const out = new Int32Array(p.units);
    const random = prng(3);
    const seen = new Set<number>();
    for (let r = 0; r < 200; r++) {
      expect(drawPlacebo(pool, p.group, out, random, new Uint8Array(p.units))).toBe(true);
      const treated = [...out.keys()].filter((u) => out[u]! > 0);
      expect(treated.map((u) => [out[u], stratum[u]]).sort()).toEqual([
        [3, 0],
        [4, 1],
      ]);
      seen.add(treated[0]!);
    }
    // Every unit of the first stratum receives the cohort sooner or later.
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pool.smallest).toBe(10);
    expect(pool.log10Assignments).toBeCloseTo(2, 12);
  });

  it('gives, with many permutations, the exact p-value counted over all 100 assignments', () => {
    const { panel: p, stratum } = panel(-0.2);
    const ri = randomizationInference(p, { permutations: 9999, seed: 5, pool: { stratum } });
    // Exact: each of the 10 × 10 placements of the two cohorts within their strata.
    const exact = randomizationInference(p, { permutations: 0 });
    let atLeast = 0;
    for (let a = 0; a < 10; a++)
      for (let b = 10; b < 20; b++) {
        const group = new Int32Array(p.units).fill(-1);
        group[a] = 3;
        group[b] = 4;
        const placebo = randomizationInference({ ...p, group }, { permutations: 0 });
        if (Math.abs(placebo.simple.att) >= Math.abs(exact.simple.att) * (1 - 1e-12)) atLeast++;
      }
    expect(atLeast).toBeGreaterThan(1);
    expect(atLeast).toBeLessThan(20);
    expect(Math.abs(ri.simple.p - atLeast / 100)).toBeLessThan(0.015);
    expect(atLeast).toBe(7);
    // Unrestricted, placebos land in strata with other trends: another test, with another p-value (five
    // Monte Carlo standard errors away).
    const free = randomizationInference(p, { permutations: 999, seed: 5 });
    expect(Math.abs(free.simple.p - atLeast / 100)).toBeGreaterThan(0.04);
    expect(ri.pool).toEqual({ smallest: 10, log10Assignments: 2 });
  });

  it('matches each treated unit with its nearest units before treatment, and draws within them', () => {
    const { panel: p } = panel(1);
    const pool = placeboPool(p, { match: 4 });
    // The pre-period is periods 0–2 (before the first cohort, 3); the nearest by mean squared difference.
    const distance = (a: number, b: number) =>
      [0, 1, 2].reduce((s, t) => s + (p.y[a * 6 + t]! - p.y[b * 6 + t]!) ** 2, 0) / 3;
    [3, 17].forEach((u, i) => {
      const nearest = [...Array(40).keys()]
        .filter((v) => v !== u)
        .sort((a, b) => distance(u, a) - distance(u, b))
        .slice(0, 4);
      expect([...pool.candidates[i]!]).toEqual([u, ...nearest]);
      // Similar places: here, those of its own stratum.
      expect(nearest.every((v) => Math.floor(v / 10) === Math.floor(u / 10))).toBe(true);
    });
    const out = new Int32Array(40);
    const random = prng(9);
    for (let r = 0; r < 100; r++) {
      if (!drawPlacebo(pool, p.group, out, random, new Uint8Array(40))) continue;
      const at3 = [...out.keys()].find((u) => out[u] === 3)!;
      const at4 = [...out.keys()].find((u) => out[u] === 4)!;
      expect([...pool.candidates[0]!]).toContain(at3);
      expect([...pool.candidates[1]!]).toContain(at4);
    }
    const ri = randomizationInference(p, { permutations: 199, seed: 2, pool: { match: 4 } });
    expect(ri.pool).toEqual({ match: 4, smallest: 5, log10Assignments: expect.closeTo(Math.log10(25), 12) });
  });
});

describe('randomisation inference on an unbalanced panel', () => {
  it('counts, for each statistic, only the placebos that define it', () => {
    // 30 units, 5 periods; the last period is missing for units 15–29; unit 2 treated from period 3.
    const units = 30;
    const periods = 5;
    const random = prng(8);
    const group = Int32Array.from({ length: units }, (_, u) => (u === 2 ? 3 : -1));
    const y = Float64Array.from({ length: units * periods }, (_, i) =>
      Math.floor(i / periods) >= 15 && i % periods === 4
        ? Number.NaN
        : random() + (i === 2 * periods + 4 ? 0.8 : 0),
    );
    const p: CsPanel = { units, periods, y, group };
    const ri = randomizationInference(p, { permutations: 9999, seed: 3 });
    // Exact: the treated unit's cohort on each unit in turn; event time 1 (period 4) is defined only
    // where the unit has period 4.
    const actual = ri.dynamic.find((d) => d.event === 1)!.att;
    let defined = 0;
    let extreme = 0;
    for (let u = 0; u < units; u++) {
      const placebo = randomizationInference(
        { ...p, group: Int32Array.from({ length: units }, (_, v) => (v === u ? 3 : -1)) },
        { permutations: 0 },
      );
      const e = placebo.dynamic.find((d) => d.event === 1);
      if (e === undefined) continue;
      defined++;
      if (Math.abs(e.att) >= Math.abs(actual) * (1 - 1e-12)) extreme++;
    }
    expect(defined).toBe(15);
    expect(Math.abs(ri.dynamic.find((d) => d.event === 1)!.p - extreme / defined)).toBeLessThan(0.02);
    // Counting the undefined placebos as not extreme would have halved it.
    expect(extreme / defined).toBeGreaterThan(2 * 0.02 + extreme / units);
  });
});
