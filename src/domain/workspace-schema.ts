/**
 * The workspace file (`marco: workspace/1`): organisations, reporting periods, programs with their
 * indicator reference sheets, targets, monitoring practices, risks and lessons, results, and funding
 * (added accounts, exchange rates and funding lines, `funding/funding-schema.ts`).
 * The format is documented in docs/workspace-format.md; `marco export` writes it back losslessly.
 * @module
 */
import { Incident } from './incidents/incident-schema.js';
import { z } from 'zod';
import {
  Classification,
  Code,
  Country,
  IsoDate,
  NodeRef,
  OptionalText,
  PeriodCode,
  Place,
  Str,
  Text,
  ownership,
} from './common-schema.js';
import { AccountInput, ExchangeRate, WorkspaceFundingLine } from './funding/funding-schema.js';
import { DeflatorRow } from './funding/deflator.js';
import { ProgramIati } from './iati/program-iati.js';

export const IndicatorLevel = z.enum(['input', 'activity', 'output', 'outcome', 'impact']);
export const Direction = z.enum(['increase', 'decrease']);
export const Aggregation = z.enum(['sum', 'latest', 'mean', 'ratio_of_sums']);
export const Frequency = z.enum(['monthly', 'quarterly', 'semiannual', 'annual', 'once']);
export const ProgramStatus = z.enum(['planned', 'active', 'suspended', 'closed']);
export const ResultStatus = z.enum(['draft', 'submitted', 'approved', 'locked']);
export const PracticeKey = z.enum([
  'staff_assigned',
  'plan_goals_objectives',
  'plan_risks',
  'indicators_baselines_targets',
  'performance_data_tracked',
  'partner_data_verified',
  'corrective_actions',
  'closeout_evaluation',
]);
export const PracticeState = z.enum(['met', 'partial', 'not_met', 'not_applicable', 'not_assessed']);
export const Level3 = z.enum(['low', 'medium', 'high']);
export const RiskStatus = z.enum(['open', 'mitigated', 'closed']);
export const OrganisationKind = z.enum(['government', 'implementer', 'multilateral', 'other']);

export const Organisation = z
  .object({
    code: Code,
    name: Text,
    kind: OrganisationKind,
    parent: Code.optional(),
    ...ownership,
  })
  .strict();

export const PeriodDeclaration = z
  .object({
    code: PeriodCode,
    locked: z.boolean().optional(),
    ...ownership,
  })
  .strict();

export const Baseline = z
  .object({
    /** Optional for a statistics-linked indicator: it is then computed for `period`. */
    value: z.number().optional(),
    period: PeriodCode.optional(),
    source: Str.optional(),
  })
  .strict();

/** The series query a statistics-linked indicator takes its actuals (and baseline) from. */
export const SeriesLink = z
  .object({
    measure: z.string().regex(/^[a-z0-9_]+$/, { message: 'validation.schema.measureId' }),
    geo: Place,
    per: z.number().positive().optional(),
    filters: z.record(Code, Str).optional(),
    source: Code.optional(),
  })
  .strict();

export const Target = z
  .object({
    period: PeriodCode,
    value: z.number(),
    place: Place.optional(),
    ...ownership,
  })
  .strict();

export const Indicator = z
  .object({
    code: Code,
    name: Text,
    definition: Text,
    level: IndicatorLevel,
    unit: Text,
    numerator: Text.optional(),
    denominator: Text.optional(),
    factor: z.number().positive().optional(),
    direction: Direction,
    disaggregations: z.array(Code).optional(),
    source: Str,
    method: Str.optional(),
    frequency: Frequency,
    responsible: Str,
    baseline: Baseline.optional(),
    targets: z.array(Target).optional(),
    lop_target: z.number().optional(),
    aggregation: Aggregation,
    quality_notes: Str.optional(),
    series: SeriesLink.optional(),
    change_reason: Str.optional().meta({
      description:
        'why the baseline, the life-of-program target or a period target changed: required once the indicator has results, and recorded in the audit log and the reference sheet’s versions',
    }),
    ...ownership,
  })
  .strict();

export const Practice = z
  .object({
    practice: PracticeKey,
    state: PracticeState,
    evidence: Str.optional(),
    date: IsoDate.optional(),
    note: Str.optional(),
    ...ownership,
  })
  .strict();

export const Risk = z
  .object({
    code: Code,
    description: Text,
    likelihood: Level3,
    impact: Level3,
    mitigation: Str.optional(),
    owner: Str.optional(),
    status: RiskStatus,
    ...ownership,
  })
  .strict();

export const Lesson = z
  .object({
    code: Code,
    date: IsoDate,
    category: Str,
    lesson: Text,
    action: Str.optional(),
    ...ownership,
  })
  .strict();

export const Program = z
  .object({
    code: Code,
    title: Text,
    description: OptionalText.optional(),
    implementing: z.array(Code).optional(),
    funding: z.array(Code).optional(),
    start: IsoDate.optional(),
    end: IsoDate.optional(),
    status: ProgramStatus,
    serves: z.array(NodeRef).optional(),
    locations: z.array(Place).optional(),
    iati: ProgramIati.optional(),
    indicators: z.array(Indicator).optional(),
    practices: z.array(Practice).optional(),
    risks: z.array(Risk).optional(),
    lessons: z.array(Lesson).optional(),
    ...ownership,
  })
  .strict()
  .refine((p) => !p.start || !p.end || p.start <= p.end, {
    message: 'validation.schema.endBeforeStart',
    path: ['end'],
  });

export const Result = z
  .object({
    indicator: Code,
    period: PeriodCode,
    place: Place,
    disaggregation: z.record(Code, Str).optional(),
    value: z.number().nullable().optional(),
    numerator: z.number().optional(),
    denominator: z.number().positive().optional(),
    comment: Str.optional(),
    evidence: Str.optional(),
    status: ResultStatus.optional(),
    ...ownership,
  })
  .strict()
  .refine(
    (r) =>
      (r.value !== undefined && r.value !== null) ||
      (r.numerator !== undefined && r.denominator !== undefined),
    {
      message: 'validation.schema.resultValue',
      path: ['value'],
    },
  )
  .refine((r) => (r.numerator === undefined) === (r.denominator === undefined), {
    message: 'validation.schema.bothOrNeither',
    path: ['denominator'],
  });

export const Defaults = z
  .object({
    country: Country,
    agency: Code,
    classification: Classification.optional(),
  })
  .strict();

export const WORKSPACE_FORMAT = 'workspace/1';

export const Workspace = z
  .object({
    marco: z.literal(WORKSPACE_FORMAT),
    title: Str.optional(),
    note: Str.optional(),
    defaults: Defaults,
    organisations: z.array(Organisation).optional(),
    periods: z.array(PeriodDeclaration).optional(),
    programs: z.array(Program).optional(),
    results: z.array(Result).optional(),
    accounts: z.array(AccountInput).optional(),
    exchange_rates: z.array(ExchangeRate).optional(),
    funding_lines: z.array(WorkspaceFundingLine).optional(),
    deflators: z.array(DeflatorRow).optional(),
    incidents: z.array(Incident).optional(),
  })
  .strict();

export type Workspace = z.infer<typeof Workspace>;
export type SeriesLink = z.infer<typeof SeriesLink>;
export type ProgramInput = z.infer<typeof Program>;
export type IndicatorInput = z.infer<typeof Indicator>;
export type ResultInput = z.infer<typeof Result>;
export type OrganisationInput = z.infer<typeof Organisation>;
