/**
 * Which source serves each period of a series: source precedence applied period by period, never to a
 * whole window, so a period's value is the same whether it is asked alone or inside any longer window.
 *
 * For a place's level, the candidates are the sources that publish the place itself or its children
 * (municipalities summed to their state, states to the country), among those that can be given by the
 * period asked for. They are ranked once, whatever the window:
 * 1. the measure's documented source order (`Measure.sources`; sources it does not name come after);
 * 2. the place's own figures before a sum of its children;
 * 3. the source reaching later, then the source id.
 *
 * Each period is served by the first candidate that covers it completely. A period no candidate covers
 * completely is served by the first that covers part of it, and is flagged partial with the months it
 * covers: months beyond the source's last (SESNSP's half year), or months the source declares incomplete
 * (`Source.incompleteTail`, such as the last year of a registration-year extract).
 * @module
 */
import { levelOfCode } from '../../domain/place-check.js';
import type { Measure } from '../measures.js';
import { sourceById } from '../sources/index.js';
import { bucketOf, MONTHS_OF, monthIndex, wholePeriods, type By } from './buckets.js';

/** Which `by` each stored granularity can be given by: a period is never split, only combined. */
export const FITS: Record<string, string[]> = {
  month: ['month', 'quarter', 'year', 'fiscal_year'],
  quarter: ['quarter', 'year', 'fiscal_year'],
  year: ['year'],
  fiscal_year: ['fiscal_year'],
};

/** The country of a place code: INEGI codes are digits, U.S. codes letters. */
export const COUNTRY_OF = (code: string): 'MX' | 'US' => (code === 'MX' || /^\d/.test(code) ? 'MX' : 'US');

/** The level a place code's shape gives (`domain/place-check.ts`). */
export const LEVEL_OF = levelOfCode;

export const CHILD_LEVELS: Record<string, string[]> = {
  country: ['state', 'municipality'],
  state: ['municipality'],
  municipality: [],
};

/** What one source publishes of a measure at one level (a row of the store's coverage table). */
export interface Coverage {
  source: string;
  geo_level: string;
  granularity: string;
  totals: boolean;
  /** The first day of the first and of the last period held. */
  period_from: string;
  period_to: string;
}

/** The catalog key (`stats.method.*`) of a plan's `method`, for every surface that names it. */
export function methodKey(method: string): 'published' | 'sumStates' | 'sumMunicipalities' {
  return method === 'published'
    ? 'published'
    : method === 'sum of states'
      ? 'sumStates'
      : 'sumMunicipalities';
}

/** One source at one level, serving places of a (possibly higher) level. */
export interface Plan {
  source: string;
  level: string;
  /** `published`, or `sum of states` / `sum of municipalities`. */
  method: string;
}

/** Why a period is partial: months it lacks, or months its source declares incomplete. */
export type PartialReason = 'months_missing' | 'registration_cutoff';

export interface PartialPeriod {
  /** Month indices (see `buckets.ts`) of the first and last month the source holds in the period. */
  from: number;
  to: number;
  reason: PartialReason;
}

/** A run of consecutive periods served by one plan: month indices of its first and last month. */
export interface Segment {
  plan: Plan;
  first: number;
  last: number;
}

export interface PeriodPlan {
  /** The best-ranked candidate, which names a series with no periods in the window. */
  best: Plan | undefined;
  /** The first and last month any candidate holds (month indices), whatever the window. */
  held?: { first: number; last: number };
  segments: Segment[];
  /** The partial periods, by the month index of their first month. */
  partial: Map<number, PartialPeriod>;
}

interface Candidate {
  plan: Plan;
  start: number;
  /** The last month held, and the last month held completely. */
  end: number;
  completeEnd: number;
  tailReason: PartialReason | undefined;
}

/**
 * The candidates for places of `level`, best first, or a granularity that blocks the `by` asked for when
 * the only sources there are cannot be given by it.
 */
function candidates(
  coverage: Coverage[],
  measure: Pick<Measure, 'sources'>,
  level: string,
  by: By,
  preferred?: string,
  country?: 'MX' | 'US',
): { list: Candidate[]; blocked?: { source: string; granularity: string } } {
  const levels = [level, ...(CHILD_LEVELS[level] ?? [])];
  const ofCountry = (source: string) => {
    const own = sourceById(source)?.country;
    return !country || !own || own === country;
  };
  const eligible = coverage.filter(
    (c) => (!preferred || c.source === preferred) && levels.includes(c.geo_level) && ofCountry(c.source),
  );
  const fitting = eligible.filter((c) => FITS[c.granularity]?.includes(by));
  const unfit = eligible.find((c) => !FITS[c.granularity]?.includes(by));
  if (fitting.length === 0)
    return {
      list: [],
      ...(unfit ? { blocked: { source: unfit.source, granularity: unfit.granularity } } : {}),
    };
  const order = measure.sources ?? [];
  const rank = (source: string) => (order.includes(source) ? order.indexOf(source) : order.length);
  const list = fitting
    .sort(
      (a, b) =>
        rank(a.source) - rank(b.source) ||
        levels.indexOf(a.geo_level) - levels.indexOf(b.geo_level) ||
        b.period_to.localeCompare(a.period_to) ||
        a.source.localeCompare(b.source),
    )
    .map((c): Candidate => {
      const start = monthIndex(c.period_from);
      const end = monthIndex(c.period_to) + (MONTHS_OF[c.granularity] ?? 1) - 1;
      const tail = sourceById(c.source)?.incompleteTail;
      const child = c.geo_level;
      return {
        plan: {
          source: c.source,
          level: child,
          method: child === level ? 'published' : `sum of ${child === 'state' ? 'states' : 'municipalities'}`,
        },
        start,
        end,
        completeEnd: end - (tail?.months ?? 0),
        tailReason: tail?.reason,
      };
    });
  return { list };
}

/**
 * Plans the periods of `[from, to]` (widened to whole periods of `by`) for places of `level` (of
 * `country`: a source of another country is no candidate); see the module documentation. `blocked`
 * names a source whose granularity cannot be given by `by`, when no source can.
 */
export function planPeriods(
  coverage: Coverage[],
  measure: Pick<Measure, 'sources'>,
  level: string,
  span: { from: string; to: string; by: By },
  preferred?: string,
  country?: 'MX' | 'US',
): PeriodPlan & { blocked?: { source: string; granularity: string } } {
  const { list, blocked } = candidates(coverage, measure, level, span.by, preferred, country);
  const partial = new Map<number, PartialPeriod>();
  const segments: Segment[] = [];
  if (list.length === 0) return { best: undefined, segments, partial, ...(blocked ? { blocked } : {}) };
  const whole = wholePeriods(span, span.by);
  const held = { first: Math.min(...list.map((c) => c.start)), last: Math.max(...list.map((c) => c.end)) };
  const step = MONTHS_OF[span.by]!;
  const from = Math.max(whole.first, bucketOf(held.first, span.by));
  for (let b = from; b <= Math.min(whole.last, held.last); b += step) {
    const end = b + step - 1;
    let chosen = list.find((c) => c.start <= b && c.completeEnd >= end);
    if (!chosen) {
      chosen = list.find((c) => c.start <= end && c.end >= b);
      if (!chosen) continue;
      const first = Math.max(b, chosen.start);
      const to = Math.min(end, chosen.end);
      const cutOff = chosen.tailReason !== undefined && to > chosen.completeEnd;
      partial.set(b, { from: first, to, reason: cutOff ? chosen.tailReason! : 'months_missing' });
    }
    const last = segments.at(-1);
    if (last && last.plan === chosen.plan && last.last === b - 1) last.last = end;
    else segments.push({ plan: chosen.plan, first: b, last: end });
  }
  return { best: list[0]!.plan, held, segments, partial };
}
