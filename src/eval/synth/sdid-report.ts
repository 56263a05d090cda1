/**
 * What synthetic DiD takes and reports (`estimators.sdid`): the options of a run, each method's estimate,
 * weights, gap and fit, and with every cohort (`cohort: all`) each cohort's share and estimates.
 * @module
 */
import type { CohortSummary } from './cohort.js';
import type { FitSummary, SynthMethod } from './synthdid.js';

export interface SynthOptions {
  methods: SynthMethod[];
  /**
   * The cohort's first treated period, as a label of the panel; needed when there are several. `all`:
   * every cohort, averaged (`staggered.ts`).
   */
  cohort?: string | undefined;
  /** Placebo replications (0: no standard error). */
  placebo: number;
  /** Seed of R's generator (`set.seed`): the same orders R draws. */
  seed: number;
  /** Threads the placebo replications may use when they are many and large (default 1). */
  threads?: number;
  /** Units that may not be donors (touched by other interventions). */
  notDonors?: ReadonlySet<string>;
  /** Standard errors besides the placebo's (one cohort only). */
  resampling?: ('jackknife' | 'bootstrap')[];
}

export interface SynthMethodReport {
  method: SynthMethod;
  estimate: number;
  /** Placebo standard error, when asked for and possible (more donors than treated units). */
  se?: number;
  /** Jackknife and bootstrap standard errors, when asked for and defined (two treated units or more). */
  jackknifeSe?: number;
  bootstrapSe?: number;
  /** Donors with a weight, largest first. */
  weights: { unit: string; weight: number }[];
  /** Pre-treatment periods with a weight (synthetic control has none). */
  timeWeights: { period: string; weight: number }[];
  /** Treated mean minus synthetic, each period, after the time-weighted pre-treatment offset. */
  gap: number[];
  /** Root mean squared gap before treatment. */
  preRmspe: number;
  fits: { omega?: FitSummary; lambda?: FitSummary };
  /** Placebo fits that stopped at their step limit. */
  placeboUnconverged?: number;
}

export interface SynthReport extends CohortSummary {
  methods: SynthMethodReport[];
  /** With `cohort: all`: each cohort's estimates and share (the methods then hold the aggregate). */
  cohorts?: StaggeredCohortReport[];
}

/** One cohort of a staggered run, as the report gives it. */
export interface StaggeredCohortReport {
  cohort: string;
  treated: string[];
  /** Its share of the aggregate: its treated unit-periods over all. */
  weight: number;
  estimates: { method: string; estimate: number; preRmspe: number }[];
}
