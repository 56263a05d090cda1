/**
 * Synthetic DiD with every cohort (`estimators.sdid.cohort: all`), on the real state panel of joint
 * military operations: each cohort's estimate is the one-cohort run's, against the same never-treated
 * donors; the aggregate is their average weighted by treated unit-periods, computed here; the placebo
 * draws repeat from their seed and give every pretend-treated donor a treated unit's adoption period; a
 * cohort without two periods before treatment is refused with its path.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/error.js';
import { evaluate } from '../../../src/eval/evaluate.js';
import { rRandom } from '../../../src/eval/r-random.js';
import { staggeredPlacebo } from '../../../src/eval/synth/staggered.js';
import { EVENTS, POP, STATE, statePanel, stateSpec, stateStatsStore } from '../state-panel.js';

const spec = (sdid: object, panel: object = {}) =>
  stateSpec({ title: 'Joint operations, staggered synthetic DiD', estimators: { sdid }, panel });

(STATE && POP && EVENTS ? describe : describe.skip)('synthetic DiD with every cohort (state panel)', () => {
  const store = stateStatsStore();

  it('averages each cohort’s own estimate by its treated unit-periods', async () => {
    const run = await evaluate(store(), spec({ cohort: 'all', placebo: 20, seed: 4 }), 'test');
    const s = run.sdid!;
    const cohorts = s.cohorts!;
    expect(cohorts.map((c) => c.cohort)).toEqual(run.panel.cohorts.map((c) => c.period));
    const periods = run.panel.periods;
    const sizes = cohorts.map((c) => c.treated.length * (periods - run.panel.labels.indexOf(c.cohort)));
    const total = sizes.reduce((a, v) => a + v, 0);
    cohorts.forEach((c, i) => expect(c.weight).toBeCloseTo(sizes[i]! / total, 12));
    for (const [m, method] of s.methods.entries()) {
      expect(method.estimate).toBeCloseTo(
        cohorts.reduce((a, c) => a + c.weight * c.estimates[m]!.estimate, 0),
        12,
      );
      expect(method.se).toBeGreaterThan(0);
    }
    // Each cohort's estimate is the one-cohort run's.
    for (const c of cohorts) {
      const one = await evaluate(store(), spec({ cohort: c.cohort, placebo: 0 }), 'test');
      for (const [m, e] of c.estimates.entries())
        expect(e.estimate).toBeCloseTo(one.sdid!.methods[m]!.estimate, 10);
      expect(one.sdid!.donors).toBe(s.donors);
    }
    expect(s.treated).toHaveLength(run.panel.units - run.panel.neverTreated);
  });

  it('draws its placebos from the seed, each pretend-treated donor with a treated unit’s adoption period', async () => {
    const raw = await statePanel(STATE!, POP!, EVENTS!);
    const donors = [...raw.group.keys()].filter((i) => raw.group[i]! < 0);
    const gs = [...new Set(raw.group)].filter((g) => g >= 0).sort((a, b) => a - b);
    const cohorts = gs.map((g) => ({ g, units: [...raw.group.keys()].filter((i) => raw.group[i] === g) }));
    const run = (seed: number) => {
      const runs = staggeredPlacebo(raw, donors, cohorts, 'did', 15, rRandom(seed).sample);
      for (;;) {
        const next = runs.next();
        if (next.done) return next.value;
      }
    };
    const a = run(9);
    expect(run(9).estimates).toEqual(a.estimates);
    expect(run(10).estimates).not.toEqual(a.estimates);
    // With no true effect among donors, the placebo estimates centre near zero.
    expect(Math.abs(a.estimates.reduce((x, v) => x + v, 0) / a.estimates.length)).toBeLessThan(3 * a.se);
    expect(
      () => run(1) && staggeredPlacebo(raw, donors.slice(0, 3), cohorts, 'did', 1, rRandom(1).sample).next(),
    ).toThrow(/more donors than treated units/);
  });

  it('refuses a cohort without two periods before treatment, naming it', async () => {
    const error = await evaluate(store(), spec({ cohort: 'all' }, { from: '2006' }), 'test').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    const issue = (error as ValidationError).issues[0]!;
    expect(issue.path).toBe('estimators.sdid.cohort');
    expect(issue.message).toMatch(/cohort 2007 has fewer than two periods before treatment/);
  });
});
