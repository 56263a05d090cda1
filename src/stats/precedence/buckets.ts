/**
 * The periods a series answer is given by (`by`): calendar months, quarters and years, and U.S. federal
 * fiscal years (October to September). Months are counted as integers (`year × 12 + month − 1`) so that
 * spans compare and step without dates.
 * @module
 */

export type By = 'month' | 'quarter' | 'year' | 'fiscal_year';

/** How many months one period of each granularity spans. */
export const MONTHS_OF: Record<string, number> = { month: 1, quarter: 3, year: 12, fiscal_year: 12 };

/** `2019-04-01` → the month index of April 2019. */
export const monthIndex = (date: string): number =>
  Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

/** A month index → `2019-04`. */
export const monthCode = (m: number): string =>
  `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;

/** A month index → its first day, `2019-04-01`. */
export const monthStart = (m: number): string => `${monthCode(m)}-01`;

/** A month index → its last day, `2019-04-30`. */
export function monthEnd(m: number): string {
  const year = Math.floor(m / 12);
  const month = (m % 12) + 1;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return `${monthCode(m)}-${days}`;
}

/** The first month of the period of `by` that holds month `m`. */
export function bucketOf(m: number, by: By): number {
  if (by === 'month') return m;
  if (by === 'quarter') return m - (m % 3);
  // A fiscal year starts in October of the calendar year before the one it is named after.
  if (by === 'fiscal_year') return m - ((((m - 9) % 12) + 12) % 12);
  return m - (m % 12);
}

/**
 * The span `[from, to]` (first and last days) widened to whole periods of `by`: a period is always
 * answered whole, so its value never depends on where a window happens to cut it.
 */
export function wholePeriods(span: { from: string; to: string }, by: By): { first: number; last: number } {
  const first = bucketOf(monthIndex(span.from), by);
  const last = bucketOf(monthIndex(span.to), by) + MONTHS_OF[by]! - 1;
  return { first, last };
}

/** `2019-04-01` → `2019`, `2019-Q2` or `2019-04`; `2018-10-01` by fiscal year → `FY2019`. */
export function periodCode(start: string, by: By): string {
  const [y, m] = start.split('-');
  if (by === 'fiscal_year') return `FY${Number(y) + (Number(m) >= 10 ? 1 : 0)}`;
  if (by === 'year') return y!;
  if (by === 'quarter') return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
  return `${y}-${m}`;
}

/** The codes of every period of `by` in `[from, to]` (first and last days), widened to whole periods. */
export function periodCodes(span: { from: string; to: string }, by: By): string[] {
  const { first, last } = wholePeriods(span, by);
  const out: string[] = [];
  for (let m = first; m <= last; m += MONTHS_OF[by]!) out.push(periodCode(monthStart(m), by));
  return out;
}

/** The first day of every period of `by` from month `first` (a period's first month) to month `last`. */
export function periodStarts(first: number, last: number, by: By): string[] {
  const out: string[] = [];
  for (let m = first; m <= last; m += MONTHS_OF[by]!) out.push(monthStart(m));
  return out;
}
