/**
 * Framework benchmarks: indicators a framework node owns, co-owned by both countries, statistics-linked
 * where possible, with targets that take effect only once both countries have approved them. This file
 * holds the input schema (the API body and the `benchmarks/1` file), when a target is in effect, and how
 * an actual stands against it. Pure.
 * @module
 */
import { z } from 'zod';
import { Code, NodeRef, PeriodCode, Str, Text } from './common-schema.js';
import { Direction, SeriesLink } from './workspace-schema.js';

export const BENCHMARKS_FORMAT = 'benchmarks/1';

// zod 4 numbers are finite: Infinity and NaN are refused.
const Finite = z.number();

export const BenchmarkTargetInput = z.object({ period: PeriodCode, value: Finite }).strict();

export const BenchmarkInput = z
  .object({
    code: Code,
    node: NodeRef,
    name: Text,
    definition: Text,
    unit: Text,
    direction: Direction,
    /** The statistics series that gives its actuals, where one does. */
    series: SeriesLink.optional(),
    baseline: z.object({ period: PeriodCode, value: Finite.optional() }).strict().optional(),
    /** Proposed targets: each takes effect once both countries approve it. */
    targets: z.array(BenchmarkTargetInput).optional(),
  })
  .strict();

export const BenchmarksFile = z
  .object({
    marco: z.literal(BENCHMARKS_FORMAT),
    note: Str.optional(),
    benchmarks: z.array(BenchmarkInput).min(1),
  })
  .strict();

export type BenchmarkInput = z.infer<typeof BenchmarkInput>;
export type BenchmarksFile = z.infer<typeof BenchmarksFile>;

/** One country's approval of a target. */
export interface Approval {
  by: string;
  at: string;
}

/** A target and both countries' approvals. */
export interface TargetApprovals {
  US: Approval | null;
  MX: Approval | null;
}

/** Whether a target is in effect: both countries have approved its current value. */
export const inEffect = (a: TargetApprovals): boolean => a.US !== null && a.MX !== null;

/** Who has yet to approve a target, in order: the United States, then Mexico. */
export const awaiting = (a: TargetApprovals): ('US' | 'MX')[] =>
  (['US', 'MX'] as const).filter((c) => a[c] === null);

export type Standing = 'met' | 'not_met' | 'no_target' | 'no_data';

/**
 * How an actual stands against a target in effect: met when it is at or beyond the target in the
 * benchmark's direction. A target not in effect is no target at all: it does not count.
 */
export function standing(
  direction: 'increase' | 'decrease',
  target: { value: number; approvals: TargetApprovals } | undefined,
  actual: number | null,
): Standing {
  if (!target || !inEffect(target.approvals)) return 'no_target';
  if (actual === null) return 'no_data';
  return (direction === 'decrease' ? actual <= target.value : actual >= target.value) ? 'met' : 'not_met';
}
