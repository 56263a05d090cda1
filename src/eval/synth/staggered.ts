/**
 * Synthetic DiD with staggered adoption (Arkhangelsky et al. 2021, appendix A; Clarke, Pailañir, Athey
 * and Imbens 2023, section 2.2, the Stata `sdid` command): each cohort g is estimated as a block, its
 * treated units against the never-treated donors, over the whole window (T0 = g periods before); the
 * estimate is the cohorts' average weighted by their treated unit-periods,
 *
 *   τ = Σ_g (N_g T_g) τ_g / Σ_g (N_g T_g),   T_g the periods from g on.
 *
 * Placebo inference (Clarke et al., algorithm 4 for staggered adoption): each replication shuffles the
 * donors, gives the last N_tr of them the treated units' adoption periods, and estimates again on the
 * donors alone; the standard error is the replications' spread, as for one cohort.
 * @module
 */
import type { CsPanel } from '../cs/cs-panel.js';
import { blockOf } from './cohort.js';
import { placeboReport, type PlaceboReport } from './placebo.js';
import { synthEstimate, type SynthEstimate, type SynthMethod } from './synthdid.js';

export interface StaggeredCohort {
  /** First treated period (a column of the panel). */
  g: number;
  units: number[];
}

export interface StaggeredEstimate {
  estimate: number;
  cohorts: { g: number; estimate: number; weight: number; fit: SynthEstimate }[];
}

/** The staggered estimate of `method` with `cohorts` against `donors` (rows of `panel`). */
export function staggeredEstimate(
  panel: CsPanel,
  donors: number[],
  cohorts: StaggeredCohort[],
  method: SynthMethod,
): StaggeredEstimate {
  const sizes = cohorts.map((c) => c.units.length * (panel.periods - c.g));
  const total = sizes.reduce((a, v) => a + v, 0);
  const out = cohorts.map((c, i) => {
    const fit = synthEstimate(blockOf(panel, donors, c.units, c.g), method);
    return { g: c.g, estimate: fit.estimate, weight: sizes[i]! / total, fit };
  });
  return { estimate: out.reduce((a, c) => a + c.weight * c.estimate, 0), cohorts: out };
}

/**
 * Placebo replications of {@link staggeredEstimate}, one at a time (it yields the number done after each).
 */
export function* staggeredPlacebo(
  panel: CsPanel,
  donors: number[],
  cohorts: StaggeredCohort[],
  method: SynthMethod,
  replications: number,
  shuffle: (n: number) => number[],
): Generator<number, PlaceboReport> {
  // The treated units' adoption periods, in order: the last donors of a shuffle take them.
  const adoption = cohorts.flatMap((c) => c.units.map(() => c.g));
  if (donors.length <= adoption.length)
    throw new RangeError('placebo inference needs more donors than treated units');
  const estimates: number[] = [];
  let unconverged = 0;
  for (let b = 0; b < replications; b++) {
    const order = shuffle(donors.length).map((i) => donors[i]!);
    const kept = order.slice(0, donors.length - adoption.length);
    const pretend = order.slice(donors.length - adoption.length);
    const pseudo = cohorts.map((c) => ({ g: c.g, units: pretend.filter((_, k) => adoption[k] === c.g) }));
    const run = staggeredEstimate(panel, kept, pseudo, method);
    if (run.cohorts.some((c) => !c.fit.converged)) unconverged++;
    estimates.push(run.estimate);
    yield b + 1;
  }
  return placeboReport(estimates, unconverged);
}
