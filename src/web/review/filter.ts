/**
 * The query of the review pages: the filters (program, period, owning country) and, after a decision,
 * what was done, validated at the edge like every query.
 * @module
 */
import { z } from 'zod';
import { Code, PeriodCode } from '../../domain/common-schema.js';

/** The review page's query: its filters, and what was just done. */
export const QueueQuery = z
  .object({
    program: Code.optional(),
    period: PeriodCode.optional(),
    country: z.enum(['US', 'MX']).optional(),
    done: z
      .enum(['approved', 'approvedAll', 'entered', 'returned', 'saved', 'submitted', 'removed'])
      .optional(),
    id: z.coerce.number().int().min(1).optional(),
    count: z.coerce.number().int().min(1).optional(),
    lang: z.string().optional(),
  })
  .strict();
