/**
 * Response schemas of the records routes: frameworks and their nodes, benchmarks, programs, indicators,
 * targets, results and their evidence, interventions and evaluations.
 * @module
 */
import { z } from 'zod';
import {
  Bilingual,
  Compliance,
  Count,
  OptionalBilingual,
  Owner,
  Timestamp,
  UserName,
  Versioned,
} from './common.js';

export const Framework = z
  .object({
    code: z.string(),
    edition: z.string().nullable(),
    title: Bilingual,
    description: OptionalBilingual,
    source: z.string().nullable(),
    official: z.boolean(),
    note: OptionalBilingual,
    levels: z.array(z.string()),
    nodes: Count,
    version: z.number().int(),
  })
  .meta({ id: 'Framework' });
export const FrameworkList = z.array(Framework);

export const FrameworkNode = z
  .object({
    ref: z.string().meta({ description: 'framework:code' }),
    framework: z.string(),
    code: z.string(),
    parent: z.string().nullable(),
    level: z.string(),
    title: Bilingual,
    description: OptionalBilingual,
  })
  .meta({ id: 'FrameworkNode' });
export const NodeList = z.array(FrameworkNode);

export const FrameworkDetail = z.object({ ...Framework.shape, nodes: NodeList });

export const CrosswalkList = z.array(
  z
    .object({
      from: z.string(),
      to: z.string(),
      relation: z.string(),
      basis: z.string().nullable(),
      note: OptionalBilingual,
    })
    .meta({ id: 'CrosswalkLink' }),
);

const Approval = z.object({ by: UserName, at: Timestamp }).nullable();

const SeriesLink = z
  .object({
    measure: z.string(),
    geo: z.string(),
    per: z.number().optional(),
    filters: z.record(z.string(), z.string()).optional(),
    source: z.string().optional(),
  })
  .meta({ id: 'SeriesLink' });

export const BenchmarkList = z.array(
  z
    .object({
      code: z.string(),
      node: z.string(),
      name: Bilingual,
      definition: Bilingual,
      unit: Bilingual,
      direction: z.enum(['increase', 'decrease']),
      series: SeriesLink.nullable(),
      baseline: z.object({ period: z.string(), value: z.number().nullable() }).nullable(),
      updatedAt: Timestamp,
      targets: z.array(
        z.object({
          period: z.string(),
          value: z.number(),
          version: z.number().int(),
          proposedBy: UserName,
          proposedAt: Timestamp,
          approvals: z.object({ US: Approval, MX: Approval }).meta({
            description: 'each country’s approval of the current value; in effect when both approve',
          }),
        }),
      ),
      actuals: z.object({
        baseline: z.looseObject({}).nullable(),
        targets: z.array(z.looseObject({ period: z.string() })),
        gaps: z.array(z.looseObject({})),
      }),
    })
    .meta({ id: 'Benchmark' }),
);

export const BenchmarksSaved = z.object({
  saved: z.array(z.looseObject({ code: z.string() })),
});
export const TargetApproved = z.looseObject({});

export const ProgramRecord = z
  .object({
    code: z.string(),
    title: Bilingual,
    description: OptionalBilingual,
    start: z.string().nullable(),
    end: z.string().nullable(),
    status: z.string(),
    implementing: z.array(z.string()),
    funding: z.array(z.string()),
    serves: z.array(z.string()),
    locations: z.array(z.string()),
    iati: z
      .object({
        sectors: z.array(z.object({ code: z.string(), percentage: z.number() })),
        flow_type: z.string().optional(),
      })
      .nullable()
      .meta({ description: 'OECD DAC purpose codes with percentages and the IATI flow type, when declared' }),
    ...Versioned,
  })
  .meta({ id: 'Program' });
export const ProgramList = z.array(ProgramRecord);

export const Indicator = z
  .object({
    code: z.string(),
    program: z.string(),
    name: Bilingual,
    definition: Bilingual,
    level: z.enum(['input', 'activity', 'output', 'outcome', 'impact']),
    unit: Bilingual,
    numerator: OptionalBilingual,
    denominator: OptionalBilingual,
    factor: z.number(),
    direction: z.enum(['increase', 'decrease']),
    disaggregations: z
      .array(z.string())
      .meta({ description: 'the dimensions a result must give a category for' }),
    source: z.string(),
    method: z.string().nullable(),
    frequency: z.string(),
    responsible: z.string(),
    baseline: z
      .object({ value: z.number(), period: z.string().nullable(), source: z.string().nullable() })
      .nullable(),
    lop_target: z.number().nullable(),
    aggregation: z.enum(['sum', 'latest', 'mean', 'ratio_of_sums']),
    quality_notes: z.string().nullable(),
    ...Versioned,
  })
  .meta({ id: 'Indicator' });
export const IndicatorList = z.array(Indicator);

const Target = z.object({
  period: z.string(),
  place: z.string().nullable(),
  value: z.number(),
  ...Versioned,
});

export const IndicatorDetail = z.object({
  ...Indicator.shape,
  targets: z.array(Target),
  history: z.array(
    z.object({
      version: z.number().int(),
      changed_at: Timestamp,
      changed_by: UserName,
      definition: z.looseObject({}),
    }),
  ),
});

export const TargetsAnswer = z.object({
  indicator: z.string(),
  lop_target: z.number().nullable(),
  targets: z.array(Target),
});

const Practice = z.object({
  practice: z.string(),
  state: z.string(),
  evidence: z.string().nullable(),
  date: z.string().nullable(),
  note: z.string().nullable(),
  ...Versioned,
});

export const ProgramPractices = z.object({
  program: z.string(),
  practices: z.array(Practice),
  compliance: Compliance,
});

export const ProgramDetail = z.object({
  ...ProgramRecord.shape,
  indicators: IndicatorList,
  practices: z.array(Practice),
  compliance: Compliance,
  risks: z.array(
    z.object({
      code: z.string(),
      description: Bilingual,
      likelihood: z.string(),
      impact: z.string(),
      mitigation: z.string().nullable(),
      owner: z.string().nullable(),
      status: z.string(),
      ...Versioned,
    }),
  ),
  lessons: z.array(
    z.object({
      code: z.string(),
      date: z.string().nullable(),
      category: z.string().nullable(),
      lesson: Bilingual,
      action: z.string().nullable(),
      ...Versioned,
    }),
  ),
});

const ResultStatus = z.enum(['draft', 'submitted', 'approved', 'locked']);

export const ResultRecord = z
  .object({
    id: z.number().int(),
    indicator: z.string(),
    indicatorName: Bilingual,
    program: z.string(),
    programTitle: Bilingual,
    period: z.string(),
    place: z.string(),
    disaggregation: z.record(z.string(), z.string()),
    value: z.number().nullable(),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
    comment: z.string().nullable(),
    evidence: z.string().nullable(),
    status: ResultStatus,
    unapproved: z.boolean(),
    review: z
      .object({ comment: z.string().nullable(), by: UserName, at: Timestamp.nullable().optional() })
      .nullable(),
    ...Versioned,
  })
  .meta({ id: 'Result' });
export const ResultList = z.array(ResultRecord);

/** What a change to a result left: its state, version and review. */
export const ResultChanged = z.object({
  id: z.number().int(),
  indicator: z.string(),
  period: z.string(),
  place: z.string(),
  status: ResultStatus,
  value: z.number().nullable(),
  version: z.number().int(),
  review: z.object({ comment: z.string().nullable(), by: UserName }).nullable(),
});

export const ApprovalsAnswer = z.object({ approved: Count.meta({ description: 'how many were approved' }) });
export const LockAnswer = z.object({ period: z.string(), resultsLocked: Count });

const Attachment = z
  .object({
    sha256: z.string(),
    filename: z.string(),
    mediaType: z.string(),
    size: Count,
    attachedBy: UserName,
    attachedAt: Timestamp,
    href: z.string().meta({ description: 'the page that serves the file' }),
  })
  .meta({ id: 'Attachment' });
export const AttachmentList = z.array(Attachment);
export const AttachmentAdded = z.object({
  attached: Count,
  status: ResultStatus,
  attachments: AttachmentList,
});
export const AttachmentRemoved = z.object({ removed: z.string(), status: ResultStatus });

export const InterventionList = z.array(
  z
    .object({
      id: z.string(),
      type: z.string(),
      name: z.string(),
      date: z.string(),
      level: z.enum(['state', 'municipality']),
      places: z.array(z.string()),
      source: z.string(),
      added_by: z.string().optional(),
      country: Owner.country.nullable(),
      agency: z.string().nullable(),
    })
    .meta({ id: 'Intervention' }),
);
export const InterventionsAdded = z.object({ added: z.array(z.string()) });

const Interval = z.object({ att: z.number(), lower: z.number(), upper: z.number() });

export const EvaluationList = z.array(
  z
    .object({
      id: z.number().int(),
      title: z.string(),
      hash: z.string(),
      marco: z.string(),
      created_at: Timestamp,
      created_by: UserName,
      units: Count.nullable(),
      periods: Count.nullable(),
      estimators: z.array(z.enum(['twfe', 'cs', 'sdid', 'synth'])),
      att: Interval.nullable(),
    })
    .meta({ id: 'EvaluationSummary' }),
);

export const EvaluationRun = z
  .object({
    id: z.number().int(),
    title: z.string(),
    specification: z.looseObject({}),
    panel: z.looseObject({}),
    twfe: z.looseObject({ coefficients: z.array(z.number()), se: z.array(z.number()) }).optional(),
    cs: z.looseObject({ simple: z.looseObject({ att: z.number() }) }).optional(),
    sdid: z
      .looseObject({
        cohort: z.string(),
        methods: z.array(z.looseObject({ method: z.enum(['sdid', 'sc', 'did']), estimate: z.number() })),
      })
      .optional(),
    synth: z
      .looseObject({
        cohort: z.string(),
        estimate: z.number(),
        weights: z.array(z.object({ unit: z.string(), weight: z.number() })),
        gap: z.array(z.number()),
        placebos: z.looseObject({ p: z.number(), rank: z.number().int() }).optional(),
      })
      .optional(),
    warnings: z.array(z.looseObject({ code: z.string() })),
    marco: z.string(),
    hash: z.string(),
    created_at: Timestamp.optional().meta({ description: 'when it was saved (on a saved run read back)' }),
    created_by: UserName,
  })
  .meta({ id: 'EvaluationRun' });

export const Scorecard = z.object({
  thresholds: z.object({ green: z.number(), amber: z.number() }),
  programs: z.array(
    z.object({
      code: z.string(),
      title: Bilingual,
      status: z.string(),
      serves: z.array(z.string()),
      counts: z.object({ green: Count, amber: Count, red: Count, no_data: Count, total: Count }),
      hasOutcomeIndicator: z.boolean(),
      compliance: Compliance,
      practiceFlags: z.array(z.object({ practice: z.string(), code: z.string() })),
      indicators: z.array(z.looseObject({ code: z.string(), status: z.string() })),
    }),
  ),
  nodes: z.array(
    z.object({
      ref: z.string(),
      parent: z.string().nullable(),
      level: z.string(),
      title: Bilingual,
      green: Count,
      amber: Count,
      red: Count,
      no_data: Count,
      total: Count,
      programs: Count,
    }),
  ),
  coverage: z.looseObject({ programs: Count, withOutcome: Count, share: z.number().nullable() }),
  portfolio: z.looseObject({ score: z.number().nullable(), programs: Count }),
});

export const ImportSummary = z
  .object({
    dryRun: z.boolean(),
    rows: Count,
    imported: Count.meta({ description: 'new results' }),
    updated: Count.meta({ description: 'results whose values changed' }),
    ignored: Count.meta({ description: 'rows with the values already stored' }),
    conflicts: z
      .array(z.object({ where: z.string(), key: z.string(), reason: z.string(), message: z.string() }))
      .meta({ description: 'empty on success: a file with conflicts is refused with 409' }),
  })
  .meta({ id: 'ImportSummary' });
