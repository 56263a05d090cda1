import { describe, expect, it } from 'vitest';
import { comparePeriods, monthsIn, parsePeriod, periodContains, type Period } from './periods.js';

const p = (code: string): Period => {
  const parsed = parsePeriod(code);
  if (!parsed) throw new Error(`not a period: ${code}`);
  return parsed;
};

describe('parsePeriod', () => {
  it.each([
    ['2017', 'year', '2017-01-01', '2017-12-31'],
    ['FY2017', 'fiscal-year', '2016-10-01', '2017-09-30'],
    ['2016-H1', 'half', '2016-01-01', '2016-06-30'],
    ['2016-H2', 'half', '2016-07-01', '2016-12-31'],
    ['2016-Q1', 'quarter', '2016-01-01', '2016-03-31'],
    ['2016-Q4', 'quarter', '2016-10-01', '2016-12-31'],
    ['2016-02', 'month', '2016-02-01', '2016-02-29'],
    ['2017-02', 'month', '2017-02-01', '2017-02-28'],
    ['2016-12', 'month', '2016-12-01', '2016-12-31'],
    ['2016-08/2018-01', 'range', '2016-08-01', '2018-01-31'],
    ['FY2016/2016-Q4', 'range', '2015-10-01', '2016-12-31'],
    ['1800', 'year', '1800-01-01', '1800-12-31'],
    ['2200-12', 'month', '2200-12-01', '2200-12-31'],
  ])('%s is a %s from %s to %s', (code, kind, start, end) => {
    expect(parsePeriod(code)).toEqual({ code, kind, start, end });
  });

  it('trims a range, and reads a range of one period as that period', () => {
    expect(parsePeriod(' 2016/2017 ')).toEqual({
      code: '2016/2017',
      kind: 'range',
      start: '2016-01-01',
      end: '2017-12-31',
    });
    expect(parsePeriod('2017/2017')).toEqual(p('2017'));
  });

  it.each([
    '',
    '17',
    '2017-13',
    '2017-00',
    '2017-Q5',
    '2017-H3',
    'FY17',
    'FY1800',
    '1799',
    '2201',
    '2017-1',
    '2018/2017',
    '2017/2018/2019',
    '2017/',
    'x2017',
    '2017x',
  ])('refuses %j', (code) => {
    expect(parsePeriod(code)).toBeUndefined();
  });
});

describe('monthsIn', () => {
  it.each([
    ['2017', 12],
    ['FY2017', 12],
    ['2017-H2', 6],
    ['2017-Q3', 3],
    ['2017-06', 1],
    ['2016-08/2018-01', 18],
    ['2000/2021', 264],
  ])('%s spans %d months', (code, months) => {
    expect(monthsIn(p(code))).toBe(months);
  });
});

describe('periodContains and comparePeriods', () => {
  it('contains a period within it, its ends included, and nothing that sticks out', () => {
    expect(periodContains(p('2017'), p('2017-Q3'))).toBe(true);
    expect(periodContains(p('2017'), p('2017-01'))).toBe(true);
    expect(periodContains(p('2017'), p('2017-12'))).toBe(true);
    expect(periodContains(p('2017'), p('2017'))).toBe(true);
    expect(periodContains(p('2017'), p('FY2017'))).toBe(false);
    expect(periodContains(p('FY2017'), p('2016-10'))).toBe(true);
    expect(periodContains(p('2017-Q3'), p('2017'))).toBe(false);
    expect(periodContains(p('2017'), p('2018-01'))).toBe(false);
  });

  it('orders by start, then the shorter first', () => {
    const sorted = ['2017', '2016-Q4', 'FY2017', '2017-01', '2017-H1', '2016'].map(p).sort(comparePeriods);
    expect(sorted.map((x) => x.code)).toEqual(['2016', '2016-Q4', 'FY2017', '2017-01', '2017-H1', '2017']);
    expect(comparePeriods(p('2017'), p('2017'))).toBe(0);
    expect(comparePeriods(p('2017-01'), p('2017'))).toBe(-1);
    expect(comparePeriods(p('2017'), p('2017-01'))).toBe(1);
  });
});
