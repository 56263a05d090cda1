/**
 * The scorecard engine: "% of target met", red/amber/green status, and each indicator's score by target
 * period and for the life of the program. Aggregation of results lives in `aggregation.ts`, roll-ups to
 * programs and framework nodes in `rollup.ts`. Everything here is pure arithmetic over plain data so it
 * can run in the API, the CLI, reports and tests alike.
 * @module
 */
import {
  aggregateResults,
  coarsestLevel,
  coarsestPeriods,
  finiteOrNull,
  totalsByPeriodAndPlace,
} from './aggregation.js';
import { comparePeriods, parsePeriod, periodContains, type Period } from './periods.js';
import {
  DEFAULT_THRESHOLDS,
  type Direction,
  type IndicatorScore,
  type PercentMet,
  type PeriodScore,
  type ScoreIndicator,
  type ScoreResult,
  type Status,
  type Thresholds,
} from './score-types.js';

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
      provisional: matching.some((r) => r.unapproved === true),
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
