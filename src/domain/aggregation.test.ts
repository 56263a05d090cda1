import { describe, it, expect } from 'vitest';
import { aggregateResults, selectTotals, totalsByPeriodAndPlace } from './aggregation.js';
import { indicator, res } from '../../test/fixtures/scores.js';
import { scoreIndicator } from './scorecard.js';

describe('aggregateResults', () => {
  it('empty input is missing-actual', () => {
    for (const rule of ['sum', 'mean', 'latest', 'ratio_of_sums'] as const) {
      expect(aggregateResults([], rule, 1)).toEqual({ value: null, reason: 'missing-actual', count: 0 });
    }
  });

  it('sum and mean ignore null values', () => {
    const rs = [res('2017-Q1', 10), res('2017-Q2', null), res('2017-Q3', 20), res('2017-Q4', 60)];
    expect(aggregateResults(rs, 'sum', 1)).toEqual({ value: 90, reason: null, count: 3 });
    const mean = aggregateResults(rs, 'mean', 1);
    expect(mean.value).toBeCloseTo(30, 10);
    expect(mean.count).toBe(3);
    expect(aggregateResults([res('2017', null)], 'sum', 1)).toEqual({
      value: null,
      reason: 'missing-actual',
      count: 0,
    });
  });

  it('latest takes each place’s latest period and sums across places', () => {
    const rs = [
      res('2017-Q1', 3, { place: 'CHH' }),
      res('2017-Q3', 7, { place: 'CHH' }),
      res('2017-Q2', 5, { place: 'CHH' }),
      res('2017-Q2', 4, { place: 'SON' }),
      res('2017-Q1', 2, { place: 'SON' }),
      res('2017-Q4', null, { place: 'SON' }), // null ignored: SON's latest is Q2
    ];
    expect(aggregateResults(rs, 'latest', 1)).toEqual({ value: 11, reason: null, count: 2 });
  });

  it('latest breaks start ties by the later end', () => {
    const rs = [res('2017-Q1', 5), res('2017', 12), res('2017-01', 1)];
    expect(aggregateResults(rs, 'latest', 1).value).toBe(12);
  });

  it('latest adds the categories sharing the latest period', () => {
    const rs = [
      res('2017-Q1', 1, { disaggregation: { sex: 'f' } }),
      res('2017-Q2', 3, { disaggregation: { sex: 'f' } }),
      res('2017-Q2', 4, { disaggregation: { sex: 'm' } }),
    ];
    expect(aggregateResults(rs, 'latest', 1)).toEqual({ value: 7, reason: null, count: 2 });
  });

  it('latest ignores unparseable periods', () => {
    expect(aggregateResults([res('someday', 5)], 'latest', 1).value).toBeNull();
    expect(aggregateResults([res('someday', 50), res('2017', 5)], 'latest', 1).value).toBe(5);
  });

  describe('ratio_of_sums', () => {
    // Two places: 10 deaths / 100,000 people (rate 10) and 90 deaths / 300,000 (rate 30).
    const rs = [
      res('2017', 10, { place: 'A', numerator: 10, denominator: 100_000 }),
      res('2017', 30, { place: 'B', numerator: 90, denominator: 300_000 }),
    ];

    it('is the ratio of sums, not the mean of rates', () => {
      const agg = aggregateResults(rs, 'ratio_of_sums', 100_000);
      expect(agg.value).toBeCloseTo(25, 10); // 100 / 400,000 × 100,000
      expect(agg.reason).toBeNull();
      expect(agg.count).toBe(2);
      expect(aggregateResults(rs, 'mean', 100_000).value).toBeCloseTo(20, 10); // the wrong answer
    });

    it('counts a result with components but no value', () => {
      const agg = aggregateResults(
        [...rs, res('2017', null, { place: 'C', numerator: 0, denominator: 100_000 })],
        'ratio_of_sums',
        100_000,
      );
      expect(agg.value).toBeCloseTo(20, 10); // 100 / 500,000
      expect(agg.count).toBe(3);
    });

    it('missing components', () => {
      expect(aggregateResults([res('2017', 12.5)], 'ratio_of_sums', 100_000)).toEqual({
        value: 12.5,
        reason: null,
        count: 1,
      });
      expect(aggregateResults([...rs, res('2017', 12.5, { place: 'C' })], 'ratio_of_sums', 100_000)).toEqual({
        value: null,
        reason: 'missing-components',
        count: 3,
      });
    });

    it('ignores results with neither value nor components', () => {
      const agg = aggregateResults([...rs, res('2017', null, { place: 'C' })], 'ratio_of_sums', 100_000);
      expect(agg.value).toBeCloseTo(25, 10);
    });

    it('zero total denominator', () => {
      const zero = [
        res('2017', null, { numerator: 0, denominator: 0 }),
        res('2017', null, { place: 'B', numerator: 1, denominator: 0 }),
      ];
      expect(aggregateResults(zero, 'ratio_of_sums', 1)).toEqual({
        value: null,
        reason: 'missing-components',
        count: 2,
      });
    });
  });
});

describe('selectTotals', () => {
  const total = res('2017', 10);
  const f = res('2017', 4, { disaggregation: { sex: 'f' } });
  const m = res('2017', 6, { disaggregation: { sex: 'm' } });
  const urban = res('2017', 7, { disaggregation: { area: 'urban' } });
  const both = res('2017', 2, { disaggregation: { sex: 'f', area: 'urban' } });

  it('prefers totals', () => {
    expect(selectTotals([total, f, m])).toEqual([total]);
  });
  it('uses the categories of a single dimension when there is no total', () => {
    expect(selectTotals([f, m])).toEqual([f, m]);
  });
  it('refuses mixed dimensions or cross-tabulations', () => {
    expect(selectTotals([f, m, urban])).toEqual([]);
    expect(selectTotals([both])).toEqual([]);
    expect(selectTotals([f, both])).toEqual([]);
    expect(selectTotals([])).toEqual([]);
  });
});

describe('totalsByPeriodAndPlace', () => {
  it('chooses totals or categories separately for each period and place', () => {
    const f2017 = res('2017', 4, { disaggregation: { sex: 'f' } });
    const m2017 = res('2017', 6, { disaggregation: { sex: 'm' } });
    const total2018 = res('2018', 12);
    const f2018 = res('2018', 5, { disaggregation: { sex: 'f' } });
    const otherPlace = res('2018', 3, { place: 'B', disaggregation: { sex: 'f' } });
    expect(totalsByPeriodAndPlace([f2017, m2017, total2018, f2018, otherPlace])).toEqual([
      f2017,
      m2017,
      total2018,
      otherPlace,
    ]);
  });

  it('lets a by-sex year and a later total year both score', () => {
    const ind = indicator({
      code: 'MIXED',
      targets: [
        { period: '2017', value: 10, place: null },
        { period: '2018', value: 10, place: null },
      ],
      lopTarget: 30,
    });
    const score = scoreIndicator(ind, [
      res('2017', 4, { disaggregation: { sex: 'f' } }),
      res('2017', 6, { disaggregation: { sex: 'm' } }),
      res('2018', 12),
    ]);
    expect(score.periods.map((p) => p.actual)).toEqual([10, 12]);
    expect(score.lop.actual).toBe(22);
  });
});
