/**
 * How results become one actual: results across places and disaggregations are reduced to totals, the
 * coarsest level and the widest periods win over their parts, and a target period's results combine by
 * the indicator's aggregation rule (sum, latest, mean or ratio of sums).
 * @module
 */
import { comparePeriods, parsePeriod, periodContains, type Period } from './periods.js';
import type { Aggregation, MissingReason, ScoreResult } from './score-types.js';

/** A finite number, or null for anything else (null, undefined, NaN, ±Infinity). */
export const finiteOrNull = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

/**
 * Combines results across periods and places into one actual. `latest` takes each place's latest period
 * and adds places up (cumulative counts such as "facilities accredited to date"); results sharing that
 * latest period (e.g. the categories of one disaggregation) are added too. `ratio_of_sums` divides summed
 * numerators by summed denominators, never averaging rates, because places with different populations
 * must weigh differently; when components are missing it cannot be recomputed and is null unless there is
 * a single result to take as is. `count` is how many results went into the value.
 */
export function aggregateResults(
  results: ScoreResult[],
  rule: Aggregation,
  factor: number,
): { value: number | null; reason: MissingReason | null; count: number } {
  const none = { value: null, reason: 'missing-actual' as const, count: 0 };

  if (rule === 'ratio_of_sums') {
    const usable = results.filter(
      (r) =>
        finiteOrNull(r.value) !== null ||
        (finiteOrNull(r.numerator) !== null && finiteOrNull(r.denominator) !== null),
    );
    if (usable.length === 0) return none;
    const complete = usable.every(
      (r) => finiteOrNull(r.numerator) !== null && finiteOrNull(r.denominator) !== null,
    );
    if (!complete) {
      if (usable.length === 1) return { value: finiteOrNull(usable[0]!.value), reason: null, count: 1 };
      return { value: null, reason: 'missing-components', count: usable.length };
    }
    let num = 0;
    let den = 0;
    for (const r of usable) {
      num += r.numerator!;
      den += r.denominator!;
    }
    if (den === 0) return { value: null, reason: 'missing-components', count: usable.length };
    return { value: (num / den) * factor, reason: null, count: usable.length };
  }

  const valued = results.filter((r) => finiteOrNull(r.value) !== null);
  if (valued.length === 0) return none;

  if (rule === 'sum' || rule === 'mean') {
    const total = valued.reduce((s, r) => s + r.value!, 0);
    return { value: rule === 'sum' ? total : total / valued.length, reason: null, count: valued.length };
  }

  // latest: per place, the results of its latest (parseable) period; then sum across places.
  const byPlace = new Map<string, { period: Period; results: ScoreResult[] }>();
  for (const r of valued) {
    const p = parsePeriod(r.period);
    if (!p) continue;
    const current = byPlace.get(r.place);
    const cmp = current ? comparePeriods(p, current.period) : 1;
    if (cmp > 0) byPlace.set(r.place, { period: p, results: [r] });
    else if (cmp === 0) current!.results.push(r);
  }
  if (byPlace.size === 0) return none;
  let value = 0;
  let count = 0;
  for (const { results: latest } of byPlace.values()) {
    for (const r of latest) value += r.value!;
    count += latest.length;
  }
  return { value, reason: null, count };
}

/**
 * The results a scorecard should use: totals (no disaggregation). When nothing was reported as a total
 * but everything is split along one and the same dimension, the categories add up to the total and are
 * returned instead; any other mix cannot be added without double counting, so nothing is returned.
 */
export function selectTotals(results: ScoreResult[]): ScoreResult[] {
  const keysOf = (r: ScoreResult) => Object.keys(r.disaggregation ?? {});
  const totals = results.filter((r) => keysOf(r).length === 0);
  if (totals.length > 0 || results.length === 0) return totals;
  const first = keysOf(results[0]!);
  if (first.length !== 1) return [];
  const key = first[0]!;
  return results.every((r) => {
    const keys = keysOf(r);
    return keys.length === 1 && keys[0] === key;
  })
    ? results
    : [];
}

/** 0 for a country (`MX`, `US`), 1 for a state, 2 for a municipality. */
export function placeLevel(place: string): number {
  if (place === 'MX' || place === 'US') return 0;
  return /^\d{5}$/.test(place) ? 2 : 1;
}

/**
 * For an all-places target: the results at the coarsest place level reported, so a national figure and
 * the state figures inside it are never added together.
 */
export function coarsestLevel(results: ScoreResult[]): ScoreResult[] {
  if (results.length === 0) return results;
  const level = Math.min(...results.map((r) => placeLevel(r.place)));
  return results.filter((r) => placeLevel(r.place) === level);
}

/**
 * The results whose period no other result of the same place covers: a figure for a year and figures for
 * its quarters (or a fiscal year and a half year inside it) are never added together; the wider one is
 * the place's figure for that span.
 */
export function coarsestPeriods(results: ScoreResult[]): ScoreResult[] {
  const parsed = results.map((r) => ({ r, p: parsePeriod(r.period) }));
  return parsed
    .filter(
      ({ r, p }) =>
        !p ||
        !parsed.some(
          (o) =>
            o.p &&
            o.r.place === r.place &&
            periodContains(o.p, p) &&
            (o.p.start !== p.start || o.p.end !== p.end),
        ),
    )
    .map(({ r }) => r);
}

/**
 * {@link selectTotals} applied to each period and place separately, so a year reported only by sex and
 * a later year reported as totals both count, and per-period and life-of-program figures agree.
 */
export function totalsByPeriodAndPlace(results: ScoreResult[]): ScoreResult[] {
  const groups = new Map<string, ScoreResult[]>();
  for (const r of results) {
    const key = `${r.period}\u0000${r.place}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].flatMap(selectTotals);
}
