/**
 * How many points a series query asks for, before it runs: the places it covers times the periods
 * between its bounds (clamped to what the store holds for the measure). The API refuses a query above
 * its limit with a message that says how to narrow it, and gates large queries so a burst of them
 * cannot exhaust the server's memory.
 * @module
 */
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { MarcoError, EXIT, ValidationError } from '../error.js';
import { bounds, queryPlaces, SeriesQuery } from './series.js';
import pLimit from 'p-limit';
import type { StatsStore } from './stats-store.js';

const PER_YEAR = { month: 12, quarter: 4, year: 1, fiscal_year: 1 } as const;

/** A series query larger than the API answers. */
export class TooManyPointsError extends MarcoError {
  readonly code = 'too_many_points';
  readonly status = 422;
  readonly exitCode = EXIT.invalid;
  constructor(
    readonly points: number,
    readonly places: number,
    readonly limit: number,
  ) {
    super({ key: 'limits.tooManyPoints', values: { points, places, limit } });
  }
  override details() {
    return { points: this.points, places: this.places, limit: this.limit };
  }
}

/** The number of points `input` asks for (an upper bound: gaps make it smaller). */
export async function seriesPoints(
  stats: StatsStore,
  input: unknown,
): Promise<{ points: number; places: number }> {
  const parsed = safeParseInput(SeriesQuery, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'series query', 'query');
  const q = parsed.data;
  const meta = await stats.metadata();
  const places = queryPlaces(q, meta).length;
  const held = meta.coverage.filter((c) => c.measure === q.measure);
  if (held.length === 0) return { points: 0, places };
  // The query's bounds, clamped to the span the store holds for the measure (ISO dates compare as text).
  const { from, to } = bounds(q);
  const start = held.map((c) => c.period_from).sort()[0]!;
  const end = held
    .map((c) => c.period_to)
    .sort()
    .at(-1)!;
  const first = from > start ? from : start;
  const last = to < end ? to : end;
  const years = Math.max(0, Number(last.slice(0, 4)) - Number(first.slice(0, 4)) + 1);
  return { points: places * years * PER_YEAR[q.by ?? 'year'], places };
}

/** Queries above this many points run two at a time, whatever the number of clients asking. */
export const HEAVY_POINTS = 50_000;
const heavy = pLimit(2);

/**
 * Runs `work` (a series query of `input`) after checking its size: above `maxPoints` it is refused with
 * {@link TooManyPointsError}; above {@link HEAVY_POINTS} it waits for one of two slots, so concurrent
 * maximal queries hold at most two answers in memory at once.
 */
export async function boundedSeries<T>(
  stats: StatsStore,
  input: unknown,
  maxPoints: number,
  work: () => Promise<T>,
): Promise<T> {
  const release = await reserveSeries(stats, input, maxPoints);
  try {
    return await work();
  } finally {
    release();
  }
}

/**
 * Like {@link boundedSeries}, but the slot of a large query is held until `release` is called: a
 * download streamed to a slow reader keeps its answer in memory until the last byte is sent, so the
 * slot must outlive the query.
 */
export async function reserveSeries(
  stats: StatsStore,
  input: unknown,
  maxPoints: number,
): Promise<() => void> {
  const { points, places } = await seriesPoints(stats, input);
  if (points > maxPoints) throw new TooManyPointsError(points, places, maxPoints);
  if (points <= HEAVY_POINTS) return () => undefined;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await new Promise<void>((started) => {
    void heavy(() => {
      started();
      return held;
    });
  });
  return release;
}
