/**
 * The vocabulary of the scorecard engine: directions, aggregation rules, levels, statuses and thresholds,
 * and the shapes of indicators, results and scores that the engine reads and writes.
 * @module
 */

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
  /** A draft or submitted result, which only its owners see: a period that counts it is provisional. */
  unapproved?: boolean;
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
  /** Whether `actual` counts a draft or submitted result (only its owners see such a score). */
  provisional: boolean;
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
