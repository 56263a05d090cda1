/**
 * Anomaly detection for monthly series: each month is compared with the median of the months before it
 * (a trailing window, 12 by default), scaled by their median absolute deviation. A month is flagged when
 * its robust z-score passes a threshold (3.5 by default, after Iglewicz & Hoaglin) and the counts are
 * large enough to mean something (10 by default). See docs/measures.md#anomaly-detection.
 * @module
 */
import { median as d3Median } from 'd3-array';
import { z } from 'zod';
import { ValidationError, textIssue } from '../error.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import type { SeriesQuery } from './series.js';
import { MAD_TO_SD, scoreInDuckdb } from './anomalies-sql.js';
import { planSeries } from './series-plan.js';
import type { StatsStore } from './stats-store.js';

export { MAD_TO_SD };

export const AnomalyQuery = z
  .object({
    measure: z.string(),
    geo: z.array(z.string()).optional(),
    level: z.enum(['state', 'municipality']).optional(),
    within: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    filters: z.record(z.string(), z.string()).optional(),
    source: z.string().optional(),
    /** Months in the trailing baseline. */
    window: z.number().int().min(3).max(60).default(12),
    /** Robust z-score a month must reach to be flagged. */
    threshold: z.number().positive().max(100).default(3.5),
    /** Neither the month nor its baseline below this: small counts swing too much to mean anything. */
    minCount: z.number().min(0).max(1e9).default(10),
  })
  .strict();
export type AnomalyQuery = z.input<typeof AnomalyQuery>;

export interface Anomaly {
  geo: string;
  name: string | null;
  period: string;
  value: number;
  /** The median of the trailing window. */
  expected: number;
  /** The scale used: 1.4826 × MAD, at least √median and at least 1. */
  scale: number;
  z: number;
  /**
   * Whether the months before were nearly all zero (median under 1, the scale at its floor of 1): `z` is
   * then just the count above that median, not a measure of how unusual it is against the place's
   * spread, and pages say "usually none" rather than quote it (San Fernando, August 2010: 64, z = 64).
   */
  quietBaseline: boolean;
  direction: 'spike' | 'drop';
  /** The band outside which a month is flagged: expected ± threshold × scale. */
  lower: number;
  upper: number;
}

export interface AnomalyResult {
  query: z.output<typeof AnomalyQuery>;
  /** Places and months examined (months with a full baseline window). */
  examined: { places: number; months: number };
  anomalies: Anomaly[];
  vintages: { id: number; source: string; file_name: string; sha256: string }[];
}

/** The median of a non-empty window (d3-array's, by quickselect). */
export const median = (values: number[]): number => d3Median(values)!;

/**
 * Scores each month of one series against its trailing window. The scale has two floors: the square
 * root of the median (a Poisson count's standard deviation) and 1, so that a flat run of small counts
 * (MAD 0) does not make every change an anomaly.
 */
export function scoreSeries(
  points: { period: string; value: number }[],
  window: number,
): { period: string; value: number; expected: number; scale: number; z: number }[] {
  const out = [];
  // Month numbers: sorted and distinct, so a window is unbroken exactly when its ends are `window` apart.
  const index = points.map((p) => Number(p.period.slice(0, 4)) * 12 + Number(p.period.slice(5, 7)));
  const values = points.map((p) => p.value);
  for (let i = window; i < points.length; i++) {
    if (index[i]! - index[i - window]! !== window) continue;
    const history = values.slice(i - window, i);
    const expected = median(history);
    const mad = median(history.map((v) => Math.abs(v - expected)));
    const scale = Math.max(MAD_TO_SD * mad, Math.sqrt(Math.max(expected, 0)), 1);
    const value = values[i]!;
    out.push({ period: points[i]!.period, value, expected, scale, z: (value - expected) / scale });
  }
  return out;
}

/** Finds anomalous months in the series a query selects; see the module documentation. */
export async function findAnomalies(stats: StatsStore, input: unknown): Promise<AnomalyResult> {
  const parsed = safeParseInput(AnomalyQuery, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'anomaly query', 'query');
  const q = parsed.data;
  // The baseline of the first month asked for reaches `window` months back.
  const from = q.from ? shiftMonths(q.from, -q.window) : undefined;
  const plan = await planSeries(stats, {
    measure: q.measure,
    ...(q.geo ? { geo: q.geo } : {}),
    ...(q.level ? { level: q.level } : {}),
    ...(q.within ? { within: q.within } : {}),
    by: 'month',
    ...(from ? { from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.filters ? { filters: q.filters } : {}),
    ...(q.source ? { source: q.source } : {}),
  } satisfies SeriesQuery);
  // Scored inside DuckDB on the values the series query would read: only the flagged months come back.
  const scored = await scoreInDuckdb(
    stats,
    plan.meta,
    plan.levels.flatMap((l) => l.parts),
    {
      window: q.window,
      threshold: q.threshold,
      minCount: q.minCount,
      firstAsked: q.from ? shiftMonths(q.from, 0) : '0000-00',
    },
  );
  const anomalies: Anomaly[] = scored.flagged.map((p) => ({
    geo: p.target,
    name: plan.names.get(p.target) ?? null,
    period: p.period,
    value: p.value,
    expected: p.expected,
    scale: p.scale,
    z: p.z,
    quietBaseline: p.expected < 1 && p.scale === 1,
    direction: p.z > 0 ? 'spike' : 'drop',
    lower: p.expected - q.threshold * p.scale,
    upper: p.expected + q.threshold * p.scale,
  }));
  const ids = new Set(scored.vintages);
  const vintages = plan.meta.vintages
    .filter((v) => ids.has(v.id))
    .map(({ id, source, file_name, sha256 }) => ({ id, source, file_name, sha256 }));
  anomalies.sort(
    (a, b) => Math.abs(b.z) - Math.abs(a.z) || a.geo.localeCompare(b.geo) || a.period.localeCompare(b.period),
  );
  return {
    query: q,
    examined: { places: scored.places, months: scored.months },
    anomalies,
    vintages,
  };
}

/** `2019`, `2019-Q2` or `2019-03` moved by `n` months, as `YYYY-MM` (the first month of the period). */
function shiftMonths(period: string, n: number): string {
  const match = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/.exec(period);
  if (!match)
    throw new ValidationError(
      [textIssue('from', 'validation.schema.anomalyPeriod', { given: JSON.stringify(period) })],
      undefined,
      'query',
    );
  const month = match[2] ? Number(match[2]) : match[3] ? (Number(match[3]) - 1) * 3 + 1 : 1;
  const index = Number(match[1]) * 12 + month - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
