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
 * (`-` for no population); with `per`, the rate is value / population × per × k, and null when the
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
  points: (rows ? rows.split('; ') : []).map((row) => {
    const [period, start, value, pop] = row.split(' ');
    const population = pop === undefined || pop === '-' ? null : Number(pop);
    const rate = per && population ? (Number(value) / population) * per * k : null;
    return { geo, name, period, start, value: Number(value), population, rate };
  }),
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
    return (error as ValidationError).issues;
  };
  return { stores, run, points, failure };
}
