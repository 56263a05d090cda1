/**
 * What the statistics say about one Mexican place (the country, a state or a municipality), gathered
 * once for every surface that shows it, so the place's profile page and its brief give the same figures:
 * homicide rates against its state and the country, a traffic light per crime against the place's own
 * three-year average, anomalous months, and the INEGI–SESNSP reconciliation of its state. `until` (a
 * year) ends every figure there, for a brief of an earlier period. A figure the store cannot give (a
 * measure not imported) is absent, never an error; any other failure is thrown.
 * @module
 */
import { MarcoError } from '../error.js';
import { findAnomalies, type AnomalyResult } from '../stats/anomalies.js';
import { memoInGeneration } from '../stats/generation-memo.js';
import { reconcile, type ReconciliationRow } from '../stats/reconcile.js';
import { querySeries, type SeriesQuery, type SeriesResult } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';

export type LightStatus = 'green' | 'amber' | 'red' | 'no_data';

/** Status of a crime against its own three-year average; see docs/web.md. */
export function trafficLight(latest: number, previous: number[]): LightStatus {
  if (previous.length < 3) return 'no_data';
  const average = previous.reduce((s, v) => s + v, 0) / previous.length;
  if (latest <= 0.75 * average) return 'green';
  return latest > average ? 'red' : 'amber';
}

/** The crimes a place is lit for, each from its publisher. */
export const CRIMES = [
  { measure: 'homicides', source: 'INEGI' },
  { measure: 'homicide_victims', source: 'SESNSP' },
  { measure: 'femicide_victims', source: 'SESNSP' },
  { measure: 'kidnapping_victims', source: 'SESNSP' },
  { measure: 'extortion_victims', source: 'SESNSP' },
] as const;

export interface CrimeLight {
  measure: (typeof CRIMES)[number]['measure'];
  source: 'INEGI' | 'SESNSP';
  /** Where it is counted: SESNSP counts states, so a municipality's light is its state's. */
  where: string;
  /** Its latest complete year, with that year's count and the average of the three before. */
  year: number | null;
  count: number | null;
  average: number | null;
  status: LightStatus;
}

export interface PlaceStatistics {
  code: string;
  level: 'country' | 'state' | 'municipality';
  name: string | null;
  /** The place's state (the place itself for a state or the country). */
  state: string;
  stateName: string | null;
  /** Yearly homicides per 100,000: the place, then its state and the country. */
  rates: SeriesResult | null;
  lights: CrimeLight[];
  /** Anomalous months of homicides over the place's last three years of data. */
  anomalies: AnomalyResult | null;
  /** INEGI against SESNSP for the state, its last six years. */
  reconciliation: ReconciliationRow[];
}

/** `null` for a refusal the store explains (no such measure); any other failure is thrown. */
function unlessRefused(error: unknown): null {
  if (error instanceof MarcoError) return null;
  throw error;
}

/**
 * A series, computed once per state of the store: the state's and the country's series are the same
 * for every municipality of the state, and a place shown again reads them back.
 */
const series = (stats: StatsStore, query: SeriesQuery) =>
  memoInGeneration(stats, `series:${JSON.stringify(query)}`, () => querySeries(stats, query));

/** Complete calendar years of a monthly series (all twelve months present), summed. */
function fullYears(result: SeriesResult | null, until?: number): Map<number, number> {
  const byYear = new Map<number, { sum: number; months: number }>();
  for (const p of result?.series[0]?.points ?? []) {
    const y = Number(p.period.slice(0, 4));
    if (until !== undefined && y > until) continue;
    const e = byYear.get(y) ?? { sum: 0, months: 0 };
    e.sum += p.value;
    e.months++;
    byYear.set(y, e);
  }
  return new Map([...byYear].filter(([, e]) => e.months === 12).map(([y, e]) => [y, e.sum]));
}

const levelOf = (code: string, level: string): PlaceStatistics['level'] =>
  code === 'MX' ? 'country' : level === 'municipality' ? 'municipality' : 'state';

/**
 * The statistics of `code` (`MX`, a state or a municipality the store knows), up to the year `until`
 * when given.
 */
export async function placeStatistics(
  stats: StatsStore,
  place: { code: string; level: string; name: string | null; parent: string | null },
  options: { until?: string } = {},
): Promise<PlaceStatistics> {
  const meta = await stats.metadata();
  const code = place.code;
  const level = levelOf(code, place.level);
  const state = level === 'municipality' ? place.parent! : code;
  const base: PlaceStatistics = {
    code,
    level,
    name: place.name,
    state,
    stateName: meta.places.get(state)?.name ?? null,
    rates: null,
    lights: [],
    anomalies: null,
    reconciliation: [],
  };
  if (meta.vintages.length === 0) return base;
  const until = options.until;
  const measures = new Set(meta.coverage.map((c) => c.measure));

  // The place's own series, then its state's and the country's, which its neighbours share.
  const compare = [...new Set([code, state, 'MX'])];
  const rateQuery = (geo: string[]): SeriesQuery => ({
    measure: 'homicides',
    geo,
    by: 'year',
    from: '2000',
    ...(until ? { to: until } : {}),
    per: 100_000,
  });
  const [own, shared] = await Promise.all([
    series(stats, rateQuery([code])).catch(unlessRefused),
    compare.length > 1 ? series(stats, rateQuery(compare.slice(1))).catch(unlessRefused) : null,
  ]);
  const rates = own && { ...own, series: [...own.series, ...(shared?.series ?? [])] };

  // A traffic light per crime: its latest complete year against the average of the three before.
  const lights: CrimeLight[] = [];
  for (const crime of CRIMES) {
    if (!measures.has(crime.measure)) continue;
    const where = crime.source === 'SESNSP' ? state : code;
    const monthly = await series(stats, { measure: crime.measure, geo: [where], by: 'month' }).catch(
      unlessRefused,
    );
    const years = fullYears(monthly, until ? Number(until) : undefined);
    const last = [...years.keys()].sort().at(-1);
    const previous =
      last === undefined
        ? []
        : [last - 3, last - 2, last - 1].filter((y) => years.has(y)).map((y) => years.get(y)!);
    lights.push({
      ...crime,
      where,
      year: last ?? null,
      count: last === undefined ? null : years.get(last)!,
      average: previous.length === 3 ? previous.reduce((s, v) => s + v, 0) / 3 : null,
      status: last === undefined ? 'no_data' : trafficLight(years.get(last)!, previous),
    });
  }

  // Anomalous months of homicides over the last three years of data.
  let anomalies: AnomalyResult | null = null;
  const lastYear = rates?.series[0]?.points.at(-1)?.period;
  if (lastYear) {
    const window = { measure: 'homicides', geo: [code], from: String(Number(lastYear) - 2), to: lastYear };
    anomalies = await memoInGeneration(stats, `anomalies:${JSON.stringify(window)}`, () =>
      findAnomalies(stats, window),
    ).catch(unlessRefused);
  }

  // INEGI homicides against SESNSP homicide and femicide victims, for the state.
  let reconciliation: ReconciliationRow[] = [];
  if (measures.has('homicide_victims') && measures.has('homicides')) {
    const rec = await memoInGeneration(stats, `reconcile:${state}`, () =>
      reconcile(stats, { geo: [state] }),
    ).catch(unlessRefused);
    reconciliation = (rec ?? []).filter((r) => r.geo === state && (!until || r.year <= until)).slice(-6);
  }
  return { ...base, rates, lights, anomalies, reconciliation };
}
