/**
 * `estimators.cs` of an evaluation specification: Callaway–Sant'Anna's controls, bootstrap and event
 * window, its covariates (the doubly robust estimator), and the randomisation inference with its placebo
 * pool.
 * @module
 */
import { z } from 'zod';
import { Seed } from '../seed.js';
import { SynthPredictor } from '../synth/predictors.js';

/** Where randomisation inference may move a treated unit's cohort (absent: to any unit). */
export const PlaceboPoolSpec = z
  .object({
    /** Only to a unit of the same state (municipal panels). */
    within: z.literal('state').optional(),
    /**
     * Only to a unit of the same size band: the units ranked by a series' mean over a span (default the
     * population, counted, in the panel's first year) and cut into this many bands of equal count.
     */
    size: SynthPredictor.extend({ bands: z.number().int().min(2).max(20) })
      .strict()
      .optional(),
    /** Only to one of the treated unit's this-many nearest units on the outcome before any treatment. */
    match: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((p) => p.within || p.size || p.match, { message: 'validation.schema.poolEmpty' });
export type PlaceboPoolSpec = z.output<typeof PlaceboPoolSpec>;

export const CsSpec = z
  .object({
    control: z.enum(['never', 'notyet']).default('never'),
    draws: z.number().int().min(99).max(99_999).default(999),
    seed: Seed,
    /** Random reassignments of the cohorts for randomization inference (0: none). */
    permutations: z.number().int().min(0).max(99_999).default(999),
    /** Event times shown in the dynamic aggregation (and its uniform band). */
    min_event: z.number().int().max(0).optional(),
    max_event: z.number().int().min(0).optional(),
    /**
     * Covariates, each a unit's mean of a series (or of the outcome) over a span before the first cohort
     * is treated: every comparison by the doubly robust estimator (Sant'Anna and Zhao 2020).
     */
    covariates: z.array(SynthPredictor).min(1).max(20).optional(),
    /** The randomisation inference's placebo pool. */
    pool: PlaceboPoolSpec.optional(),
  })
  .strict()
  .refine((s) => !(s.pool && s.permutations === 0), {
    message: 'validation.schema.poolPermutations',
    path: ['pool'],
  });
export type CsSpec = z.output<typeof CsSpec>;
