/**
 * How each benchmark stands: its actuals from the statistics it links to (the same computation as a
 * statistics-linked indicator, `indicators/linked-actuals.ts`), and, per target, whether both countries
 * have approved it and how the actual stands against it. A target not in effect does not count.
 * @module
 */
import { inEffect, standing, type Standing } from '../domain/benchmark.js';
import { linkedActuals, type LinkedGap } from '../indicators/linked-actuals.js';
import type { BenchmarkView } from '../records/benchmark-repository.js';
import type { StatsStore } from '../stats/stats-store.js';

export interface TargetProgress {
  period: string;
  value: number;
  inEffect: boolean;
  actual: number | null;
  standing: Standing;
}

export interface BenchmarkProgress {
  benchmark: BenchmarkView;
  /** The baseline's value: given, or computed from the series for its period. */
  baseline: number | null;
  targets: TargetProgress[];
  /** The latest target period with an actual, for a one-line summary. */
  latest: { period: string; actual: number } | null;
  gaps: LinkedGap[];
  /** Targets in effect, and of those, met. */
  counted: { inEffect: number; met: number };
}

export async function benchmarkProgress(
  stats: StatsStore | undefined,
  benchmark: BenchmarkView,
): Promise<BenchmarkProgress> {
  const periods = benchmark.targets.map((t) => t.period);
  const baselinePeriod =
    benchmark.baseline && benchmark.baseline.value === null ? benchmark.baseline.period : null;
  const linked = benchmark.series
    ? await linkedActuals(stats, benchmark.series, periods, baselinePeriod)
    : { results: [], baseline: null, gaps: [] };
  const actualOf = (period: string) => linked.results.find((r) => r.period === period)?.value ?? null;
  const targets = benchmark.targets.map((t) => {
    const actual = actualOf(t.period);
    return {
      period: t.period,
      value: t.value,
      inEffect: inEffect(t.approvals),
      actual,
      standing: standing(benchmark.direction, t, actual),
    };
  });
  const withActual = targets.filter((t) => t.actual !== null);
  const last = withActual.at(-1);
  return {
    benchmark,
    baseline: benchmark.baseline?.value ?? linked.baseline,
    targets,
    latest: last ? { period: last.period, actual: last.actual! } : null,
    gaps: linked.gaps,
    counted: {
      inEffect: targets.filter((t) => t.inEffect).length,
      met: targets.filter((t) => t.standing === 'met').length,
    },
  };
}
