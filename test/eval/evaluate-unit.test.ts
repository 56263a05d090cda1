/**
 * `evaluate()` itself, on the real state panel: the estimates equal the estimators' on a panel built
 * from the raw files, the run is identified by its hash, each warning appears exactly when its condition
 * holds, and each refusal carries its JSON path. (The CLI and API tests run it end to end.)
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/error.js';
import { callawaySantAnna, toLong } from '../../src/eval/cs.js';
import { evaluate, type EvaluationSpec } from '../../src/eval/evaluate.js';
import { warningText } from '../../src/eval/evaluation-warnings.js';
import { eventStudy } from '../../src/eval/twfe.js';
import { translator } from '../../src/i18n/index.js';
import { sharedLines } from '../stats/shared-data.js';
import { lmRobust, haveEstimatr } from './r-estimatr.js';
import { EVENTS, POP, STATE, statePanel, stateSpec, stateStatsStore } from './state-panel.js';
import { columns } from './twfe-reference.js';

const spec = (changes: Partial<{ panel: object; estimators: object; title: string }> = {}) =>
  stateSpec({
    title: 'Joint operations, states',
    estimators: { twfe: { leads: 3, lags: 3 }, cs: { draws: 199, permutations: 99 } },
    ...changes,
  });

(STATE && POP && EVENTS ? describe : describe.skip)('evaluate on the state panel', () => {
  const store = stateStatsStore();

  const refusal = async (input: EvaluationSpec) => {
    const error = await evaluate(store(), input, 'test').catch((e: unknown) => e);
    expect(error, JSON.stringify(input.estimators)).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((i) => [i.path, i.message]);
  };

  (haveEstimatr() ? it : it.skip)(
    'reports the intervals R estimatr gives, to 1e-6, when asked for its small-sample convention',
    async () => {
      const leads = 3;
      const lags = 3;
      const run = await evaluate(
        store(),
        spec({ estimators: { twfe: { leads, lags, small_sample: 'estimatr' } } }),
        'test',
      );
      const twfe = run.twfe!;
      expect(twfe.smallSample).toBe('estimatr');
      const panel = await statePanel(STATE!, POP!, EVENTS!);
      const long = toLong(panel);
      const names = twfe.relative.map((r) => (r < 0 ? `m${-r}` : `p${r}`));
      const r = await lmRobust(long, names, columns(long, panel.group, twfe.relative, leads, lags));
      // The reported numbers themselves, as a page, an export or the API gives them.
      for (let a = 0; a < names.length; a++) {
        expect(Math.abs(twfe.coefficients[a]! - r.coef[a]!), names[a]).toBeLessThan(1e-6);
        expect(Math.abs(twfe.se[a]! - r.se[a]!), names[a]).toBeLessThan(1e-6);
        expect(Math.abs(twfe.lower[a]! - r.low[a]!), names[a]).toBeLessThan(1e-6);
        expect(Math.abs(twfe.upper[a]! - r.high[a]!), names[a]).toBeLessThan(1e-6);
      }
      // fixest's convention, the default, counts fewer fixed effects: the same estimates, narrower intervals.
      const fixest = (await evaluate(store(), spec({ estimators: { twfe: { leads, lags } } }), 'test')).twfe!;
      expect(fixest.smallSample).toBe('fixest');
      expect(fixest.coefficients).toEqual(twfe.coefficients);
      for (let a = 0; a < names.length; a++) expect(fixest.se[a]!).toBeLessThan(twfe.se[a]!);
    },
  );

  it('gives the estimators’ estimates on the panel, with 95% intervals and the panel report', async () => {
    const run = await evaluate(store(), spec(), 'test');
    const panel = await statePanel(STATE!, POP!, EVENTS!);
    const es = eventStudy(toLong(panel), panel.group, { leads: 3, lags: 3 });
    expect(run.twfe!.relative).toEqual(es.relative);
    run.twfe!.coefficients.forEach((b, i) => expect(Math.abs(b - es.coefficients[i]!)).toBeLessThan(1e-8));
    run.twfe!.se.forEach((s, i) => expect(Math.abs(s - es.se[i]!)).toBeLessThan(1e-8));
    // Student's t with G − 1 = 31 degrees of freedom (R: qt(0.975, 31) = 2.0395134463964082).
    const z = 2.0395134463964082;
    expect(run.twfe!.critical).toEqual({ t: expect.closeTo(z, 14), df: 31 });
    run.twfe!.lower.forEach((l, i) =>
      expect(l).toBeCloseTo(run.twfe!.coefficients[i]! - z * run.twfe!.se[i]!, 12),
    );
    run.twfe!.upper.forEach((u, i) =>
      expect(u).toBeCloseTo(run.twfe!.coefficients[i]! + z * run.twfe!.se[i]!, 12),
    );
    expect([run.twfe!.n, run.twfe!.clusters]).toEqual([32 * 12, 32]);
    expect(run.twfe!.demeaning.every((d) => d.converged && d.iterations > 0)).toBe(true);
    const cs = callawaySantAnna(panel, { control: 'never', draws: 199, seed: 1 });
    expect(run.cs!.simple.att).toBeCloseTo(cs.simple.att, 12);
    expect(run.cs!.simple.se).toBeCloseTo(cs.simple.se, 12);
    expect(run.cs!.randomization!.permutations).toBe(99);
    expect(run.panel).toMatchObject({
      units: 32,
      periods: 12,
      balanced: true,
      neverTreated: 22,
      rule: 'first',
    });
    expect(run.panel.cohorts).toEqual([
      { period: '2006', units: 1 },
      { period: '2007', units: 8 },
      { period: '2008', units: 1 },
    ]);
    expect([run.title, run.marco, run.specification.estimators.cs!.seed]).toEqual([
      'Joint operations, states',
      'test',
      1,
    ]);
  });

  it('identifies a run by its specification, the data and the version', async () => {
    const a = await evaluate(store(), spec({ estimators: { twfe: { leads: 2, lags: 2 } } }), 'test');
    const again = await evaluate(store(), spec({ estimators: { twfe: { leads: 2, lags: 2 } } }), 'test');
    const other = await evaluate(store(), spec({ estimators: { twfe: { leads: 2, lags: 3 } } }), 'test');
    const newer = await evaluate(store(), spec({ estimators: { twfe: { leads: 2, lags: 2 } } }), 'test-2');
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(again.hash).toBe(a.hash);
    expect(new Set([a.hash, other.hash, newer.hash]).size).toBe(3);
    expect(a.cs).toBeUndefined();
  });

  it('warns of few treated units, a rejected pre-trend test and ignored events, and says so in both languages', async () => {
    // Ten operations states: not "few" (fewer than 10); the pre-trend test rejects (the operations went
    // where violence was rising); 32 clusters are enough; municipal events are ignored by a state panel.
    const run = await evaluate(store(), spec(), 'test');
    const municipal = (await sharedLines(EVENTS!))
      .slice(1)
      .map((l) => l.split(','))
      .filter((f) => f[1] === 'military_operation' && f[4] === 'municipality')
      .map((f) => f[0]!);
    expect(municipal.length).toBeGreaterThan(1);
    expect(run.warnings).toEqual([
      // The F test's p-value, not the χ² one beside it.
      { code: 'pretrend', p: run.twfe!.pretrend.f!.p },
      { code: 'ignored_events', events: municipal },
    ]);
    expect(run.twfe!.pretrend.p).toBeLessThan(0.05);
    // One operation, one treated state: few treated units, judged by randomization inference when CS runs.
    const one = await evaluate(
      store(),
      spec({
        panel: { treatment: { events: ['op-michoacan'] } },
        estimators: { cs: { draws: 99, permutations: 99 } },
      }),
      'test',
    );
    expect(one.warnings).toEqual([{ code: 'few_treated', treated: 1, randomization: true }]);
    const noRi = await evaluate(
      store(),
      spec({
        panel: { treatment: { events: ['op-michoacan'] } },
        estimators: { twfe: { leads: 2, lags: 2 } },
      }),
      'test',
    );
    expect(noRi.warnings[0]).toEqual({ code: 'few_treated', treated: 1, randomization: false });
    const t = { en: translator('en'), es: translator('es') };
    expect(warningText(t.en, 'en', { code: 'few_clusters', clusters: 8 })).toContain('8');
    expect(warningText(t.es, 'es', { code: 'pretrend', p: 0.00053462 })).toContain('0.001');
    expect(warningText(t.en, 'en', { code: 'ignored_events', events: ['a', 'b'] })).toContain('a, b');
    expect(warningText(t.en, 'en', { code: 'interpolated', cells: 12 })).toContain('12');
    expect(warningText(t.en, 'en', { code: 'few_treated', treated: 4, randomization: true })).not.toBe(
      warningText(t.en, 'en', { code: 'few_treated', treated: 4, randomization: false }),
    );
  });

  it('refuses what the panel cannot give, each with its path', async () => {
    expect(await refusal({ ...spec(), estimators: {} } as EvaluationSpec)).toEqual([
      ['estimators', 'choose at least one estimator: twfe, cs or sdid'],
    ]);
    expect(
      await refusal(spec({ panel: { treatment: { types: ['military_operation'], rule: 'every' } } })),
    ).toEqual([
      [
        'estimators.cs',
        'Callaway–Sant’Anna needs one absorbing treatment per unit: use treatment rule first, or only the twfe estimator for repeated events',
      ],
    ]);
  });
});
