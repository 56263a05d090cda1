/**
 * The evaluation specification as users write it: the defaults it fills in, the bounds it refuses with
 * their path, and the warnings' texts in both languages.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/error.js';
import { parseEvaluationSpec } from '../../src/eval/evaluate.js';
import { warningText } from '../../src/eval/evaluation-warnings.js';
import { translator } from '../../src/i18n/index.js';

const base = {
  marco: 'evaluation/1',
  title: 't',
  panel: {
    outcome: { measure: 'homicides' },
    level: 'state',
    by: 'year',
    from: '2001',
    to: '2012',
    treatment: { types: ['military_operation'] },
  },
};
const issues = (estimators: object) => {
  try {
    parseEvaluationSpec({ ...base, estimators });
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/^evaluation specification: /);
    return (error as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a refusal');
};

describe('the evaluation specification', () => {
  it('fills in the defaults of each estimator', () => {
    const spec = parseEvaluationSpec({ ...base, estimators: { twfe: { leads: 3, lags: 2 }, cs: {} } });
    expect(spec.estimators).toEqual({
      twfe: { leads: 3, lags: 2, reference: -1, cluster: 'unit', tolerance: 1e-10, max_iterations: 10_000 },
      cs: { control: 'never', draws: 999, seed: 1, permutations: 999 },
    });
    expect(spec.panel).toMatchObject({
      outcome: { measure: 'homicides', scale: 'rate', population: 'published' },
      balance: 'drop',
      treatment: { rule: 'first', exclusion: 0 },
    });
  });

  it('accepts a reference before the event and an event window around it', () => {
    const spec = parseEvaluationSpec({
      ...base,
      estimators: { twfe: { leads: 3, lags: 2, reference: -3 }, cs: { min_event: 0, max_event: 0 } },
    });
    expect(spec.estimators.twfe!.reference).toBe(-3);
    expect(spec.estimators.cs).toMatchObject({ min_event: 0, max_event: 0 });
  });

  it('refuses values out of bounds, each with its path', () => {
    expect(issues({ twfe: { leads: 3, lags: 2, reference: 0 } })).toEqual([
      'estimators.twfe.reference: expected -1 or less',
    ]);
    expect(issues({ cs: { min_event: 1, max_event: -1 } })).toEqual([
      'estimators.cs.min_event: expected 0 or less',
      'estimators.cs.max_event: expected 0 or more',
    ]);
    expect(issues({ twfe: { leads: 0, lags: -1, cluster: 'county' } })).toEqual([
      'estimators.twfe.leads: expected 1 or more',
      'estimators.twfe.lags: expected 0 or more',
      'estimators.twfe.cluster: expected one of "unit", "state"',
    ]);
    expect(issues({ twfe: { leads: 3, lags: 2, small_sample: 'stata' } })).toEqual([
      'estimators.twfe.small_sample: expected one of "fixest", "estimatr"',
    ]);
  });

  it('words each warning from the catalogs, with its figure, in English and Spanish', () => {
    for (const locale of ['en', 'es'] as const) {
      const t = translator(locale);
      const texts = [
        warningText(t, locale, { code: 'few_treated', treated: 4, randomization: true }),
        warningText(t, locale, { code: 'few_treated', treated: 4, randomization: false }),
        warningText(t, locale, { code: 'few_clusters', clusters: 8 }),
        warningText(t, locale, { code: 'interpolated', cells: 12 }),
      ];
      expect(texts[0]).toContain('4');
      expect(texts[1]).toContain('4');
      expect(texts[0]).not.toBe(texts[1]);
      expect(texts[2]).toContain('8');
      expect(texts[3]).toContain('12');
      expect(new Set(texts).size).toBe(4);
      for (const text of texts) expect(text.length).toBeGreaterThan(30);
    }
    expect(
      warningText(translator('en'), 'en', { code: 'few_treated', treated: 4, randomization: true }),
    ).not.toBe(warningText(translator('es'), 'es', { code: 'few_treated', treated: 4, randomization: true }));
  });
});
