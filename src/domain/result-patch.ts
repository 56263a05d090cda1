/**
 * A change to one result, as the API's `PATCH /api/v1/results/{id}` body and the web's result forms
 * send it: the same schema validates both, so a form refuses exactly what the API refuses, field by
 * field, in the reader's language.
 * @module
 */
import { z } from 'zod';
import { Str } from './common-schema.js';
import { ResultStatus } from './workspace-schema.js';

/** A measured value: finite and within ±10^15 (a count of people, dollars or seizures never reaches it). */
export const Measure = z.number().min(-1e15).max(1e15);

export const ResultPatch = z
  .object({
    version: z.number().int().min(1),
    value: Measure.nullable().optional(),
    numerator: Measure.nullable().optional(),
    denominator: Measure.positive().nullable().optional(),
    comment: Str.nullable().optional(),
    evidence: Str.nullable().optional(),
    status: ResultStatus.exclude(['locked']).optional(),
    review_comment: Str.optional().meta({
      description:
        'the approver’s comment: required to return a submitted result to draft, optional with an approval',
    }),
  })
  .strict();
