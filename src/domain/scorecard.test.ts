import { describe, it, expect } from 'vitest';
import { DEFAULT_THRESHOLDS } from './score-types.js';
import { percentMet, scoreIndicator, statusOf } from './scorecard.js';
import { coarsestLevel } from './aggregation.js';
import { indicator, res } from '../../test/fixtures/scores.js';

describe('percentMet', () => {
  describe('decrease-is-better (homicide rate, baseline 24, target 20)', () => {
    const cases: [number, number][] = [
      [22, 0.5],
      [24, 0],
      [26, -0.5],
      [18, 1.5],
      [20, 1],
    ];
    it.each(cases)('actual %d → %d', (actual, expected) => {
      const p = percentMet(actual, 24, 20, 'decrease');
      expect(p.value).toBeCloseTo(expected, 10);
      expect(p.reason).toBeNull();
    });

    it('statuses with default thresholds', () => {
      const s = (a: number) => statusOf(percentMet(a, 24, 20, 'decrease'));
      expect(s(22)).toBe('red'); // 0.5 < 0.7
      expect(s(24)).toBe('red');
      expect(s(26)).toBe('red');
      expect(s(18)).toBe('green');
      expect(s(20.4)).toBe('green'); // 0.9 exactly
      expect(s(21)).toBe('amber'); // 0.75
    });

    it('statuses with custom thresholds', () => {
      const t = { green: 0.5, amber: 0 };
      const s = (a: number) => statusOf(percentMet(a, 24, 20, 'decrease'), t);
      expect(s(22)).toBe('green'); // 0.5 >= 0.5
      expect(s(24)).toBe('amber'); // 0 >= 0
      expect(s(26)).toBe('red'); // -0.5
      expect(s(18)).toBe('green');
    });

    it('needs a baseline', () => {
      expect(percentMet(22, null, 20, 'decrease')).toEqual({ value: null, reason: 'missing-baseline' });
    });
  });

  describe('increase targets', () => {
    it('with a baseline', () => {
      const p = percentMet(70, 50, 90, 'increase');
      expect(p.value).toBeCloseTo(0.5, 10);
      expect(p.reason).toBeNull();
      expect(percentMet(40, 50, 90, 'increase').value).toBeCloseTo(-0.25, 10);
    });

    it('without a baseline falls back to actual/target', () => {
      const p = percentMet(45, null, 60, 'increase');
      expect(p.value).toBeCloseTo(0.75, 10);
      expect(p.reason).toBeNull();
    });
  });

  describe('target equal to baseline (maintain)', () => {
    it('increase: at or above is met, below is not', () => {
      expect(percentMet(100, 100, 100, 'increase')).toEqual({ value: 1, reason: 'target-equals-baseline' });
      expect(percentMet(120, 100, 100, 'increase')).toEqual({ value: 1, reason: 'target-equals-baseline' });
      expect(percentMet(99, 100, 100, 'increase')).toEqual({ value: 0, reason: 'target-equals-baseline' });
    });

    it('decrease: at or below is met, above is not', () => {
      expect(percentMet(20, 20, 20, 'decrease')).toEqual({ value: 1, reason: 'target-equals-baseline' });
      expect(percentMet(15, 20, 20, 'decrease')).toEqual({ value: 1, reason: 'target-equals-baseline' });
      expect(percentMet(21, 20, 20, 'decrease')).toEqual({ value: 0, reason: 'target-equals-baseline' });
    });

    it('increase with no baseline and a zero target is also a maintain target', () => {
      expect(percentMet(0, null, 0, 'increase')).toEqual({ value: 1, reason: 'target-equals-baseline' });
    });

    it('maps to green/red', () => {
      expect(statusOf(percentMet(20, 20, 20, 'decrease'))).toBe('green');
      expect(statusOf(percentMet(21, 20, 20, 'decrease'))).toBe('red');
    });
  });

  it('missing and non-finite inputs', () => {
    expect(percentMet(null, 24, 20, 'decrease')).toEqual({ value: null, reason: 'missing-actual' });
    expect(percentMet(Number.NaN, 24, 20, 'decrease')).toEqual({ value: null, reason: 'missing-actual' });
    expect(percentMet(22, 24, null, 'decrease')).toEqual({ value: null, reason: 'missing-target' });
    expect(percentMet(22, 24, Infinity, 'decrease')).toEqual({ value: null, reason: 'missing-target' });
    expect(percentMet(22, Number.NaN, 20, 'decrease')).toEqual({ value: null, reason: 'missing-baseline' });
    expect(percentMet(30, Number.NaN, 60, 'increase').value).toBeCloseTo(0.5, 10);
  });
});

describe('statusOf', () => {
  it('uses the default thresholds at their boundaries', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ green: 0.9, amber: 0.7 });
    expect(statusOf({ value: 0.9, reason: null })).toBe('green');
    expect(statusOf({ value: 0.8999, reason: null })).toBe('amber');
    expect(statusOf({ value: 0.7, reason: null })).toBe('amber');
    expect(statusOf({ value: 0.6999, reason: null })).toBe('red');
    expect(statusOf({ value: null, reason: 'missing-actual' })).toBe('no_data');
  });

  it('rejects invalid thresholds', () => {
    expect(() => statusOf({ value: 1, reason: null }, { green: 0.5, amber: 0.8 })).toThrow(RangeError);
    expect(() => statusOf({ value: 1, reason: null }, { green: 0.5, amber: 0.8 })).toThrow(/amber/);
    expect(() => statusOf({ value: 1, reason: null }, { green: Number.NaN, amber: 0.5 })).toThrow(RangeError);
    expect(() => statusOf({ value: null, reason: null }, { green: 1, amber: -Infinity })).toThrow(RangeError);
    expect(statusOf({ value: 0.5, reason: null }, { green: 0.5, amber: 0.5 })).toBe('green');
  });
});

describe('guards against misleading scores', () => {
  it('refuses to score a target on the wrong side of the baseline', () => {
    expect(percentMet(30, 20, 24, 'decrease')).toEqual({
      value: null,
      reason: 'target-contradicts-direction',
    });
    expect(percentMet(10, 20, 16, 'increase')).toEqual({
      value: null,
      reason: 'target-contradicts-direction',
    });
  });

  it('never adds a national figure to the state figures inside it', () => {
    const rs = [
      res('2017', 80, { place: 'MX' }),
      res('2017', 30, { place: '09' }),
      res('2017', 5, { place: '09015' }),
    ];
    expect(coarsestLevel(rs).map((r) => r.value)).toEqual([80]);
    expect(coarsestLevel(rs.slice(1)).map((r) => r.value)).toEqual([30]);
    const ind = indicator({ targets: [{ period: '2017', value: 100, place: null }] });
    expect(scoreIndicator(ind, rs).periods[0]!.actual).toBe(80);
    const stateTarget = indicator({ targets: [{ period: '2017', value: 100, place: '09' }] });
    expect(scoreIndicator(stateTarget, rs).periods[0]!.actual).toBe(30);
  });
});

describe('scoreIndicator', () => {
  it('scores a decrease target on a rate from official statistics', () => {
    const ind = indicator({
      code: 'HOM-RATE',
      direction: 'decrease',
      aggregation: 'ratio_of_sums',
      factor: 100_000,
      baseline: { value: 24, period: '2016' },
      targets: [
        { period: '2018', value: 20, place: null },
        { period: '2017', value: 22, place: null },
      ],
      lopTarget: 20,
    });
    const results = [
      // 2017: 22 per 100k overall → exactly the target for 2017
      res('2017', 20, { place: 'A', numerator: 20, denominator: 100_000 }),
      res('2017', 22.67, { place: 'B', numerator: 68, denominator: 300_000 }),
      // 2018: 106 / 400,000 = 26.5 per 100k → got worse
      res('2018', 26, { place: 'A', numerator: 26, denominator: 100_000 }),
      res('2018', 26.67, { place: 'B', numerator: 80, denominator: 300_000 }),
    ];
    const s = scoreIndicator(ind, results);
    expect(s.periods.map((p) => p.period)).toEqual(['2017', '2018']);
    const [y17, y18] = s.periods;
    expect(y17!.actual).toBeCloseTo(22, 10);
    expect(y17!.percentMet).toBeCloseTo(1, 10);
    expect(y17!.status).toBe('green');
    expect(y17!.results).toBe(2);
    expect(y17!.baseline).toBe(24);
    expect(y18!.actual).toBeCloseTo(26.5, 10);
    expect(y18!.percentMet).toBeCloseTo(-0.625, 10);
    expect(y18!.status).toBe('red');
    expect(s.status).toBe('red');
    expect(s.latestPeriod).toBe('2018');
    // LOP: 194 deaths / 800,000 → 24.25 per 100k; (24.25 − 24)/(20 − 24) = −0.0625
    expect(s.lop.actual).toBeCloseTo(24.25, 10);
    expect(s.lop.percentMet).toBeCloseTo(-0.0625, 10);
    expect(s.lop.status).toBe('red');
  });

  it('custom thresholds flow through to period statuses', () => {
    const ind = indicator({
      direction: 'decrease',
      aggregation: 'mean',
      baseline: { value: 24, period: null },
      targets: [{ period: '2017', value: 20, place: null }],
    });
    const rs = [res('2017', 22)];
    expect(scoreIndicator(ind, rs).periods[0]!.status).toBe('red');
    expect(scoreIndicator(ind, rs, { green: 0.5, amber: 0.25 }).periods[0]!.status).toBe('green');
    expect(scoreIndicator(ind, rs, { green: 0.6, amber: 0.5 }).status).toBe('amber');
    expect(() => scoreIndicator(ind, rs, { green: 0.1, amber: 0.5 })).toThrow(RangeError);
  });

  it('no results in a target period → no_data with missing-actual', () => {
    const ind = indicator({
      baseline: { value: 0, period: null },
      targets: [
        { period: '2017', value: 100, place: null },
        { period: '2018', value: 100, place: null },
      ],
    });
    const s = scoreIndicator(ind, [res('2017-Q2', 95)]);
    expect(s.periods[0]!.status).toBe('green');
    expect(s.periods[1]).toMatchObject({
      actual: null,
      percentMet: null,
      status: 'no_data',
      reason: 'missing-actual',
      results: 0,
    });
    // Overall status falls back to the latest period that has data.
    expect(s.status).toBe('green');
    expect(s.latestPeriod).toBe('2017');

    const empty = scoreIndicator(ind, []);
    expect(empty.status).toBe('no_data');
    expect(empty.latestPeriod).toBeNull();
    expect(empty.lop).toEqual({
      target: null,
      actual: null,
      percentMet: null,
      status: 'no_data',
      reason: 'missing-actual',
    });
  });

  it('rolls quarterly results into an annual target with sum', () => {
    const ind = indicator({
      aggregation: 'sum',
      baseline: null,
      targets: [{ period: '2017', value: 100, place: null }],
      lopTarget: 200,
    });
    const rs = [
      res('2017-Q1', 20),
      res('2017-Q2', 25),
      res('2017-Q3', 15),
      res('2017-Q4', 20),
      res('2018-Q1', 40),
    ];
    const s = scoreIndicator(ind, rs);
    expect(s.periods[0]).toMatchObject({ actual: 80, results: 4, status: 'amber' });
    expect(s.periods[0]!.percentMet).toBeCloseTo(0.8, 10);
    // LOP is cumulative across all periods: 120 / 200
    expect(s.lop.actual).toBe(120);
    expect(s.lop.percentMet).toBeCloseTo(0.6, 10);
    expect(s.lop.status).toBe('red');
  });

  it('rolls quarterly results into an annual target with latest', () => {
    const ind = indicator({
      code: 'FAC-ACCRED',
      aggregation: 'latest',
      baseline: { value: 2, period: '2016' },
      targets: [
        { period: '2017', value: 12, place: null },
        { period: '2018', value: 20, place: null },
      ],
      lopTarget: 22,
    });
    const rs = [
      res('2017-Q1', 3, { place: 'CHH' }),
      res('2017-Q4', 6, { place: 'CHH' }),
      res('2017-Q2', 4, { place: 'SON' }),
      res('2017-Q3', 5, { place: 'SON' }),
      res('2018-Q1', 8, { place: 'CHH' }),
    ];
    const s = scoreIndicator(ind, rs);
    // 2017: CHH 6 + SON 5 = 11 → (11−2)/(12−2) = 0.9
    expect(s.periods[0]!.actual).toBe(11);
    expect(s.periods[0]!.percentMet).toBeCloseTo(0.9, 10);
    expect(s.periods[0]!.status).toBe('green');
    // 2018: only CHH reported: 8 → (8−2)/18
    expect(s.periods[1]!.actual).toBe(8);
    expect(s.periods[1]!.percentMet).toBeCloseTo(6 / 18, 10);
    // LOP latest: CHH 8 (2018-Q1) + SON 5 (2017-Q3) = 13 → (13−2)/(22−2) = 0.55
    expect(s.lop.actual).toBe(13);
    expect(s.lop.percentMet).toBeCloseTo(0.55, 10);
    expect(s.status).toBe('red');
    expect(s.latestPeriod).toBe('2018');
  });

  it('counts results from 2016-10 toward FY2017, not FY2016 or calendar 2017', () => {
    const ind = indicator({
      targets: [
        { period: 'FY2017', value: 10, place: null },
        { period: 'FY2016', value: 10, place: null },
        { period: '2017', value: 10, place: null },
      ],
    });
    const rs = [
      res('2016-10', 4),
      res('2016-Q4', 1),
      res('2017-09', 5),
      res('2017-10', 100),
      res('2016-09', 50),
    ];
    const s = scoreIndicator(ind, rs);
    expect(s.periods.map((p) => p.period)).toEqual(['FY2016', 'FY2017', '2017']);
    const fy17 = s.periods.find((p) => p.period === 'FY2017')!;
    // 2016-Q4 covers 2016-10, so the month is not added again: 2016-Q4 + 2017-09.
    expect(fy17.actual).toBe(6);
    expect(fy17.results).toBe(2);
    expect(s.periods.find((p) => p.period === 'FY2016')!.actual).toBe(50);
    expect(s.periods.find((p) => p.period === '2017')!.actual).toBe(105); // 2017-09 + 2017-10
  });

  it('never adds a period to a wider one that covers it, for the same place', () => {
    const ind = indicator({ targets: [{ period: '2020', value: 10, place: null }] });
    // A yearly figure and its quarters: the year is the figure; the quarters are not added to it.
    const s = scoreIndicator(ind, [
      res('2020', 40),
      res('2020-Q1', 10),
      res('2020-Q2', 12),
      res('2020-06', 3),
    ]);
    expect(s.periods[0]!.actual).toBe(40);
    expect(s.periods[0]!.results).toBe(1);
    // Quarters alone still add up.
    const q = scoreIndicator(ind, [res('2020-Q1', 10), res('2020-Q2', 12)]);
    expect(q.periods[0]!.actual).toBe(22);
  });

  it('does not count a result whose period straddles the target period', () => {
    const ind = indicator({ targets: [{ period: '2017', value: 10, place: null }] });
    const s = scoreIndicator(ind, [res('FY2017', 10)]);
    expect(s.periods[0]!.actual).toBeNull();
  });

  it('scopes targets to a place', () => {
    const ind = indicator({
      baseline: { value: 0, period: null },
      targets: [
        { period: '2017', value: 10, place: 'SON' },
        { period: '2017', value: 30, place: null },
        { period: '2017', value: 20, place: 'CHH' },
      ],
    });
    const rs = [res('2017', 19, { place: 'CHH' }), res('2017', 5, { place: 'SON' })];
    const s = scoreIndicator(ind, rs);
    expect(s.periods.map((p) => p.place)).toEqual([null, 'CHH', 'SON']);
    expect(s.periods[0]).toMatchObject({ actual: 24, status: 'amber' });
    expect(s.periods[1]).toMatchObject({ actual: 19, status: 'green' });
    expect(s.periods[2]).toMatchObject({ actual: 5, status: 'red' });
    // All-places target decides the overall status.
    expect(s.status).toBe('amber');
  });

  it('takes the worst place when the latest period has only place-scoped targets', () => {
    const ind = indicator({
      baseline: { value: 0, period: null },
      targets: [
        { period: '2017', value: 20, place: 'CHH' },
        { period: '2017', value: 10, place: 'SON' },
        { period: '2017', value: 10, place: 'BC' },
      ],
    });
    const rs = [res('2017', 19, { place: 'CHH' }), res('2017', 5, { place: 'SON' })];
    const s = scoreIndicator(ind, rs);
    expect(s.status).toBe('red');
    expect(s.latestPeriod).toBe('2017');
  });

  it('uses disaggregated-only results when they split along one dimension', () => {
    const ind = indicator({
      targets: [{ period: '2017', value: 100, place: null }],
      lopTarget: 100,
    });
    const rs = [
      res('2017-Q1', 30, { disaggregation: { sex: 'f' } }),
      res('2017-Q1', 40, { disaggregation: { sex: 'm' } }),
      res('2017-Q2', 25, { disaggregation: { sex: 'f' } }),
    ];
    const s = scoreIndicator(ind, rs);
    expect(s.periods[0]!.actual).toBe(95);
    expect(s.periods[0]!.status).toBe('green');
    expect(s.lop.actual).toBe(95);

    // A total for a period replaces that period's breakdown (no double counting); other periods keep theirs.
    const withTotal = scoreIndicator(ind, [...rs, res('2017-Q1', 60)]);
    expect(withTotal.periods[0]!.actual).toBe(60 + 25);

    // Two different dimensions in one period cannot be added up: that period drops out.
    const mixed = scoreIndicator(ind, [...rs, res('2017-Q2', 5, { disaggregation: { area: 'rural' } })]);
    expect(mixed.periods[0]!.actual).toBe(70);
    const onlyMixed = scoreIndicator(ind, [
      res('2017', 5, { disaggregation: { area: 'rural' } }),
      res('2017', 5, { disaggregation: { sex: 'f' } }),
    ]);
    expect(onlyMixed.periods[0]!.actual).toBeNull();
    expect(onlyMixed.status).toBe('no_data');
  });

  it('reports missing-components and missing-baseline reasons', () => {
    const rate = indicator({
      direction: 'decrease',
      aggregation: 'ratio_of_sums',
      factor: 100_000,
      baseline: null,
      targets: [{ period: '2017', value: 20, place: null }],
    });
    const s = scoreIndicator(rate, [res('2017', 18, { place: 'A' }), res('2017', 22, { place: 'B' })]);
    expect(s.periods[0]).toMatchObject({
      actual: null,
      status: 'no_data',
      reason: 'missing-components',
      results: 2,
    });
    const s2 = scoreIndicator(rate, [res('2017', 18, { place: 'A' })]);
    expect(s2.periods[0]).toMatchObject({
      actual: 18,
      percentMet: null,
      status: 'no_data',
      reason: 'missing-baseline',
    });
    expect(s2.lop.reason).toBe('missing-target');
  });

  it('explains a maintain target', () => {
    const ind = indicator({
      direction: 'decrease',
      baseline: { value: 5, period: null },
      targets: [{ period: '2017', value: 5, place: null }],
    });
    expect(scoreIndicator(ind, [res('2017', 4)]).periods[0]).toMatchObject({
      percentMet: 1,
      status: 'green',
      reason: 'target-equals-baseline',
    });
    expect(scoreIndicator(ind, [res('2017', 6)]).periods[0]).toMatchObject({ percentMet: 0, status: 'red' });
  });

  it('never throws on unparseable periods', () => {
    const ind = indicator({
      targets: [
        { period: 'sometime', value: 10, place: null },
        { period: '2017', value: 10, place: null },
      ],
    });
    const s = scoreIndicator(ind, [res('2017', 10), res('2017-13', 99), res('garbage', 5)]);
    expect(s.periods.map((p) => p.period)).toEqual(['2017', 'sometime']);
    expect(s.periods[0]!.actual).toBe(10);
    expect(s.periods[1]).toMatchObject({ actual: null, status: 'no_data' });
    expect(s.status).toBe('green');
    expect(s.latestPeriod).toBe('2017');
  });

  it('copies identity fields', () => {
    const s = scoreIndicator(indicator({ code: 'X', level: 'impact', direction: 'decrease' }), []);
    expect(s).toMatchObject({ code: 'X', level: 'impact', direction: 'decrease', periods: [] });
  });
});
