/**
 * The period codes DHIS2 users type, read as Marco's (`periods.ts`): `2021Q1` (2021-Q1), `202103`
 * (2021-03), `2021S1` (2021-H1), `2020Oct` (DHIS2's financial year from October, Marco's FY2021),
 * `2021AprilS1` (April to September 2021), and the relative periods `THIS_YEAR`, `LAST_YEAR`,
 * `LAST_5_YEARS`, `THIS_QUARTER`, `LAST_QUARTER`, `LAST_4_QUARTERS`, `THIS_MONTH`, `LAST_MONTH`,
 * `LAST_3_MONTHS`, `LAST_6_MONTHS`, `LAST_12_MONTHS`, `THIS_FINANCIAL_YEAR` and `LAST_FINANCIAL_YEAR`
 * (October years), counted back from `today` as DHIS2 counts them: the last months before the current
 * one. ISO weeks (`2021W05`) are recognised, and named as weeks, since no source holds weekly data.
 * @module
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** A month `n` months after `year`-`month` (1-based), as `YYYY-MM`. */
function monthCode(year: number, month: number, n = 0): string {
  const i = year * 12 + (month - 1) + n;
  return `${Math.floor(i / 12)}-${pad((i % 12) + 1)}`;
}

/** Marco's code for a DHIS2 fixed period, or undefined when `code` is not one. */
export function fixedAlias(code: string): string | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})Q([1-4])$/.exec(code))) return `${m[1]}-Q${m[2]}`;
  if ((m = /^(\d{4})(0[1-9]|1[0-2])$/.exec(code))) return `${m[1]}-${m[2]}`;
  if ((m = /^(\d{4})S([12])$/.exec(code))) return `${m[1]}-H${m[2]}`;
  if ((m = /^(\d{4})Oct$/.exec(code))) return `FY${Number(m[1]) + 1}`;
  if ((m = /^(\d{4})AprilS([12])$/.exec(code))) {
    const y = Number(m[1]);
    return m[2] === '1' ? `${y}-04/${y}-09` : `${y}-10/${y + 1}-03`;
  }
  return undefined;
}

/** Whether `code` is an ISO week (`2021W05`): recognised, but no source holds weekly data. */
export const isIsoWeek = (code: string) => /^\d{4}W(0[1-9]|[1-4]\d|5[0-3])$/.test(code);

/** The months a DHIS2 relative period covers on `today`, as `YYYY-MM/YYYY-MM`, or undefined. */
export function relativeAlias(code: string, today: Date): string | undefined {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() + 1;
  const q = Math.floor((m - 1) / 3);
  // The U.S. fiscal year (October to September) that holds today, by its first calendar year.
  const fy = m >= 10 ? y : y - 1;
  const span = (from: string, to: string) => `${from}/${to}`;
  const last = (n: number) => span(monthCode(y, m, -n), monthCode(y, m, -1));
  switch (code) {
    case 'THIS_YEAR':
      return span(`${y}-01`, `${y}-12`);
    case 'LAST_YEAR':
      return span(`${y - 1}-01`, `${y - 1}-12`);
    case 'LAST_5_YEARS':
      return span(`${y - 5}-01`, `${y - 1}-12`);
    case 'THIS_QUARTER':
      return span(monthCode(y, q * 3 + 1), monthCode(y, q * 3 + 3));
    case 'LAST_QUARTER':
      return span(monthCode(y, q * 3 + 1, -3), monthCode(y, q * 3 + 1, -1));
    case 'LAST_4_QUARTERS':
      return span(monthCode(y, q * 3 + 1, -12), monthCode(y, q * 3 + 1, -1));
    case 'THIS_MONTH':
      return span(monthCode(y, m), monthCode(y, m));
    case 'LAST_MONTH':
      return last(1);
    case 'LAST_3_MONTHS':
      return last(3);
    case 'LAST_6_MONTHS':
      return last(6);
    case 'LAST_12_MONTHS':
      return last(12);
    case 'THIS_FINANCIAL_YEAR':
      return span(`${fy}-10`, `${fy + 1}-09`);
    case 'LAST_FINANCIAL_YEAR':
      return span(`${fy - 1}-10`, `${fy}-09`);
    default:
      return undefined;
  }
}

/** `code` as Marco reads it: a DHIS2 fixed or relative period translated, anything else as it is. */
export function periodAlias(code: string, today: Date): string {
  return fixedAlias(code) ?? relativeAlias(code, today) ?? code;
}
