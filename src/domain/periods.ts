/**
 * Reporting periods: parsing period codes into date ranges, ordering and containment.
 * @module
 */

/** The calendar shapes a period code can take. */
export type PeriodKind = 'year' | 'fiscal-year' | 'half' | 'quarter' | 'month' | 'range';

/** A parsed period. `start` and `end` are inclusive ISO dates (`YYYY-MM-DD`). */
export interface Period {
  code: string;
  kind: PeriodKind;
  start: string;
  end: string;
}

// Years outside this range are typing mistakes in monitoring data, and some would not be valid dates.
const MIN_YEAR = 1800;
const MAX_YEAR = 2200;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const date = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
const monthRange = (year: number, from: number, to: number) => ({
  start: date(year, from, 1),
  end: date(year, to, lastDay(year, to)),
});

function parseSingle(code: string): Period | undefined {
  const year = /^(?:FY)?(\d{4})/.exec(code);
  if (!year || Number(year[1]) < MIN_YEAR + (code.startsWith('FY') ? 1 : 0) || Number(year[1]) > MAX_YEAR)
    return undefined;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(code))) {
    return { code, kind: 'year', ...monthRange(Number(m[1]), 1, 12) };
  }
  if ((m = /^FY(\d{4})$/.exec(code))) {
    const y = Number(m[1]);
    return { code, kind: 'fiscal-year', start: date(y - 1, 10, 1), end: date(y, 9, 30) };
  }
  if ((m = /^(\d{4})-H([12])$/.exec(code))) {
    const h = Number(m[2]);
    return { code, kind: 'half', ...monthRange(Number(m[1]), h * 6 - 5, h * 6) };
  }
  if ((m = /^(\d{4})-Q([1-4])$/.exec(code))) {
    const q = Number(m[2]);
    return { code, kind: 'quarter', ...monthRange(Number(m[1]), q * 3 - 2, q * 3) };
  }
  if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(code))) {
    const mo = Number(m[2]);
    return { code, kind: 'month', ...monthRange(Number(m[1]), mo, mo) };
  }
  return undefined;
}

/**
 * Parses a period code, or returns `undefined` when the code matches none of the formats (spelled out,
 * for readers, in the catalogs' `validation.schema.period`).
 *
 * @example
 * parsePeriod('FY2017'); // {code: 'FY2017', kind: 'fiscal-year', start: '2016-10-01', end: '2017-09-30'}
 * parsePeriod('2016-08/2018-01'); // a range from 2016-08-01 to 2018-01-31
 */
export function parsePeriod(code: string): Period | undefined {
  const parts = code.trim().split('/');
  if (parts.length === 1) return parseSingle(parts[0]!);
  if (parts.length !== 2) return undefined;
  const from = parseSingle(parts[0]!);
  const to = parseSingle(parts[1]!);
  if (!from || !to || from.start > to.end) return undefined;
  if (from.code === to.code) return from; // `2017/2017` is `2017`
  return { code: code.trim(), kind: 'range', start: from.start, end: to.end };
}

/** How many calendar months a period spans (12 for a year or a fiscal year, 6 for a half, …). */
export function monthsIn(period: Period): number {
  const month = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7));
  return month(period.end) - month(period.start) + 1;
}

/** True when `inner` lies entirely within `outer`. */
export function periodContains(outer: Period, inner: Period): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Orders periods by start date, then by end date (shorter first). */
export function comparePeriods(a: Period, b: Period): number {
  return a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : a.end > b.end ? 1 : 0;
}
