/**
 * The scorecard engine: "% of target met", red/amber/green status, aggregation of period results into
 * target periods and life of program, and roll-ups of indicator statuses to programs, framework nodes and
 * outcome coverage. Everything here is pure arithmetic over plain data so it can run in the API, the CLI,
 * reports and tests alike.
 * @module
 */
import { comparePeriods, parsePeriod, periodContains } from './periods.js';
import type { Period } from './periods.js';

/** Which way is better: `increase` (more is better) or `decrease` (less is better, e.g. homicides). */
export type Direction = 'increase' | 'decrease';
/** How results across periods and places combine into one actual. */
export type Aggregation = 'sum' | 'latest' | 'mean' | 'ratio_of_sums';
/** The results-chain level of an indicator. */
export type IndicatorLevel = 'input' | 'activity' | 'output' | 'outcome' | 'impact';
/** A scorecard traffic light; `no_data` when there is nothing to score. */
export type Status = 'green' | 'amber' | 'red' | 'no_data';

/** Status cut-offs, as fractions of the target met (0.9 = 90 %). */
export interface Thresholds {
  green: number;
  amber: number;
}

/** Green from 90 % of target met, amber from 70 %, red below. */
export const DEFAULT_THRESHOLDS: Thresholds = { green: 0.9, amber: 0.7 };

/** What the engine needs to know about an indicator to score it. */
export interface ScoreIndicator {
  code: string;
  level: IndicatorLevel;
  direction: Direction;
  aggregation: Aggregation;
  /** e.g. 100000 for a rate per 100k; 1 for counts. */
  factor: number;
  baseline: { value: number; period: string | null } | null;
  /** `place` null = the target covers all places. */
  targets: { period: string; value: number; place: string | null }[];
  /** Life-of-program target. */
  lopTarget: number | null;
}

/** One reported or computed actual. */
export interface ScoreResult {
  period: string;
  place: string;
  disaggregation: Record<string, string>;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

/** Why a figure could not be computed (or, for `target-equals-baseline`, why it is all-or-nothing). */
export type MissingReason =
  | 'missing-actual'
  | 'missing-target'
  | 'missing-baseline'
  | 'target-equals-baseline'
  | 'missing-components'
  | 'target-contradicts-direction';

/** A fraction of target met (1 = target reached) with the reason when it is null or special-cased. */
export interface PercentMet {
  value: number | null;
  reason: MissingReason | null;
}

/** The score of one target (period, optionally one place). */
export interface PeriodScore {
  period: string;
  place: string | null;
  baseline: number | null;
  target: number;
  actual: number | null;
  /** How many results went into `actual`. */
  results: number;
  percentMet: number | null;
  status: Status;
  reason: MissingReason | null;
}

/** The full score of one indicator. */
export interface IndicatorScore {
  code: string;
  level: IndicatorLevel;
  direction: Direction;
  periods: PeriodScore[];
  lop: {
    target: number | null;
    actual: number | null;
    percentMet: number | null;
    status: Status;
    reason: MissingReason | null;
  };
  status: Status;
  latestPeriod: string | null;
}

/** How many indicators are in each status. */
export interface StatusCounts {
  green: number;
  amber: number;
  red: number;
  no_data: number;
  total: number;
}

const finiteOrNull = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

/**
 * Fraction of the target met, `(actual − baseline)/(target − baseline)`. The formula is direction-agnostic,
 * so a reduction target (baseline 24, target 20) scores 22 as 0.5 and 26 as −0.5 without special cases.
 * Without a baseline an increase target falls back to the usual `actual/target` (baseline 0), but a
 * decrease target cannot be scored, because "how far down" needs a starting point. A target equal to the
 * baseline ("maintain") would divide by zero, so it is scored all-or-nothing: 1 when the actual is at least
 * as good as the target in the indicator's direction, else 0, flagged `target-equals-baseline`.
 * Non-finite inputs count as missing.
 */
export function percentMet(
  actual: number | null,
  baseline: number | null,
  target: number | null,
  direction: Direction,
): PercentMet {
  const a = finiteOrNull(actual);
  const t = finiteOrNull(target);
  let b = finiteOrNull(baseline);
  if (a === null) return { value: null, reason: 'missing-actual' };
  if (t === null) return { value: null, reason: 'missing-target' };
  if (b === null) {
    if (direction === 'decrease') return { value: null, reason: 'missing-baseline' };
    b = 0;
  }
  if (t === b) {
    const good = direction === 'increase' ? a >= t : a <= t;
    return { value: good ? 1 : 0, reason: 'target-equals-baseline' };
  }
  // A target on the wrong side of the baseline would reward moving the wrong way.
  if (direction === 'increase' ? t < b : t > b)
    return { value: null, reason: 'target-contradicts-direction' };
  return { value: (a - b) / (t - b), reason: null };
}

function checkThresholds(thresholds: Thresholds): void {
  const { green, amber } = thresholds;
  if (!Number.isFinite(green) || !Number.isFinite(amber)) {
    throw new RangeError(`Status thresholds must be finite numbers (got green=${green}, amber=${amber})`);
  }
  if (amber > green) {
    throw new RangeError(`The amber threshold (${amber}) must not exceed the green threshold (${green})`);
  }
}

/**
 * Traffic-light status of a fraction of target met. Bad thresholds throw rather than silently colouring
 * every indicator wrongly.
 */
export function statusOf(p: PercentMet, thresholds: Thresholds = DEFAULT_THRESHOLDS): Status {
  checkThresholds(thresholds);
  if (p.value === null || !Number.isFinite(p.value)) return 'no_data';
  if (p.value >= thresholds.green) return 'green';
  if (p.value >= thresholds.amber) return 'amber';
  return 'red';
}

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

const STATUS_SEVERITY: Record<Status, number> = { no_data: 0, green: 1, amber: 2, red: 3 };

function compareTargets(
  a: { period: string; place: string | null; parsed: Period | undefined },
  b: { period: string; place: string | null; parsed: Period | undefined },
): number {
  if (a.parsed && b.parsed) {
    const c = comparePeriods(a.parsed, b.parsed);
    if (c !== 0) return c;
  } else if (a.parsed || b.parsed) {
    return a.parsed ? -1 : 1; // unparseable periods last
  }
  if (a.period !== b.period) return a.period < b.period ? -1 : 1;
  if (a.place === b.place) return 0;
  if (a.place === null) return -1;
  if (b.place === null) return 1;
  return a.place < b.place ? -1 : 1;
}

/**
 * Scores an indicator against each of its targets and its life-of-program target. Each target's actual
 * aggregates the total results whose period lies within the target period (so quarterly results roll into
 * an annual or fiscal-year target) and, for a place-scoped target, that place only. Unparseable periods
 * never throw: they simply match nothing. The indicator's overall status is that of the latest target
 * period with data; when that period has several place-scoped targets, the all-places target wins, else
 * the worst status, so a scorecard never looks better than its weakest place.
 */
export function scoreIndicator(
  ind: ScoreIndicator,
  results: ScoreResult[],
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): IndicatorScore {
  checkThresholds(thresholds);
  const totals = totalsByPeriodAndPlace(results).map((r) => ({ r, parsed: parsePeriod(r.period) }));
  const baseline = finiteOrNull(ind.baseline?.value);

  const targets = ind.targets.map((t) => ({ ...t, parsed: parsePeriod(t.period) })).sort(compareTargets);

  const periods: PeriodScore[] = targets.map((t) => {
    const inPeriod = t.parsed
      ? totals
          .filter(
            ({ r, parsed }) =>
              parsed && periodContains(t.parsed!, parsed) && (t.place === null || r.place === t.place),
          )
          .map(({ r }) => r)
      : [];
    const widest = coarsestPeriods(inPeriod);
    const matching = t.place === null ? coarsestLevel(widest) : widest;
    const agg = aggregateResults(matching, ind.aggregation, ind.factor);
    const pm = percentMet(agg.value, baseline, t.value, ind.direction);
    return {
      period: t.period,
      place: t.place,
      baseline,
      target: t.value,
      actual: agg.value,
      results: agg.count,
      percentMet: pm.value,
      status: statusOf(pm, thresholds),
      reason: agg.value === null ? agg.reason : pm.reason,
    };
  });

  const lopAgg = aggregateResults(
    coarsestLevel(coarsestPeriods(totals.map(({ r }) => r))),
    ind.aggregation,
    ind.factor,
  );
  const lopTarget = finiteOrNull(ind.lopTarget);
  const lopPm = percentMet(lopAgg.value, baseline, lopTarget, ind.direction);

  // Overall status: the latest target period with a non-null actual.
  let status: Status = 'no_data';
  let latestPeriod: string | null = null;
  for (let i = periods.length - 1; i >= 0; i--) {
    if (periods[i]!.actual === null) continue;
    const period = periods[i]!.period;
    const same = periods.filter((p) => p.period === period && p.actual !== null);
    const overall = same.find((p) => p.place === null);
    status = overall
      ? overall.status
      : same.reduce<Status>(
          (worst, p) => (STATUS_SEVERITY[p.status] > STATUS_SEVERITY[worst] ? p.status : worst),
          'no_data',
        );
    latestPeriod = period;
    break;
  }

  return {
    code: ind.code,
    level: ind.level,
    direction: ind.direction,
    periods,
    lop: {
      target: lopTarget,
      actual: lopAgg.value,
      percentMet: lopPm.value,
      status: statusOf(lopPm, thresholds),
      reason: lopAgg.value === null ? lopAgg.reason : lopPm.reason,
    },
    status,
    latestPeriod,
  };
}

const zeroCounts = (): StatusCounts => ({ green: 0, amber: 0, red: 0, no_data: 0, total: 0 });

/** Tallies statuses for a scorecard summary; `total` always equals the sum of the four buckets. */
export function countStatuses(statuses: Status[]): StatusCounts {
  const counts = zeroCounts();
  for (const s of statuses) {
    counts[s] += 1;
    counts.total += 1;
  }
  return counts;
}

function assertUniqueCodes(programs: { code: string }[]): void {
  const seen = new Set<string>();
  for (const p of programs) {
    if (seen.has(p.code)) throw new Error(`Program "${p.code}" appears more than once`);
    seen.add(p.code);
  }
}

/**
 * Status counts of each program's indicators, keyed by program code. A repeated program code throws,
 * since merging or overwriting would silently miscount.
 */
export function rollupPrograms(
  programs: { code: string; indicators: IndicatorScore[] }[],
): Map<string, StatusCounts> {
  assertUniqueCodes(programs);
  const out = new Map<string, StatusCounts>();
  for (const p of programs) out.set(p.code, countStatuses(p.indicators.map((i) => i.status)));
  return out;
}

/**
 * Status counts for every framework node over the programs linked to it or to any descendant. A program
 * linked at several levels of one branch is counted once per node, so a goal's totals never exceed the
 * number of indicators it actually has. Every node gets an entry, zero when nothing is linked. Links to
 * unknown nodes are ignored; a parent outside `nodes` ends the chain. Cycles in parent links and
 * repeated node ids or program codes throw, because a roll-up over them has no meaning.
 */
export function rollupNodes(
  nodes: { id: string; parent: string | null }[],
  programs: { code: string; nodes: string[]; indicators: IndicatorScore[] }[],
): Map<string, StatusCounts & { programs: number }> {
  assertUniqueCodes(programs);
  const parentOf = new Map<string, string | null>();
  for (const n of nodes) {
    if (parentOf.has(n.id)) throw new Error(`Node "${n.id}" appears more than once`);
    parentOf.set(n.id, n.parent);
  }

  // Node itself plus all its ancestors, detecting cycles on the way up.
  const lineage = new Map<string, string[]>();
  for (const n of nodes) {
    const chain: string[] = [];
    const seen = new Set<string>();
    let cur: string | null | undefined = n.id;
    while (cur != null && parentOf.has(cur)) {
      if (seen.has(cur))
        throw new Error(`Cycle in framework node parent links at node "${cur}" (from "${n.id}")`);
      seen.add(cur);
      chain.push(cur);
      cur = parentOf.get(cur);
    }
    lineage.set(n.id, chain);
  }

  const programsAt = new Map<string, Set<string>>(nodes.map((n) => [n.id, new Set<string>()]));
  for (const p of programs) {
    for (const linked of p.nodes) {
      for (const id of lineage.get(linked) ?? []) programsAt.get(id)!.add(p.code);
    }
  }

  const byCode = new Map(programs.map((p) => [p.code, p]));
  const out = new Map<string, StatusCounts & { programs: number }>();
  for (const n of nodes) {
    const codes = programsAt.get(n.id)!;
    const statuses = [...codes].flatMap((c) => byCode.get(c)!.indicators.map((i) => i.status));
    out.set(n.id, { ...countStatuses(statuses), programs: codes.size });
  }
  return out;
}

/**
 * Share of programs, and of dollars, tied to at least one outcome or impact indicator — the test of
 * whether a portfolio measures results or only activity. Dollar figures are null when no program has a
 * dollar amount (unknown is not zero); `dollarShare` is also null when the known dollars total zero.
 * Non-finite dollar amounts count as unknown. `without` lists the uncovered programs, sorted.
 */
export function outcomeCoverage(
  programs: { code: string; levels: IndicatorLevel[]; dollars?: number | null }[],
): {
  programs: number;
  withOutcome: number;
  share: number | null;
  dollars: number | null;
  dollarsWithOutcome: number | null;
  dollarShare: number | null;
  without: string[];
} {
  let withOutcome = 0;
  let anyDollars = false;
  let dollars = 0;
  let dollarsWithOutcome = 0;
  const without: string[] = [];
  for (const p of programs) {
    const covered = p.levels.some((l) => l === 'outcome' || l === 'impact');
    const d = finiteOrNull(p.dollars);
    if (d !== null) {
      anyDollars = true;
      dollars += d;
      if (covered) dollarsWithOutcome += d;
    }
    if (covered) withOutcome += 1;
    else without.push(p.code);
  }
  without.sort();
  return {
    programs: programs.length,
    withOutcome,
    share: programs.length === 0 ? null : withOutcome / programs.length,
    dollars: anyDollars ? dollars : null,
    dollarsWithOutcome: anyDollars ? dollarsWithOutcome : null,
    dollarShare: anyDollars && dollars !== 0 ? dollarsWithOutcome / dollars : null,
    without,
  };
}
