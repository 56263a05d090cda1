/**
 * `estimators.synth` of an evaluation specification: synthetic control (`synth-control.ts`) with its
 * predictors (`predictors.ts`), the choice of their weights, and the placebo and leave-one-out runs.
 * @module
 */
import { z } from 'zod';
import { DonorExclusion } from './donor-exclusion.js';
import { SynthPredictor } from './predictors.js';

export const SynthSpec = z
  .object({
    /** The cohort's first treated period (a period of the panel); needed when there are several. */
    cohort: z.string().optional(),
    /** Predictors; without them, every pre-treatment outcome is one, with equal weights. */
    predictors: z.array(SynthPredictor).min(1).max(50).optional(),
    /** The predictors' weights: the nested optimisation (default with predictors) or equal. */
    v: z.enum(['nested', 'equal']).optional(),
    /** In-space placebos: `all` donors (default), at most this many (the nearest before treatment), or 0. */
    placebos: z.union([z.literal('all'), z.number().int().min(0).max(100_000)]).default('all'),
    /** Whether each placebo chooses its own predictor weights (`refit`, as the original) or keeps the treated fit's. */
    placebo_v: z.enum(['refit', 'fixed']).default('refit'),
    /** Fit again without each donor that has a weight. */
    leave_one_out: z.boolean().default(true),
    /** Event types or ids whose places, touched inside the window, are no donors. */
    exclude: DonorExclusion.optional(),
    /** Placebos whose pre-treatment RMSPE is at most this many times the treated's keep their gap series. */
    keep_gaps: z.number().positive().max(1000).default(5),
  })
  .strict()
  .refine((s) => !(s.v === 'nested' && !s.predictors), {
    message: 'validation.schema.synthNested',
    path: ['v'],
  });
export type SynthSpec = z.output<typeof SynthSpec>;
