/**
 * A new result, as the API's `POST /api/v1/results` body and the web's result-entry form send it: one
 * indicator's value for a period, a place and, when the indicator declares dimensions, a disaggregation.
 * The same schema validates both, so the form refuses exactly what the API refuses, field by field. Which
 * periods an indicator takes follows its frequency and aggregation ({@link periodSuits}).
 * @module
 */
import { z } from 'zod';
import { Code, PeriodCode, Place, Str } from './common-schema.js';
import { monthsIn, type Period } from './periods.js';
import { Measure } from './result-patch.js';
import type { Aggregation, Frequency } from './workspace-schema.js';

export const NewResult = z
  .object({
    indicator: Code,
    period: PeriodCode,
    place: Place,
    disaggregation: z
      .record(Code, Str)
      .optional()
      .meta({ description: 'one category per dimension the indicator declares, such as {"sex": "female"}' }),
    value: Measure.nullable().optional(),
    numerator: Measure.optional(),
    denominator: Measure.positive().optional(),
    comment: Str.optional(),
    evidence: Str.optional(),
    status: z
      .enum(['draft', 'submitted'])
      .optional()
      .meta({ description: 'draft (the default) to keep working on it, submitted to send it for approval' }),
  })
  .strict()
  .refine(
    (r) =>
      (r.value !== undefined && r.value !== null) ||
      (r.numerator !== undefined && r.denominator !== undefined),
    { message: 'validation.schema.resultValue', path: ['value'] },
  )
  .refine((r) => (r.numerator === undefined) === (r.denominator === undefined), {
    message: 'validation.schema.bothOrNeither',
    path: ['denominator'],
  });

export type NewResult = z.output<typeof NewResult>;

/** How many months one period of each frequency spans; a one-off indicator takes any period. */
const SPAN: Record<z.infer<typeof Frequency>, number | undefined> = {
  monthly: 1,
  quarterly: 3,
  semiannual: 6,
  annual: 12,
  once: undefined,
};

/** An example period code of each span, for a message that says which periods an indicator takes. */
const EXAMPLE: Record<number, string> = { 1: '2024-03', 3: '2024-Q1', 6: '2024-H1', 12: '2024, FY2024' };

/**
 * Whether `period` suits an indicator reported at `frequency` and aggregated by `aggregation`. A flow (a
 * sum, a mean or a rate over the period) must span exactly one reporting interval: a half-year's count is
 * not a year's. A level (`latest`: accredited prisons, trained officers in post) is measured at a moment,
 * so any period no longer than the interval dates it (the January and August counts of a semiannual
 * indicator).
 */
export function periodSuits(
  indicator: { frequency: z.infer<typeof Frequency>; aggregation: z.infer<typeof Aggregation> },
  period: Pick<Period, 'start' | 'end'>,
): boolean {
  const span = SPAN[indicator.frequency];
  if (span === undefined) return true;
  const months = monthsIn(period as Period);
  return indicator.aggregation === 'latest' ? months <= span : months === span;
}

/** Periods such as those an indicator takes, for a message: `2024-Q1`, or anything for a one-off. */
export function examplePeriods(frequency: z.infer<typeof Frequency>): string {
  const span = SPAN[frequency];
  return span === undefined ? '2024' : EXAMPLE[span]!;
}
