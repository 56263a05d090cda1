import { describe, expect, it } from 'vitest';
import { isIsoWeek, periodAlias } from './period-aliases.js';
import { parsePeriod } from './periods.js';

const today = new Date('2026-12-03T12:00:00Z');

describe('DHIS2 period codes', () => {
  it('reads fixed periods as Marco codes', () => {
    expect(periodAlias('2021Q1', today)).toBe('2021-Q1');
    expect(periodAlias('202103', today)).toBe('2021-03');
    expect(periodAlias('2021S2', today)).toBe('2021-H2');
    expect(periodAlias('2020Oct', today)).toBe('FY2021');
    expect(parsePeriod(periodAlias('2020Oct', today))).toMatchObject({
      start: '2020-10-01',
      end: '2021-09-30',
    });
    expect(parsePeriod(periodAlias('2021AprilS1', today))).toMatchObject({
      start: '2021-04-01',
      end: '2021-09-30',
    });
    expect(parsePeriod(periodAlias('2021AprilS2', today))).toMatchObject({
      start: '2021-10-01',
      end: '2022-03-31',
    });
    expect(periodAlias('2019', today)).toBe('2019');
    expect(periodAlias('FY2019', today)).toBe('FY2019');
  });

  it('counts relative periods back from today, as DHIS2 does', () => {
    const range = (code: string) => {
      const p = parsePeriod(periodAlias(code, today))!;
      return [p.start, p.end];
    };
    expect(range('LAST_12_MONTHS')).toEqual(['2025-12-01', '2026-11-30']);
    expect(range('LAST_MONTH')).toEqual(['2026-11-01', '2026-11-30']);
    expect(range('THIS_MONTH')).toEqual(['2026-12-01', '2026-12-31']);
    expect(range('THIS_YEAR')).toEqual(['2026-01-01', '2026-12-31']);
    expect(range('LAST_5_YEARS')).toEqual(['2021-01-01', '2025-12-31']);
    expect(range('THIS_QUARTER')).toEqual(['2026-10-01', '2026-12-31']);
    expect(range('LAST_QUARTER')).toEqual(['2026-07-01', '2026-09-30']);
    expect(range('LAST_4_QUARTERS')).toEqual(['2025-10-01', '2026-09-30']);
    expect(range('THIS_FINANCIAL_YEAR')).toEqual(['2026-10-01', '2027-09-30']);
    expect(range('LAST_FINANCIAL_YEAR')).toEqual(['2025-10-01', '2026-09-30']);
    // January: the last month is in the year before.
    const january = parsePeriod(periodAlias('LAST_3_MONTHS', new Date('2027-01-15T00:00:00Z')))!;
    expect([january.start, january.end]).toEqual(['2026-10-01', '2026-12-31']);
  });

  it('recognises ISO weeks, and leaves anything else alone', () => {
    expect(isIsoWeek('2021W05')).toBe(true);
    expect(isIsoWeek('2021W54')).toBe(false);
    expect(periodAlias('LAST_13_MONTHS', today)).toBe('LAST_13_MONTHS');
    expect(periodAlias('2021Q5', today)).toBe('2021Q5');
  });
});
