/**
 * The Callaway–Sant'Anna step of an evaluation: its covariates resolved from the statistics store (each
 * unit's mean over a span before the first cohort is treated), the estimate, and the randomisation
 * inference one permutation at a time within the placebo pool the specification allows (the state, the
 * size band, the nearest units on the outcome before treatment).
 * @module
 */
import { textIssue, ValidationError } from '../../error.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { callawaySantAnna, type CsResult } from '../cs.js';
import { resolvePredictors, type PredictorLabel, type ResolvedPredictors } from '../synth/predictors.js';
import type { CsPanel } from './cs-panel.js';
import type { CsSpec, PlaceboPoolSpec } from './cs-spec.js';
import { EstimationError } from './estimation-error.js';
import type { PoolOptions } from './placebo-pool.js';
import { randomizationRuns, type PoolLabel, type Randomization } from './randomization.js';

/** A run's Callaway–Sant'Anna: the estimate, its randomisation inference, and what each covariate is. */
export type CsReport = CsResult & { randomization?: Randomization; covariateLabels?: PredictorLabel[] };

export interface CsContext {
  stats: StatsStore;
  panel: CsPanel;
  units: string[];
  labels: string[];
  spec: {
    level: 'state' | 'municipality';
    within?: string | undefined;
    by: 'month' | 'quarter' | 'year';
    outcome: { scale: 'count' | 'rate' | 'log_rate'; population: 'published' | 'interpolated' };
  };
}

/**
 * Runs the step; `onPermutation` is told how many permutations are done, and `pause` is awaited between
 * two (a server's job yields its thread there). Returns the report and the covariates' vintages.
 */
export async function runCs(
  c: CsContext,
  o: CsSpec,
  onPermutation: (done: number) => void,
  pause: () => Promise<void>,
): Promise<{ cs: CsReport; vintages: ResolvedPredictors['vintages'] }> {
  const { min_event, max_event, permutations, covariates: asked, pool: poolSpec } = o;
  const window = {
    ...(min_event !== undefined ? { minEvent: min_event } : {}),
    ...(max_event !== undefined ? { maxEvent: max_event } : {}),
  };
  // Before the first cohort: the covariates' and the size bands' spans.
  const treatedAt = [...c.panel.group].filter((g) => g > 0 && g < c.panel.periods);
  const pre = treatedAt.length ? Math.min(...treatedAt) : c.panel.periods;
  const context = { ...c, pre };
  const resolved = asked
    ? await resolvePredictors({ ...context, path: 'estimators.cs.covariates' }, asked)
    : undefined;
  const covariates = resolved && { values: resolved.values, k: resolved.labels.length };
  const vintages = [...(resolved?.vintages ?? [])];
  const pool = poolSpec && (await poolOptions(context, poolSpec));
  if (pool) vintages.push(...pool.vintages);
  try {
    const cs: CsReport = {
      ...callawaySantAnna(c.panel, {
        control: o.control,
        draws: o.draws,
        seed: o.seed,
        ...window,
        covariates,
        labels: c.labels,
      }),
      ...(resolved ? { covariateLabels: resolved.labels } : {}),
    };
    if (permutations > 0) {
      // Permutations one at a time, with a pause between two.
      const runs = randomizationRuns(c.panel, {
        control: o.control,
        permutations,
        seed: o.seed,
        ...window,
        covariates,
        pool: pool?.options,
      });
      for (;;) {
        const next = runs.next();
        if (next.done) {
          cs.randomization = next.value;
          break;
        }
        onPermutation(next.value);
        await pause();
      }
    }
    return { cs, vintages };
  } catch (error) {
    if (error instanceof EstimationError)
      throw new ValidationError(
        [{ path: 'estimators.cs', message: error.message, ...(error.text ? { text: error.text } : {}) }],
        'evaluation',
      );
    throw error;
  }
}

/** The pool's strata: the units' states, their size bands, or both. */
async function poolOptions(
  c: CsContext & { pre: number },
  spec: PlaceboPoolSpec,
): Promise<{ options: PoolOptions & PoolLabel; vintages: ResolvedPredictors['vintages'] }> {
  const n = c.units.length;
  let stratum: Int32Array | undefined;
  const vintages: ResolvedPredictors['vintages'] = [];
  if (spec.within === 'state') {
    if (c.spec.level !== 'municipality')
      throw new ValidationError([textIssue('estimators.cs.pool.within', 'validation.panel.poolState')]);
    const states = [...new Set(c.units.map((u) => u.slice(0, 2)))];
    stratum = Int32Array.from(c.units, (u) => states.indexOf(u.slice(0, 2)));
  }
  if (spec.size) {
    const { bands, ...series } = spec.size;
    // By default the population, counted, in the panel's first year (CONAPO publishes municipal
    // populations by year only, and not every year).
    const first = c.labels[0]!.slice(0, 4);
    const asked = {
      measure: 'population',
      scale: 'count' as const,
      by: 'year' as const,
      from: first,
      to: first,
      ...series,
    };
    let size: ResolvedPredictors;
    try {
      size = await resolvePredictors({ ...c, path: 'estimators.cs.pool' }, [asked]);
    } catch (error) {
      // One series, not a list: its problems under `size`, not `size[0]`.
      if (error instanceof ValidationError)
        throw new ValidationError(
          error.issues.map((i) => ({
            ...i,
            path: i.path?.replace('estimators.cs.pool[0]', 'estimators.cs.pool.size'),
          })),
        );
      throw error;
    }
    vintages.push(...size.vintages);
    // Equal-count bands by rank (ties by unit order, so that the bands do not depend on the sort).
    const order = Array.from({ length: n }, (_, u) => u).sort(
      (a, b) => size.values[a]! - size.values[b]! || a - b,
    );
    const band = new Int32Array(n);
    order.forEach((u, rank) => (band[u] = Math.floor((rank * bands) / n)));
    stratum = Int32Array.from(band, (b, u) => (stratum ? stratum[u]! * bands : 0) + b);
  }
  return {
    options: {
      stratum,
      match: spec.match,
      within: spec.within,
      bands: spec.size?.bands,
    },
    vintages,
  };
}
