import { describe, it, expect } from 'vitest';
import {
  GAO_PRACTICES,
  PRACTICE_STATES,
  complianceScore,
  portfolioCompliance,
  practiceConsistency,
} from './practices.js';
import type { PracticeKey, PracticeRecord, PracticeState } from './practices.js';

const all = (state: PracticeState): PracticeRecord[] =>
  GAO_PRACTICES.map((practice) => ({ practice, state }));

describe('constants', () => {
  it('lists the eight practices and five states', () => {
    expect(GAO_PRACTICES).toHaveLength(8);
    expect(new Set(GAO_PRACTICES).size).toBe(8);
    expect([...PRACTICE_STATES].sort()).toEqual([
      'met',
      'not_applicable',
      'not_assessed',
      'not_met',
      'partial',
    ]);
  });
});

describe('complianceScore', () => {
  it('all met → 1', () => {
    expect(complianceScore(all('met'))).toEqual({
      score: 1,
      met: 8,
      partial: 0,
      notMet: 0,
      notAssessed: 0,
      notApplicable: 0,
      applicable: 8,
    });
  });

  it('no records → every practice not assessed, score 0', () => {
    expect(complianceScore([])).toEqual({
      score: 0,
      met: 0,
      partial: 0,
      notMet: 0,
      notAssessed: 8,
      notApplicable: 0,
      applicable: 8,
    });
  });

  it('mixes states, excludes not_applicable and counts missing practices as not assessed', () => {
    const s = complianceScore([
      { practice: 'staff_assigned', state: 'met' },
      { practice: 'plan_goals_objectives', state: 'met' },
      { practice: 'plan_risks', state: 'partial' },
      { practice: 'indicators_baselines_targets', state: 'not_met' },
      { practice: 'partner_data_verified', state: 'not_applicable' },
      { practice: 'closeout_evaluation', state: 'not_assessed' },
      // performance_data_tracked and corrective_actions missing
    ]);
    expect(s).toMatchObject({
      met: 2,
      partial: 1,
      notMet: 1,
      notAssessed: 3,
      notApplicable: 1,
      applicable: 7,
    });
    expect(s.score).toBeCloseTo(2.5 / 7, 10);
  });

  it('null when nothing applies', () => {
    expect(complianceScore(all('not_applicable'))).toMatchObject({
      score: null,
      applicable: 0,
      notApplicable: 8,
    });
  });

  it('throws on a duplicate practice, naming it', () => {
    expect(() =>
      complianceScore([
        { practice: 'plan_risks', state: 'met' },
        { practice: 'plan_risks', state: 'not_met' },
      ]),
    ).toThrow(/plan_risks/);
  });

  it('throws on unknown practices or states from untyped data', () => {
    expect(() => complianceScore([{ practice: 'bogus' as PracticeKey, state: 'met' }])).toThrow(/bogus/);
    expect(() => complianceScore([{ practice: 'plan_risks', state: 'done' as PracticeState }])).toThrow(
      /done/,
    );
  });
});

describe('portfolioCompliance', () => {
  it('averages program scores and counts met per practice among applicable programs', () => {
    const p = portfolioCompliance([
      { code: 'A', practices: all('met') }, // 1
      {
        code: 'B',
        practices: [
          { practice: 'staff_assigned', state: 'met' },
          { practice: 'plan_risks', state: 'not_applicable' },
        ],
      }, // 1/7
      { code: 'C', practices: all('not_applicable') }, // null, left out of the mean
    ]);
    expect(p.programs).toBe(3);
    expect(p.score).toBeCloseTo((1 + 1 / 7) / 2, 10);
    expect(p.byPractice.staff_assigned).toEqual({ met: 2, applicable: 2, share: 1 });
    expect(p.byPractice.plan_risks).toEqual({ met: 1, applicable: 1, share: 1 });
    expect(p.byPractice.corrective_actions.met).toBe(1);
    expect(p.byPractice.corrective_actions.applicable).toBe(2);
    expect(p.byPractice.corrective_actions.share).toBeCloseTo(0.5, 10);
    expect(Object.keys(p.byPractice).sort()).toEqual([...GAO_PRACTICES].sort());
  });

  it('empty portfolio', () => {
    const p = portfolioCompliance([]);
    expect(p.score).toBeNull();
    expect(p.programs).toBe(0);
    expect(p.byPractice.staff_assigned).toEqual({ met: 0, applicable: 0, share: null });
  });

  it('propagates duplicate-practice errors', () => {
    expect(() =>
      portfolioCompliance([
        {
          code: 'A',
          practices: [
            { practice: 'corrective_actions', state: 'met' },
            { practice: 'corrective_actions', state: 'met' },
          ],
        },
      ]),
    ).toThrow(/corrective_actions/);
  });
});

describe('practiceConsistency', () => {
  const met: PracticeRecord[] = [{ practice: 'indicators_baselines_targets', state: 'met' }];

  it('flags each indicator without a baseline or targets when the practice is claimed met', () => {
    const flags = practiceConsistency(met, [
      { code: 'OK', hasBaseline: true, targetCount: 3 },
      { code: 'NO-BASE', hasBaseline: false, targetCount: 2 },
      { code: 'NO-TGT', hasBaseline: true, targetCount: 0 },
      { code: 'NEITHER', hasBaseline: false, targetCount: 0 },
    ]);
    expect(flags).toEqual([
      { practice: 'indicators_baselines_targets', code: 'NO-BASE' },
      { practice: 'indicators_baselines_targets', code: 'NO-TGT' },
      { practice: 'indicators_baselines_targets', code: 'NEITHER' },
    ]);
  });

  it('flags a met claim with no indicators at all', () => {
    expect(practiceConsistency(met, [])).toEqual([{ practice: 'indicators_baselines_targets', code: '' }]);
  });

  it('does not flag when the claim is not met or the data agrees', () => {
    const bad = [{ code: 'X', hasBaseline: false, targetCount: 0 }];
    expect(
      practiceConsistency([{ practice: 'indicators_baselines_targets', state: 'partial' }], bad),
    ).toEqual([]);
    expect(practiceConsistency([], bad)).toEqual([]);
    expect(practiceConsistency([{ practice: 'staff_assigned', state: 'met' }], [])).toEqual([]);
    expect(practiceConsistency(met, [{ code: 'OK', hasBaseline: true, targetCount: 1 }])).toEqual([]);
  });
});
