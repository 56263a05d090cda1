/**
 * The actuals of a statistics-linked indicator: for each target period, and for a baseline given as a
 * period only, the value of the indicator's series query. A period that cannot be computed comes back
 * with a typed reason (no statistics store, no data for the period, an incomplete period, no
 * population, an unknown place or measure), which every surface shows in English or Spanish. A failure
 * that is not one of these is a bug and is thrown, never shown as "no data".
 * @module
 */
import { type ScoreResult } from '../domain/score-types.js';
import type { SeriesLink } from '../domain/workspace-schema.js';
import { NotFoundError, ValidationError, type Text } from '../error.js';
import type { Translate } from '../i18n/index.js';
import { measureById } from '../stats/measures.js';
import { linkedSeriesQuery } from '../stats/series-query.js';
import { querySeries } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';

export const GAP_REASONS = [
  'no_stats_store',
  'invalid_period',
  'unknown_measure',
  'invalid_link',
  'unknown_place',
  'no_data',
  'incomplete_period',
  'no_population',
] as const;
export type GapReason = (typeof GAP_REASONS)[number];

/** A period of a linked indicator without an actual, and why. */
export interface LinkedGap {
  period: string;
  reason: GapReason;
  /** The baseline period rather than a target period. */
  baseline?: true;
  /** What the statistics store said, for `invalid_link` (English, as the API reports it). */
  detail?: string;
  /** The same in the catalogs, when it has a text there: shown in the reader's language. */
  detailText?: Text;
  /** The reason as a sentence, in the reader's language (the API adds it). */
  message?: string;
}

export interface LinkedActuals {
  results: ScoreResult[];
  baseline: number | null;
  gaps: LinkedGap[];
}

type Outcome = { value: number } | { reason: GapReason; detail?: string; detailText?: Text };

/** One period's value of `link`, or why there is none. */
async function valueFor(stats: StatsStore, link: SeriesLink, code: string): Promise<Outcome> {
  const asked = linkedSeriesQuery(link, code);
  if (!asked) return { reason: 'invalid_period' };
  let answer;
  try {
    answer = await querySeries(stats, asked.query);
  } catch (error) {
    if (error instanceof NotFoundError && error.entity === 'measure') return { reason: 'unknown_measure' };
    // The series query refuses a place the geography spine does not know: that is its own reason.
    if (error instanceof ValidationError && error.issues.every((i) => i.path === 'geo'))
      return { reason: 'unknown_place' };
    if (error instanceof ValidationError) {
      // The last problem the store named: the one the reader can act on.
      const last = error.issues.at(-1);
      return {
        reason: 'invalid_link',
        detail: error.message,
        ...(last?.text ? { detailText: last.text } : {}),
      };
    }
    throw error;
  }
  const series = answer.series[0];
  const points = series?.points ?? [];
  if (points.length === 0) return { reason: 'no_data' };
  if (asked.single) {
    if (points.length !== 1) return { reason: 'no_data' };
    if (!link.per) return { value: points[0]!.value };
    return points[0]!.rate === null ? { reason: 'no_population' } : { value: points[0]!.rate };
  }
  if (points.length < asked.months) return { reason: 'incomplete_period' };
  const rule = measureById(link.measure)?.overTime ?? 'sum';
  const total = points.reduce((sum, x) => sum + x.value, 0);
  const value = rule === 'last' ? points.at(-1)!.value : rule === 'mean' ? total / points.length : total;
  if (!link.per) return { value };
  if (points.some((x) => x.population === null)) return { reason: 'no_population' };
  const population = points.reduce((sum, x) => sum + x.population!, 0) / points.length;
  return population > 0 ? { value: (value / population) * link.per } : { reason: 'no_population' };
}

/**
 * One result per target period, one value for a baseline given as a period, and the gaps. A calendar
 * year, quarter or month is one point of the series, and so is a U.S. fiscal year; any other span (a
 * half, a range) combines its months by the measure's rule. A rate over such a span is the span's count
 * over its mean monthly population, times `per`, as for a calendar year.
 */
export async function linkedActuals(
  stats: StatsStore | undefined,
  link: SeriesLink,
  periods: string[],
  baselinePeriod: string | null,
): Promise<LinkedActuals> {
  if (!stats)
    return {
      results: [],
      baseline: null,
      gaps: [
        ...periods.map((period) => ({ period, reason: 'no_stats_store' as const })),
        ...(baselinePeriod
          ? [{ period: baselinePeriod, reason: 'no_stats_store' as const, baseline: true as const }]
          : []),
      ],
    };
  const results: ScoreResult[] = [];
  const gaps: LinkedGap[] = [];
  for (const period of periods) {
    const outcome = await valueFor(stats, link, period);
    if ('value' in outcome)
      results.push({
        period,
        place: link.geo,
        disaggregation: {},
        value: outcome.value,
        numerator: null,
        denominator: null,
      });
    else gaps.push({ period, ...outcome });
  }
  let baseline: number | null = null;
  if (baselinePeriod) {
    const outcome = await valueFor(stats, link, baselinePeriod);
    if ('value' in outcome) baseline = outcome.value;
    else gaps.push({ period: baselinePeriod, baseline: true, ...outcome });
  }
  return { results, baseline, gaps };
}

/** A gap as a sentence in the reader's language. */
export function describeGap(t: Translate, gap: LinkedGap): string {
  const reason = t(`indicators.gap.${gap.reason}`);
  return t(gap.baseline ? 'indicators.baselineGap' : 'indicators.periodGap', {
    period: gap.period,
    reason: gap.detailText
      ? `${reason} (${t(gap.detailText.key, gap.detailText.values)})`
      : gap.detail
        ? `${reason} (${gap.detail.split('\n').slice(-1)[0]!.trim()})`
        : reason,
  });
}
