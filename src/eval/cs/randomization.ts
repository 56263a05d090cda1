/**
 * Randomisation inference for Callaway–Sant'Anna: the cohorts are reassigned to units at random, within
 * the placebo pool the specification allows (`placebo-pool.ts`), and the overall and event-time ATTs are
 * recomputed each time. A p-value is the share of assignments, the actual one included, whose estimate is
 * at least as far from zero as the actual one (Fisher's sharp null of no effect anywhere). It stays valid
 * with one or a few treated units, where the bootstrap is not (Conley and Taber 2011; MacKinnon and Webb
 * 2020). A balanced panel without covariates takes a fast path through column sums; otherwise each
 * assignment is estimated in full, and one whose estimate fails (a propensity score that cannot be fitted)
 * is counted out and reported.
 * @module
 */
import type { CsPanel } from './cs-panel.js';
import { prng } from '../random.js';
import { attCells, type Covariates } from './att-gt.js';
import { EstimationError } from './estimation-error.js';
import { drawPlacebo, placeboPool, type PoolOptions } from './placebo-pool.js';

export interface RandomizationOptions {
  control?: 'never' | 'notyet';
  /** Permutations of the treatment assignment (default 999) and seed. */
  permutations?: number;
  seed?: number;
  minEvent?: number;
  maxEvent?: number;
  /** Called after every permutation, with how many are done. */
  onPermutation?: (done: number) => void;
  /** Covariates: every assignment by the doubly robust estimator. */
  covariates?: Covariates | undefined;
  /** Where the cohorts may move (default: anywhere). */
  pool?: (PoolOptions & PoolLabel) | undefined;
}

/** What restricted the pool, for the report. */
export interface PoolLabel {
  within?: 'state' | undefined;
  bands?: number | undefined;
}

export interface Randomization {
  permutations: number;
  seed: number;
  /** p-values of the overall ATT and of each event time's ATT: the share of permutations at least as far from zero. */
  simple: { att: number; p: number };
  dynamic: { event: number; att: number; p: number }[];
  /**
   * A restricted pool: what restricted it, the smallest candidate set of a treated unit, and log10 of the
   * number of distinct assignments (absent: every unit, and in runs saved before pools could be chosen).
   */
  pool?: PoolLabel & { match?: number; smallest: number; log10Assignments: number };
  /** Assignments whose estimate failed and that count out of the p-values (absent: none). */
  failed?: number;
}

/** The overall ATT and the event times' ATTs of one assignment. */
interface Aggregates {
  simple: number;
  dynamic: Map<number, number>;
}

/**
 * The simple and dynamic aggregates of Callaway–Sant'Anna's ATT(g,t) for one assignment of cohorts,
 * computed from the treated units' rows and the column sums only: every unit that is not treated is a
 * never-treated control, so its rows enter through the column sums. The same numbers as
 * {@link callawaySantAnna} on a panel without missing values, at a cost that grows with the treated
 * units, not the panel.
 */
function aggregatesFor(
  panel: CsPanel,
  group: Int32Array,
  columnSum: Float64Array,
  control: 'never' | 'notyet',
  events: (e: number) => boolean,
): Aggregates {
  const { units, periods, y } = panel;
  const cohorts = [...new Set(group)].filter((g) => g > 0 && g < periods).sort((a, b) => a - b);
  const index = new Map(cohorts.map((g, c) => [g, c]));
  const size = new Float64Array(cohorts.length);
  const cohortSum = cohorts.map(() => new Float64Array(periods));
  const treatedSum = new Float64Array(periods);
  let nonControls = 0;
  for (let u = 0; u < units; u++) {
    const g = group[u]!;
    if (g === -1) continue;
    nonControls++;
    const c = index.get(g);
    const row = u * periods;
    for (let t = 0; t < periods; t++) treatedSum[t]! += y[row + t]!;
    if (c === undefined) continue;
    size[c]!++;
    const sum = cohortSum[c]!;
    for (let t = 0; t < periods; t++) sum[t]! += y[row + t]!;
  }
  const never = units - nonControls;
  const sums = aggregator(events);
  cohorts.forEach((g, c) => {
    for (let t = 1; t < periods; t++) {
      const base = t >= g ? g - 1 : t - 1;
      const muT = (cohortSum[c]![t]! - cohortSum[c]![base]!) / size[c]!;
      let sumC = columnSum[t]! - treatedSum[t]! - (columnSum[base]! - treatedSum[base]!);
      let nC = never;
      if (control === 'notyet')
        cohorts.forEach((h, d) => {
          if (h > Math.max(t, base) && h !== g) {
            sumC += cohortSum[d]![t]! - cohortSum[d]![base]!;
            nC += size[d]!;
          }
        });
      if (nC === 0) continue;
      sums.add(t - g, size[c]!, muT - sumC / nC);
    }
  });
  return sums.result();
}

/** Randomisation inference; see the module documentation. */
export function randomizationInference(panel: CsPanel, options: RandomizationOptions = {}): Randomization {
  const runs = randomizationRuns(panel, options);
  for (;;) {
    const next = runs.next();
    if (next.done) return next.value;
    options.onPermutation?.(next.value);
  }
}

/**
 * {@link randomizationInference} one permutation at a time: yields the count done after each, and
 * returns the result. A caller that must not hold its thread (a server's background job) pauses between
 * permutations; the numbers are the same.
 */
export function* randomizationRuns(
  panel: CsPanel,
  options: RandomizationOptions = {},
): Generator<number, Randomization, void> {
  const control = options.control ?? 'never';
  const permutations = options.permutations ?? 999;
  const seed = options.seed ?? 1;
  const { units, periods, y } = panel;
  const events = (e: number) => e >= (options.minEvent ?? -Infinity) && e <= (options.maxEvent ?? Infinity);
  let aggregates: (group: Int32Array) => Aggregates;
  if (!options.covariates && !y.some((v) => Number.isNaN(v))) {
    const columnSum = new Float64Array(periods);
    for (let u = 0; u < units; u++) for (let t = 0; t < periods; t++) columnSum[t]! += y[u * periods + t]!;
    aggregates = (group) => aggregatesFor(panel, group, columnSum, control, events);
  } else aggregates = (group) => fullAggregates(panel, group, control, options.covariates, events);
  const actual = aggregates(panel.group);
  const tolerance = (x: number) => Math.abs(x) * (1 - 1e-12);
  /** One placebo's statistic into its count, when the placebo defines it. */
  const tally = (count: number[], placebo: number | undefined, att: number) => {
    if (placebo === undefined || !Number.isFinite(placebo)) return;
    count[1]!++;
    if (Math.abs(placebo) >= tolerance(att)) count[0]!++;
  };
  // An actual estimate that is not a number has no p-value: refused, never reported as significant.
  if (!Number.isFinite(actual.simple))
    throw new EstimationError({ key: 'validation.panel.noComparison', values: {} });
  for (const [e, att] of actual.dynamic) if (!Number.isFinite(att)) actual.dynamic.delete(e);
  // Each statistic counts the placebos that define it (a placebo of an unbalanced panel can lack an
  // event time): [at least as far from zero, defined], the actual one included in both.
  const simpleCount = [1, 1];
  const dynCount = new Map([...actual.dynamic.keys()].map((e) => [e, [1, 1]]));
  const random = prng(seed);
  const group = Int32Array.from(panel.group);
  const pool = options.pool && placeboPool(panel, options.pool);
  const taken = new Uint8Array(units);
  let failed = 0;
  for (let r = 0; r < permutations; r++) {
    if (pool) {
      // A matched draw can corner itself (every unit of a pool taken): it is drawn again.
      let attempts = 0;
      while (!drawPlacebo(pool, panel.group, group, random, taken))
        if (++attempts === 100)
          throw new EstimationError({ key: 'validation.panel.poolExhausted', values: {} });
    } else
      // Fisher–Yates: a uniform permutation of the assignment.
      for (let i = units - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const tmp = group[i]!;
        group[i] = group[j]!;
        group[j] = tmp;
      }
    let placebo: Aggregates;
    try {
      placebo = aggregates(group);
    } catch (error) {
      if (!(error instanceof EstimationError)) throw error;
      failed++;
      yield r + 1;
      continue;
    }
    tally(simpleCount, placebo.simple, actual.simple);
    for (const [e, att] of actual.dynamic) tally(dynCount.get(e)!, placebo.dynamic.get(e), att);
    yield r + 1;
  }
  return {
    permutations,
    seed,
    simple: { att: actual.simple, p: simpleCount[0]! / simpleCount[1]! },
    dynamic: [...actual.dynamic]
      .sort((a, b) => a[0] - b[0])
      .map(([event, att]) => ({ event, att, p: dynCount.get(event)![0]! / dynCount.get(event)![1]! })),
    ...(pool && options.pool
      ? {
          pool: {
            ...(options.pool.within ? { within: options.pool.within } : {}),
            ...(options.pool.bands ? { bands: options.pool.bands } : {}),
            ...(options.pool.match ? { match: options.pool.match } : {}),
            smallest: pool.smallest,
            log10Assignments: pool.log10Assignments,
          },
        }
      : {}),
    ...(failed > 0 ? { failed } : {}),
  };
}

/**
 * The same aggregates as {@link aggregatesFor}, from every ATT(g,t) estimated in full: for panels with
 * missing values or covariates.
 */
function fullAggregates(
  panel: CsPanel,
  group: Int32Array,
  control: 'never' | 'notyet',
  covariates: Covariates | undefined,
  events: (e: number) => boolean,
): Aggregates {
  const { attgt } = attCells(panel, group, { control, covariates });
  const size = new Map<number, number>();
  for (const g of group) size.set(g, (size.get(g) ?? 0) + 1);
  const sums = aggregator(events);
  for (const a of attgt) sums.add(a.event, size.get(a.group)!, a.att);
  return sums.result();
}

/**
 * The cohort-size-weighted means of ATT(g,t): over the cells after treatment (the overall ATT), and by
 * event time within the window (the dynamic ones), as {@link callawaySantAnna} aggregates them.
 */
function aggregator(events: (e: number) => boolean) {
  let simpleSum = 0;
  let simpleWeight = 0;
  const dynSum = new Map<number, number>();
  const dynWeight = new Map<number, number>();
  return {
    add(event: number, weight: number, att: number) {
      if (event >= 0) {
        simpleSum += weight * att;
        simpleWeight += weight;
      }
      if (events(event)) {
        dynSum.set(event, (dynSum.get(event) ?? 0) + weight * att);
        dynWeight.set(event, (dynWeight.get(event) ?? 0) + weight);
      }
    },
    result(): Aggregates {
      return {
        simple: simpleSum / simpleWeight,
        dynamic: new Map([...dynSum].map(([e, v]) => [e, v / dynWeight.get(e)!])),
      };
    },
  };
}
