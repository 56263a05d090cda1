/**
 * The one place where what people type becomes a series or anomaly query: URL parameters
 * (`GET /api/v1/series`, the explorer and its CSV download), CLI flags (`marco stats`, `marco
 * anomalies`) and an indicator's statistics link. Every surface therefore accepts the same values and
 * refuses bad ones with the same words, naming the field the way its caller wrote it (`per` in a URL,
 * `--per` on the command line).
 * @module
 */
import type { z } from 'zod';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { monthsIn, parsePeriod, type Period } from '../domain/periods.js';
import { isIsoWeek, periodAlias } from '../domain/period-aliases.js';
import type { SeriesLink } from '../domain/workspace-schema.js';
import { textIssue, ValidationError, type Issue } from '../error.js';
import { AnomalyQuery } from './anomalies.js';
import { SeriesQuery } from './series.js';

/** A series query as typed: every field text, as a URL or the command line gives it. */
export interface SeriesText {
  measure?: string | undefined;
  /** Place codes separated by commas. */
  geo?: string | undefined;
  level?: string | undefined;
  within?: string | undefined;
  by?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** One period (or DHIS2 relative period) for `from` and `to` at once. */
  period?: string | undefined;
  per?: string | undefined;
  annualize?: string | boolean | undefined;
  /** `name:value` pairs separated by commas (a URL), or one `name=value` per repeated flag (the CLI). */
  filter?: string | string[] | undefined;
  source?: string | undefined;
  /** `published` or `interpolated` (see `SeriesQuery.population`). */
  population?: string | undefined;
}

/** An anomaly query as typed: the place and period fields of a series, plus the detector's settings. */
export interface AnomalyText extends Omit<SeriesText, 'by' | 'per' | 'annualize' | 'population'> {
  window?: string | undefined;
  threshold?: string | undefined;
  min_count?: string | undefined;
}

/** How the caller names fields in messages: `url` (`min_count`) or `cli` (`--min-count`). */
export type Syntax = 'url' | 'cli';

const label = (field: string, syntax: Syntax) =>
  syntax === 'cli' ? `--${field.replaceAll('_', '-')}` : field;

const text = (value: string | undefined) => {
  const v = value?.trim();
  return v ? v : undefined;
};

/**
 * `name:value` or `name=value` pairs, from one comma-separated text or a list of items; a pair without a
 * name is refused with the field's name. Used for series filters and for an import's source parameters.
 */
export function namedPairs(
  input: string | readonly string[] | undefined,
  field: string,
  issues?: Issue[],
): Record<string, string> {
  const items = typeof input === 'string' ? input.split(',') : (input ?? []);
  const pairs: Record<string, string> = {};
  const found: Issue[] = [];
  for (const item of items) {
    const colon = item.indexOf(':');
    const equals = item.indexOf('=');
    const i = colon < 0 ? equals : equals < 0 ? colon : Math.min(colon, equals);
    if (i <= 0) {
      found.push(textIssue(field, 'validation.schema.pair', { item: JSON.stringify(item) }));
      continue;
    }
    pairs[item.slice(0, i).trim()] = item.slice(i + 1).trim();
  }
  if (issues) issues.push(...found);
  else if (found.length) throw new ValidationError(found);
  return pairs;
}

/**
 * The typed form of each numeric field, shared with the API's query schemas (`server/api-schemas.ts`), so
 * that a URL, the explorer and the command line accept the same values and refuse them in the same words.
 */
export const NUMBER_FIELDS = {
  per: { pattern: /^\d{1,9}$/, message: 'expected a whole number such as 100000', positive: true },
  window: { pattern: /^\d{1,2}$/, message: 'expected a whole number of months, 3 to 60', positive: false },
  threshold: {
    pattern: /^\d{1,3}(\.\d+)?$/,
    message: 'expected a positive number such as 3.5',
    positive: true,
  },
  min_count: { pattern: /^\d{1,9}(\.\d+)?$/, message: 'expected a number such as 10', positive: false },
} as const;

/** A numeric field as typed, or undefined (with an issue pushed) when it is not one. */
function numberField(
  value: string | undefined,
  field: keyof typeof NUMBER_FIELDS,
  syntax: Syntax,
  issues: Issue[],
): number | undefined {
  const v = text(value);
  if (v === undefined) return undefined;
  const { pattern, message, positive } = NUMBER_FIELDS[field];
  const n = Number(v);
  if (!pattern.test(v) || (positive && !(n > 0))) {
    const text = { key: `query.number.${field}`, values: { value: JSON.stringify(v) } };
    issues.push({ path: label(field, syntax), message: `${JSON.stringify(v)}: ${message}`, text });
    return undefined;
  }
  return n;
}

/** The typed field each query field comes from, where the two names differ. */
const TYPED_AS: Record<string, string> = { filters: 'filter', minCount: 'min_count' };

/**
 * Checks the built query against its schema, so a value out of range is refused here with the field
 * named as the caller typed it (`--within`, `min_count`), not later by its internal name.
 */
function checked<S extends z.ZodType>(schema: S, query: unknown, syntax: Syntax): z.input<S> {
  const parsed = safeParseInput(schema, query);
  if (parsed.success) return query as z.input<S>;
  throw new ValidationError(
    zodIssues(parsed.error).map((issue) => {
      const [head = '', ...rest] = issue.path.split(/(?=[.[])/);
      return { ...issue, path: label(TYPED_AS[head] ?? head, syntax) + rest.join('') };
    }),
    undefined,
    'query',
  );
}

/** INEGI's code for the whole of Mexico. */
const INEGI_NATIONAL = '00';

/** The place, period and filter fields that series and anomaly queries share. */
function placeFields(t: SeriesText | AnomalyText, syntax: Syntax, issues: Issue[]) {
  // INEGI writes the whole country as `00`: it is Mexico, `MX`.
  const geo = text(t.geo)
    ?.split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .map((g) => (g === INEGI_NATIONAL ? 'MX' : g));
  const filters = namedPairs(
    typeof t.filter === 'string' ? text(t.filter) : t.filter,
    label('filter', syntax),
    issues,
  );
  // DHIS2's codes (2021Q1, 2020Oct, LAST_12_MONTHS…) are read as Marco's; `period` sets both ends.
  const today = new Date();
  const field = (name: 'from' | 'to' | 'period') => {
    const given = text((t as SeriesText)[name]);
    if (given === undefined) return undefined;
    if (isIsoWeek(given))
      issues.push(textIssue(label(name, syntax), 'validation.schema.isoWeek', { code: given }));
    return periodAlias(given, today);
  };
  const period = field('period');
  // A span (a relative period, `2021AprilS1`) gives its first month to `from` and its last to `to`.
  const ends = (code: string | undefined) => (code?.includes('/') ? code.split('/') : [code, code]);
  const [fromStart, fromEnd] = ends(period ?? field('from'));
  const to = period ? fromEnd : (ends(field('to'))[1] ?? (fromStart !== fromEnd ? fromEnd : undefined));
  const from = fromStart;
  return {
    measure: text(t.measure) ?? '',
    ...(geo?.length ? { geo } : {}),
    ...(text(t.level) ? { level: text(t.level) as 'state' | 'municipality' } : {}),
    ...(text(t.within) ? { within: text(t.within)! } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(Object.keys(filters).length ? { filters } : {}),
    ...(text(t.source) ? { source: text(t.source)! } : {}),
  };
}

/**
 * A series query from typed text. The query itself (measure, places, periods) is checked by
 * `querySeries`; this refuses what cannot even be read: a filter without a name, a rate base that is not
 * a positive number.
 * @example
 * seriesQueryFromText({ measure: 'homicides', geo: 'MX,08', per: '100000', filter: 'sex:Total' }, 'url')
 * // → { measure: 'homicides', geo: ['MX', '08'], per: 100000, filters: { sex: 'Total' } }
 */
export function seriesQueryFromText(t: SeriesText, syntax: Syntax): SeriesQuery {
  const issues: Issue[] = [];
  const place = placeFields(t, syntax, issues);
  const per = numberField(t.per, 'per', syntax, issues);
  if (issues.length) throw new ValidationError(issues, undefined, 'query');
  const query = {
    ...place,
    ...(text(t.by) ? { by: text(t.by) as 'year' } : {}),
    ...(per !== undefined ? { per } : {}),
    ...(t.annualize === true || t.annualize === 'true' ? { annualize: true } : {}),
    ...(text(t.population) ? { population: text(t.population) as 'published' } : {}),
  };
  return checked(SeriesQuery, query, syntax);
}

/** An anomaly query from typed text; the detector's settings must be numbers. */
export function anomalyQueryFromText(t: AnomalyText, syntax: Syntax): AnomalyQuery {
  const issues: Issue[] = [];
  const place = placeFields(t, syntax, issues);
  const window = numberField(t.window, 'window', syntax, issues);
  const threshold = numberField(t.threshold, 'threshold', syntax, issues);
  const minCount = numberField(t.min_count, 'min_count', syntax, issues);
  if (issues.length) throw new ValidationError(issues, undefined, 'query');
  const query = {
    ...place,
    ...(window !== undefined ? { window } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(minCount !== undefined ? { minCount } : {}),
  };
  return checked(AnomalyQuery, query, syntax);
}

/**
 * The series query that gives a linked indicator's value for one reporting period. A calendar year,
 * quarter or month is one point of the series, and so is a U.S. fiscal year; any other span (a half, a
 * range) is asked by month, and `months` says how many points make it whole. Undefined when `code` is
 * not a period.
 */
export function linkedSeriesQuery(
  link: SeriesLink,
  code: string,
): { query: SeriesQuery; period: Period; single: boolean; months: number } | undefined {
  const period = parsePeriod(code);
  if (!period) return undefined;
  const by =
    period.kind === 'year' || period.kind === 'quarter' || period.kind === 'month'
      ? period.kind
      : period.kind === 'fiscal-year'
        ? 'fiscal_year'
        : 'month';
  const months = monthsIn(period);
  return {
    query: {
      measure: link.measure,
      geo: [link.geo],
      by,
      from: period.start.slice(0, 7),
      to: period.end.slice(0, 7),
      ...(link.per ? { per: link.per } : {}),
      ...(link.filters ? { filters: link.filters } : {}),
      ...(link.source ? { source: link.source } : {}),
    },
    period,
    single: by !== 'month' || period.kind === 'month',
    months,
  };
}
