/**
 * Shared set-up of the series query tests (series-periods.test.ts, series-plan.test.ts): the source ids,
 * the expected-series builder and the stores of series-files.ts, opened once per test file.
 * @module
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { ValidationError } from '../../src/error.js';
import { querySeries, type SeriesQuery } from '../../src/stats/series.js';
import type { StatsStore } from '../../src/stats/stats-store.js';
import { openSeriesStores, type SeriesStores } from './series-files.js';

export const HS = 'inegi-homicides-state';
export const HM = 'inegi-homicides-municipal';
export const PM = 'conapo-population-state-monthly';
export const PY = 'conapo-population-state';
export const PMUN = 'conapo-population-municipal';
export const CDC = 'cdc-vsrr-overdose';
export const CBP = 'cbp-drug-seizures';
export const AID = 'usaid-foreign-aid';
export const AGS = 'Aguascalientes';

/**
 * An expected series. `rows` lists its points, `;`-separated, each `period start value [population]`
 * (`-` for no figure, `~` or nothing for no population source); with `per`, the rate is value / population × per × k, and null when the
 * population is missing or 0.
 */
export const series = (
  geo: string,
  name: string | null,
  method: string,
  source: string,
  rows = '',
  per = 0,
  k = 1,
) => ({
  geo,
  name,
  method,
  source,
  breaks: [] as unknown[],
  points: (rows ? rows.split('; ') : []).map((row) => {
    const [period, start, value, pop] = row.split(' ');
    const population = pop === undefined || pop === '-' || pop === '~' ? null : Number(pop);
    const rate = per && population ? (Number(value) / population) * per * k : null;
    // A rate asked for and missing says why: `-` no figure, `~` (or nothing) no population source.
    const rateGap =
      per && rate === null
        ? population === 0
          ? 'zero_population'
          : pop === '-'
            ? 'no_population'
            : 'no_population_source'
        : undefined;
    return {
      geo,
      name,
      period,
      start,
      value: Number(value),
      population,
      populationSource: (population === null ? null : expect.any(String)) as string | null,
      rate,
      ...(rateGap ? { rateGap } : {}),
      source,
      method,
      vintage: expect.any(Number) as unknown as number,
      partial: false,
    };
  }),
});

/**
 * The same series with some points from another source or method: `changes` maps the first period of
 * each run to its `[method, source]`; a break is expected at each.
 */
export const spliced = (
  base: ReturnType<typeof series>,
  changes: Record<string, [method: string, source: string]>,
): ReturnType<typeof series> => {
  let current: [string, string] = [
    base.points[0]?.method ?? base.method,
    base.points[0]?.source ?? base.source,
  ];
  const breaks: unknown[] = [];
  const points = base.points.map((p) => {
    const change = changes[p.period!];
    if (change) {
      breaks.push({
        period: p.period,
        start: p.start,
        from: { source: current[1], method: current[0] },
        to: { source: change[1], method: change[0] },
      });
      current = change;
    }
    return { ...p, method: current[0], source: current[1] };
  });
  return { ...base, method: current[0], source: current[1], breaks, points };
};

/** The series with the points of the periods in `map` flagged partial, covering `[from, to]`. */
export const withPartial = (
  s: ReturnType<typeof series>,
  map: Record<string, [from: string, to: string, reason?: string]>,
): ReturnType<typeof series> => ({
  ...s,
  points: s.points.map((p) => (map[p.period!] ? partialPoint(p, ...map[p.period!]!) : p)),
});

/** A point flagged partial, covering the months `from` to `to`, for the reason given. */
export const partialPoint = <P extends object>(
  point: P,
  from: string,
  to: string,
  reason = 'months_missing',
): P & { partial: true; covers: { from: string; to: string }; partialReason: string } => ({
  ...point,
  partial: true,
  covers: { from, to },
  partialReason: reason,
});

/** Opens the stores before the calling file's tests and closes them after; returns the query helpers. */
export function seriesStores() {
  let s: SeriesStores | undefined;
  beforeAll(async () => {
    s = await openSeriesStores();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });
  const stores = () => {
    if (!s) throw new Error('series stores are not open');
    return s;
  };
  const run = (query: SeriesQuery, store: StatsStore = stores().a) => querySeries(store, query);
  const points = async (query: SeriesQuery, store?: StatsStore) => (await run(query, store)).series;
  const failure = async (query: unknown) => {
    const error: unknown = await querySeries(stores().a, query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    // Each problem's English message; its catalog text (for other languages) is checked in web/spanish.test.ts.
    return (error as ValidationError).issues.map(({ text: _text, ...issue }) => issue);
  };
  return { stores, run, points, failure };
}
