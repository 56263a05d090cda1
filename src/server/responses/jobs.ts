/**
 * The response schema of a background job (`src/jobs/job-requests.ts`, `JobView`).
 * @module
 */
import { z } from 'zod';
import { Timestamp } from './common.js';

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const Job = z
  .object({
    id: z.number().int(),
    kind: z.string().meta({ description: 'report or evaluation' }),
    params: z.looseObject({}).meta({
      description:
        'what was asked: a report’s template, period, language and format; an evaluation’s specification',
    }),
    status: JobStatus,
    progress: z.number().min(0).max(1),
    step: z.string().nullable().meta({
      description: 'the step it is at (template, content, html, pdf, panel, twfe, cs, permutations, save)',
    }),
    step_text: z.string().nullable().meta({ description: 'the step in the reader’s language' }),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    cancel_requested: z.boolean(),
    requested_by: z.string(),
    created_at: Timestamp,
    started_at: Timestamp.nullable(),
    finished_at: Timestamp.nullable(),
    output: z
      .object({
        type: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        bytes: z.number().int(),
        expires_at: Timestamp,
        url: z.string().nullable().meta({ description: 'where it downloads; null once expired' }),
      })
      .nullable(),
    error: z
      .object({
        key: z.string(),
        message: z.string(),
        issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      })
      .nullable(),
  })
  .meta({ id: 'Job' });

export const JobList = z.array(Job);
