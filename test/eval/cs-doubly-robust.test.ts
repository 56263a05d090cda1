/**
 * Callaway–Sant'Anna with covariates (the doubly robust estimator of Sant'Anna and Zhao 2020) and with
 * not-yet-treated controls, on a planted-effect panel with missing cells: every ATT(g,t) and its influence
 * function agree with the dense reference of cs-dr-reference.ts to 1e-8; with enough units the planted
 * effect is recovered where the estimator without covariates is biased; and what cannot be estimated is
 * refused with its cohort and period.
 */
import { describe, expect, it } from 'vitest';
import { callawaySantAnna } from '../../src/eval/cs.js';
import { prng } from '../../src/eval/random.js';
import { attCells } from '../../src/eval/cs/att-gt.js';
import { design, doublyRobust } from '../../src/eval/cs/doubly-robust.js';
import { drdidPanel, drReference, plantedPanel, trimmedComparison } from './cs-dr-reference.js';
import { reference, smallPanel } from './cs-reference.js';

const covariatesOf = (rows: number[][]) => ({ values: Float64Array.from(rows.flat()), k: rows[0]!.length });

describe('Callaway–Sant’Anna, doubly robust, against the dense reference', () => {
  const { panel, covariates } = plantedPanel(120, 11, 5);
  for (const control of ['never', 'notyet'] as const)
    it(`agrees on every ATT(g,t) and influence function to 1e-8 (${control}-treated controls, 5 cells missing)`, () => {
      const expected = drReference(panel, covariates, control);
      const cells = attCells(panel, panel.group, { control, covariates: covariatesOf(covariates) });
      expect(cells.attgt.map((a) => [a.group, a.period])).toEqual(expected.map((c) => [c.group, c.period]));
      // The panel is not trivially small: three cohorts, every period, and the two kinds differ.
      expect(expected.length).toBe(3 * 7);
      let largest = 0;
      cells.attgt.forEach((a, i) => {
        const e = expected[i]!;
        expect(Math.abs(a.att - e.att)).toBeLessThan(1e-8);
        cells.influence[i]!.forEach((p, u) => {
          expect(Math.abs(p - e.psi[u]!)).toBeLessThan(1e-8);
          largest = Math.max(largest, Math.abs(p));
        });
      });
      expect(largest).toBeGreaterThan(1);
      // The aggregates are the reference's cells weighted by cohort size.
      const result = callawaySantAnna(panel, { control, covariates: covariatesOf(covariates), draws: 99 });
      const size = (g: number) => [...panel.group].filter((x) => x === g).length;
      const post = expected.filter((c) => c.period >= c.group);
      const simple =
        post.reduce((s, c) => s + size(c.group) * c.att, 0) / post.reduce((s, c) => s + size(c.group), 0);
      expect(Math.abs(result.simple.att - simple)).toBeLessThan(1e-8);
      expect(result.doublyRobust).toEqual({ covariates: 2, trimmed: 0 });
    });

  it('agrees where the trimming and the cap act, to 1e-8', () => {
    let trimmedSomewhere = 0;
    for (const seed of [1, 2, 3]) {
      const { x, d, dy, args } = trimmedComparison(seed);
      const expected = drdidPanel(dy, d, x);
      const got = doublyRobust(args[0], design(args[1], args[2], args[3], args[4]));
      trimmedSomewhere += got.trimmed;
      expect(Math.abs(got.att - expected.att)).toBeLessThan(1e-8);
      got.psi.forEach((p, i) => expect(Math.abs(p - expected.inf[i]!)).toBeLessThan(1e-8));
    }
    expect(trimmedSomewhere).toBeGreaterThan(0);
  });

  it('not-yet-treated controls differ from never-treated ones where later cohorts join them', () => {
    const never = attCells(panel, panel.group, { control: 'never', covariates: covariatesOf(covariates) });
    const notyet = attCells(panel, panel.group, { control: 'notyet', covariates: covariatesOf(covariates) });
    const cell = (c: typeof never, g: number, t: number) =>
      c.attgt.find((a) => a.group === g && a.period === t)!;
    expect(cell(notyet, 3, 3).controls).toBeGreaterThan(cell(never, 3, 3).controls);
    expect(cell(notyet, 3, 3).att).not.toBeCloseTo(cell(never, 3, 3).att, 6);
    // After the last cohort is treated, no one is not yet treated: the two agree.
    expect(cell(notyet, 3, 7).att).toBeCloseTo(cell(never, 3, 7).att, 12);
  });

  it('without covariates, not-yet-treated controls agree with the difference-of-means reference to 1e-8', () => {
    const small = smallPanel(true);
    const expected = reference(small, 'notyet', 9, 1);
    const cells = attCells(small, small.group, { control: 'notyet' });
    expect(cells.attgt.length).toBe(expected.attgt.length);
    cells.attgt.forEach((a, i) => expect(Math.abs(a.att - expected.attgt[i]!.att)).toBeLessThan(1e-8));
  });

  it('gives the same estimates for any affine change of a covariate (it is centred and scaled inside)', () => {
    const shifted = covariates.map(([a, b]) => [1000 + 250 * a!, b!]);
    const one = callawaySantAnna(panel, { covariates: covariatesOf(covariates), draws: 99 });
    const two = callawaySantAnna(panel, { covariates: covariatesOf(shifted), draws: 99 });
    one.attgt.forEach((a, i) => expect(two.attgt[i]!.att).toBeCloseTo(a.att, 9));
  });
});

describe('Callaway–Sant’Anna, doubly robust, on a large planted panel', () => {
  it('recovers the planted effect, where the estimator without covariates is biased', () => {
    const { panel, covariates, effect } = plantedPanel(3000, 5);
    const dr = callawaySantAnna(panel, { covariates: covariatesOf(covariates), draws: 199 });
    const plain = callawaySantAnna(panel, { draws: 199 });
    for (const e of [0, 1, 2]) {
      const truth = effect(3, 3 + e);
      const d = dr.dynamic.find((x) => x.event === e)!;
      const p = plain.dynamic.find((x) => x.event === e)!;
      // Within three standard errors of the truth, with covariates; far from it without them.
      expect(Math.abs(d.att - truth)).toBeLessThan(3 * d.se);
      expect(Math.abs(p.att - truth)).toBeGreaterThan(10 * p.se);
    }
    // Before treatment, the DR estimates are near zero (conditional parallel trends hold); without
    // covariates the pre-trends show the bias.
    const pre = dr.dynamic.filter((x) => x.event < 0);
    for (const d of pre) expect(Math.abs(d.att)).toBeLessThan(3 * d.se);
    expect(plain.dynamic.filter((x) => x.event < 0).some((d) => Math.abs(d.att) > 5 * d.se)).toBe(true);
  });
});

describe('Callaway–Sant’Anna, doubly robust, refuses what it cannot estimate', () => {
  const { panel, covariates } = plantedPanel(120, 11);
  it('a covariate that does not vary', () => {
    const flat = covariates.map(([a]) => [a!, 3]);
    expect(() => callawaySantAnna(panel, { covariates: covariatesOf(flat), draws: 99 })).toThrow(
      /covariate 2 has the same value for every unit/,
    );
  });

  it('treated units that the covariates separate from the controls, naming the cohort and period', () => {
    // A covariate that is the treatment itself: the propensity score runs to 0 and 1.
    const separating = covariates.map(([a], u) => [a!, panel.group[u]! > 0 ? 1 : 0]);
    expect(() =>
      callawaySantAnna(panel, {
        covariates: covariatesOf(separating),
        draws: 99,
        labels: ['2000', '2001', '2002', '2003', '2004', '2005', '2006', '2007'],
      }),
    ).toThrow(/cohort 2003.*period 2001.*separate/);
  });

  it('more covariates than the comparison’s controls can fit', () => {
    // Three never-treated units are left: an intercept and two covariates need four.
    const never = [...panel.group.keys()].filter((u) => panel.group[u] === -1);
    const group = Int32Array.from(panel.group, (g, u) => (g === -1 && never.indexOf(u) >= 3 ? 3 : g));
    expect(() =>
      callawaySantAnna({ ...panel, group }, { covariates: covariatesOf(covariates), draws: 99 }),
    ).toThrow(/has 3 controls, too few for 2 covariates/);
  });

  it('a comparison whose every control the trimming leaves out (no overlap), never a NaN estimate', () => {
    // 3,000 treated units and 4 controls: every control's score is at least 0.995.
    const random = prng(4);
    const units = 3004;
    const group = Int32Array.from({ length: units }, (_, u) => (u < 4 ? -1 : 2));
    const y = Float64Array.from({ length: units * 4 }, () => random());
    const values = Float64Array.from({ length: units }, () => random());
    expect(() =>
      callawaySantAnna({ units, periods: 4, y, group }, { covariates: { values, k: 1 }, draws: 99 }),
    ).toThrow(/every control of cohort 2 at period 1 has a propensity score of 0.995 or more/);
  });

  it('a panel where no cohort has a comparison after its treatment, never an effect of zero', () => {
    // The treated units miss every period from their treatment on (an unbalanced panel).
    const { panel } = plantedPanel(120, 11);
    const y = Float64Array.from(panel.y, (v, i) => {
      const g = panel.group[Math.floor(i / panel.periods)]!;
      return g > 0 && i % panel.periods >= g ? Number.NaN : v;
    });
    expect(() => callawaySantAnna({ ...panel, y }, { draws: 99 })).toThrow(
      /no cohort has a comparison after its treatment/,
    );
  });
});
