/**
 * Drug supply beside overdose deaths: CBP's seizures of fentanyl and methamphetamine by month (pounds,
 * nationwide), and a lagged comparison of fentanyl seized with the CDC's provisional synthetic-opioid
 * deaths. CDC publishes 12-month-ending counts (each month's figure covers the twelve months it ends),
 * so seizures are compared as the same 12-month-ending sums, never a month against a year; a window with
 * a month missing is left out. For each lag (deaths 0, 3, 6 or 12 months after the seizures' window
 * ends) the Pearson correlation across months and how many months it rests on. Correlation is not cause:
 * both series trend over the same years.
 * @module
 */
import { areaState } from './cbp-areas.js';
import { MarcoError } from '../error.js';
import { measureDimensions } from '../stats/discover/dimensions.js';
import { querySeries } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';

export const DRUGS = ['Fentanyl', 'Methamphetamine'] as const;
export type Drug = (typeof DRUGS)[number];
export const LAGS = [0, 3, 6, 12] as const;

export interface MonthValue {
  period: string;
  value: number;
}

export interface LagRow {
  lag: number;
  /** Pearson's r, or null with fewer than three months. */
  r: number | null;
  months: number;
  from: string | null;
  to: string | null;
}

/** One area of responsibility's seizures in a fiscal year, by drug (pounds). */
export interface AreaSeizures {
  area: string;
  /** The state of its headquarters (`cbp-areas.ts`), or null when it has none. */
  state: string | null;
  pounds: Record<Drug, number>;
}

/** A state's seizures in the fiscal year: the sum over the areas headquartered there. */
export interface StateSeizures {
  state: string;
  areas: string[];
  pounds: Record<Drug, number>;
}

/** The areas' pounds summed by the state of their headquarters, most fentanyl first. */
export function byState(rows: readonly AreaSeizures[]): StateSeizures[] {
  const out = new Map<string, StateSeizures>();
  for (const r of rows) {
    if (r.state === null) continue;
    const s = out.get(r.state) ?? {
      state: r.state,
      areas: [],
      pounds: Object.fromEntries(DRUGS.map((d) => [d, 0])) as Record<Drug, number>,
    };
    s.areas.push(r.area);
    for (const d of DRUGS) s.pounds[d] += r.pounds[d];
    out.set(r.state, s);
  }
  return [...out.values()].sort(
    (a, b) => b.pounds.Fentanyl - a.pounds.Fentanyl || (a.state < b.state ? -1 : 1),
  );
}

export interface DrugSupply {
  seizures: Record<Drug, MonthValue[]>;
  /** The last whole fiscal year CBP's files cover, and each area's pounds in it, most fentanyl first. */
  areas: { fiscalYear: string; rows: AreaSeizures[] } | null;
  /** Fentanyl seized over the twelve months ending each month. */
  fentanyl12m: MonthValue[];
  deaths12m: MonthValue[];
  lags: LagRow[];
}

/** `YYYY-MM` plus `months`. */
export function addMonths(period: string, months: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** The sums over each run of twelve consecutive months present in `monthly`, at the month each ends. */
export function trailing12(monthly: readonly MonthValue[]): MonthValue[] {
  const by = new Map(monthly.map((p) => [p.period, p.value]));
  const out: MonthValue[] = [];
  for (const { period } of monthly) {
    let sum = 0;
    let whole = true;
    for (let k = 0; k < 12 && whole; k++) {
      const v = by.get(addMonths(period, -k));
      if (v === undefined) whole = false;
      else sum += v;
    }
    if (whole) out.push({ period, value: sum });
  }
  return out;
}

/** Pearson's correlation of paired values, or null with fewer than three pairs or no variation. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 3) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** For each lag, the correlation of `supply` at a month with `deaths` `lag` months later. */
export function lagged(supply: readonly MonthValue[], deaths: readonly MonthValue[]): LagRow[] {
  const death = new Map(deaths.map((p) => [p.period, p.value]));
  return LAGS.map((lag) => {
    const pairs = supply.flatMap((p) => {
      const d = death.get(addMonths(p.period, lag));
      return d === undefined ? [] : [[p.value, d, p.period] as const];
    });
    return {
      lag,
      r: pearson(
        pairs.map((p) => p[0]),
        pairs.map((p) => p[1]),
      ),
      months: pairs.length,
      from: pairs[0]?.[2] ?? null,
      to: pairs.at(-1)?.[2] ?? null,
    };
  });
}

async function monthly(
  stats: StatsStore,
  measure: string,
  filters?: Record<string, string>,
): Promise<MonthValue[]> {
  try {
    const result = await querySeries(stats, {
      measure,
      geo: ['US'],
      by: 'month',
      ...(filters ? { filters } : {}),
    });
    return (result.series[0]?.points ?? [])
      .filter((p) => p.value !== null && p.value !== undefined && !p.partial)
      .map((p) => ({ period: p.period, value: p.value! }));
  } catch (error) {
    // A measure with no source imported yet: no months. Any other failure is a bug, and is thrown.
    if (error instanceof MarcoError) return [];
    throw error;
  }
}

export async function drugSupply(stats: StatsStore): Promise<DrugSupply> {
  const seizures = Object.fromEntries(
    await Promise.all(
      DRUGS.map(async (drug) => [drug, await monthly(stats, 'drug_seizures_lbs', { drug })] as const),
    ),
  ) as Record<Drug, MonthValue[]>;
  const deaths12m = await monthly(stats, 'synthetic_opioid_deaths_12m');
  const fentanyl12m = trailing12(seizures.Fentanyl);
  return {
    seizures,
    areas: await areaSeizures(stats),
    fentanyl12m,
    deaths12m,
    lags: lagged(fentanyl12m, deaths12m),
  };
}

/** A fiscal year's pounds of `drug` seized in `area` (0 when none was). */
async function fiscalYearPounds(stats: StatsStore, fiscalYear: string, area: string, drug: Drug) {
  const result = await querySeries(stats, {
    measure: 'drug_seizures_lbs',
    geo: ['US'],
    by: 'fiscal_year',
    from: fiscalYear,
    to: fiscalYear,
    filters: { drug, area_of_responsibility: area },
  });
  return result.series[0]?.points[0]?.value ?? 0;
}

/** Each area of responsibility's seizures in the last whole fiscal year, or null without seizures. */
async function areaSeizures(stats: StatsStore): Promise<DrugSupply['areas']> {
  let years;
  try {
    years = await querySeries(stats, {
      measure: 'drug_seizures_lbs',
      geo: ['US'],
      by: 'fiscal_year',
      filters: { drug: 'Fentanyl' },
    });
  } catch (error) {
    if (error instanceof MarcoError) return null;
    throw error;
  }
  const fiscalYear = (years.series[0]?.points ?? []).filter((p) => !p.partial).at(-1)?.period;
  if (!fiscalYear) return null;
  const areas = (await measureDimensions(stats, 'drug_seizures_lbs')).area_of_responsibility ?? [];
  const rows = await Promise.all(
    areas.map(async (area) => ({
      area,
      state: areaState(area),
      pounds: Object.fromEntries(
        await Promise.all(
          DRUGS.map(async (d) => [d, await fiscalYearPounds(stats, fiscalYear, area, d)] as const),
        ),
      ) as Record<Drug, number>,
    })),
  );
  return {
    fiscalYear,
    rows: rows
      .filter((r) => DRUGS.some((d) => r.pounds[d] > 0))
      .sort((a, b) => b.pounds.Fentanyl - a.pounds.Fentanyl || a.area.localeCompare(b.area)),
  };
}
