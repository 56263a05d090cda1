/**
 * Request schemas of the HTTP API (bodies and query strings). The same zod schemas validate requests
 * and generate the OpenAPI document.
 * @module
 */
import { z } from 'zod';
import { MAX_BATCH } from '../monitoring/bulk-approval.js';
import { IsoDate, OptionalText, Text } from '../domain/common-schema.js';
import { ProgramStatus, ResultStatus } from '../domain/workspace-schema.js';
import { NUMBER_FIELDS } from '../stats/series-query.js';
import { PeriodAsTyped, PlaceAsTyped } from '../domain/typed-codes.js';
import { ExportJobParams } from '../jobs/export-job.js';
import { ReportJobParams } from '../web/reports/report-job.js';

export const ProgramPatch = z
  .object({
    version: z.number().int().min(1),
    title: Text.optional(),
    description: OptionalText.optional(),
    status: ProgramStatus.optional(),
    start: IsoDate.nullable().optional(),
    end: IsoDate.nullable().optional(),
  })
  .strict();

export { ResultPatch } from '../domain/result-patch.js';
export { NewResult } from '../domain/result-entry.js';

/** A batch of approvals: each result with the version the approver read. */
export const ApprovalBatch = z
  .object({
    results: z
      .array(z.object({ id: z.number().int().min(1), version: z.number().int().min(1) }).strict())
      .min(1)
      .max(MAX_BATCH),
  })
  .strict();

export const LockBody = z
  .object({
    override_reason: z.string().trim().min(10).max(500).optional().meta({
      description: 'why the period is locked while results in it are unapproved (admins only; recorded)',
    }),
  })
  .strict();

export const Lang = z.enum(['en', 'es']).optional();

/** A query filter that may be given once or as a comma-separated list (at most 200 items). */
export const listOf = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(item).min(1).max(200))
    .optional();

/** `?excel=true`: a CSV answer starts with a byte-order mark and ends lines with CRLF, as Excel wants. */
export const Excel = z
  .enum(['true', 'false'])
  .optional()
  .meta({ description: 'for a CSV answer: a UTF-8 byte-order mark and CRLF line ends, for Excel' });

/** A result's id in a path: a positive integer of at most 10 digits. */
export const ResultId = z.string().regex(/^[1-9]\d{0,9}$/, { message: 'validation.schema.resultId' });

/** `POST /results/{id}/attachments`: the file's name (the body is the file). */
export const AttachmentQuery = z
  .object({
    filename: z.string().min(1).max(200).meta({ description: 'the file’s name, with its extension' }),
    lang: z.enum(['en', 'es']).optional(),
  })
  .strict();

/** `DELETE /results/{id}/attachments/{sha256}`: why the file is removed (kept by the audit log). */
export { AttachmentRemoval } from '../domain/evidence-files.js';
const Share = z
  .string()
  .regex(/^\d{1,2}(\.\d{1,6})?$/, { message: 'validation.schema.shareTen' })
  .transform(Number)
  .refine((n) => n <= 10, { message: 'validation.schema.shareAtMostTen' })
  .optional();

export const LangQuery = z.object({ lang: Lang }).strict();
export const NodesQuery = z.object({ framework: z.string().optional(), lang: Lang }).strict();
export const IndicatorsQuery = z.object({ program: z.string().optional(), lang: Lang }).strict();
const Whole = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { message: 'validation.schema.wholeNumber' })
    .transform(Number)
    .refine((n) => n <= max, { message: 'validation.schema.atMost', params: { max } });

/** `place`, `within` and `children`, as results and scorecards read them (DHIS2's org-unit modes). */
const PlaceFields = {
  place: PlaceAsTyped.optional(),
  within: PlaceAsTyped.optional().meta({
    description: 'this place and every place under it: MX gives Mexico, its states and municipalities',
  }),
  children: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'with place: the places directly under it, not the place itself (MX: its states)' }),
};
export const ResultsQuery = z
  .object({
    indicator: z.string().optional(),
    // DHIS2's codes are read as Marco's: 2016Oct is FY2017, 2021Q1 is 2021-Q1.
    period: PeriodAsTyped.optional(),
    ...PlaceFields,
    status: ResultStatus.optional(),
    limit: Whole(1000)
      .refine((n) => n >= 1, { message: 'validation.schema.atLeastOne' })
      .optional(),
    offset: Whole(1e9).optional(),
    excel: Excel,
    lang: Lang,
  })
  .strict();
export const ScorecardQuery = z
  .object({
    program: z.string().optional(),
    node: z.string().optional(),
    ...PlaceFields,
    green: Share,
    amber: Share,
    excel: Excel,
    lang: Lang,
  })
  .strict();
export const WorkspaceLoadQuery = z.object({ dry_run: z.enum(['true', 'false']).optional() }).strict();

/** Every refusal: an RFC 9457 problem (`application/problem+json`) with Marco's code and issues. */
export const ErrorBody = z.object({
  type: z.string().meta({ description: 'urn:marco:problem:CODE, one per code (docs/api.md lists them)' }),
  title: z.string().meta({ description: 'the kind of problem, in the reader’s language' }),
  status: z.number().int(),
  detail: z.string().meta({ description: 'what went wrong and how to fix it, in the reader’s language' }),
  instance: z.string().meta({ description: 'the request’s path' }),
  code: z.string().meta({
    description:
      'A stable machine-readable code: invalid_input, invalid_json, too_deep, not_found, method_not_allowed, conflict, refused, unauthorized, forbidden, too_large, unsupported_media_type, rate_limited, unavailable, internal',
  }),
  issues: z
    .array(z.object({ path: z.string(), message: z.string() }).loose())
    .optional()
    .meta({ description: 'for a refused input: each problem, at its JSON path' }),
  error: z
    .object({ code: z.string(), message: z.string(), details: z.unknown().optional() })
    .meta({ description: 'the same, as clients read it before problems: code, message and details' }),
});

export const SeriesRequest = z
  .object({
    measure: z.string(),
    geo: z.string().optional().meta({ description: 'place codes separated by commas: MX, 09, 09015' }),
    level: z.enum(['state', 'municipality']).optional(),
    within: z.string().optional(),
    by: z.enum(['month', 'quarter', 'year', 'fiscal_year']).optional(),
    period: z.string().optional().meta({
      description:
        'from and to at once: a period (2021, 2021-Q1, 2021-03, FY2021), a DHIS2 code (2021Q1, 202103, 2021S1, 2020Oct, 2021AprilS1) or a DHIS2 relative period (LAST_12_MONTHS, THIS_YEAR, LAST_4_QUARTERS…)',
    }),
    from: z.string().optional(),
    to: z.string().optional(),
    // Checked by the series query itself, which refuses a bad value in the reader's language.
    per: z
      .string()
      .optional()
      .meta({ description: `a whole number such as 100000 (${NUMBER_FIELDS.per.pattern.source})` }),
    annualize: z.enum(['true', 'false']).optional(),
    filter: z.string().optional().meta({ description: 'dimension:value pairs separated by commas' }),
    source: z.string().optional(),
    population: z.enum(['published', 'interpolated']).optional().meta({
      description: 'interpolated: a straight line between published population figures fills a gap',
    }),
    excel: Excel,
    lang: z.enum(['en', 'es']).optional(),
  })
  .strict();

export const AnomalyRequest = z
  .object({
    measure: z.string(),
    geo: z.string().optional().meta({ description: 'place codes separated by commas: MX, 09, 09015' }),
    level: z.enum(['state', 'municipality']).optional(),
    within: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    filter: z.string().optional().meta({ description: 'dimension:value pairs separated by commas' }),
    source: z.string().optional(),
    window: z
      .string()
      .optional()
      .meta({
        description: `${NUMBER_FIELDS.window.message.replace('expected ', '')} (${NUMBER_FIELDS.window.pattern.source})`,
      }),
    threshold: z
      .string()
      .optional()
      .meta({
        description: `${NUMBER_FIELDS.threshold.message.replace('expected ', '')} (${NUMBER_FIELDS.threshold.pattern.source})`,
      }),
    min_count: z
      .string()
      .optional()
      .meta({
        description: `${NUMBER_FIELDS.min_count.message.replace('expected ', '')} (${NUMBER_FIELDS.min_count.pattern.source})`,
      }),
    lang: z.enum(['en', 'es']).optional(),
  })
  .strict();

export const ImportRequest = z
  .object({
    source: z.string().regex(/^[a-z0-9-]+$/, { message: 'validation.schema.sourceId' }),
    file_name: z
      .string()
      .regex(/^[\w.-]{1,200}$/, { message: 'validation.schema.fileName' })
      .optional()
      .meta({ description: 'the file’s name, recorded in the vintage' }),
    max_rejects: z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { message: 'validation.schema.shareOne' })
      .optional(),
    param: z
      .string()
      .optional()
      .meta({ description: 'source parameters as name:value pairs separated by commas' }),
    lang: z.enum(['en', 'es']).optional(),
  })
  .strict();

/** One dated intervention, as `POST /api/v1/interventions` takes it (an array adds several at once). */
export const InterventionBody = z
  .object({
    id: z.string().meta({ description: 'lower-case letters, digits, ".", "_" or "-" (at most 80)' }),
    type: z.string().meta({ description: 'for example military_operation or leader_capture' }),
    name: z.string(),
    date: z.string().meta({ description: 'YYYY-MM-DD' }),
    level: z.enum(['state', 'municipality']),
    places: z
      .array(z.string())
      .min(1)
      .meta({ description: 'INEGI codes: 2 digits (state) or 5 (municipality)' }),
    source: z.string().meta({ description: 'where the event is documented' }),
  })
  .strict();
export const InterventionsBody = z.union([InterventionBody, z.array(InterventionBody).min(1).max(1000)]);
export { EvaluationId } from '../domain/common-schema.js';

/** `POST /api/v1/exports`: an export job's parameters, the language the request's by default and CSV. */
export const ExportRequest = ExportJobParams.extend({
  lang: ExportJobParams.shape.lang
    .optional()
    .meta({ description: 'the language of the CSV’s texts; the request’s by default' }),
  format: ExportJobParams.shape.format.default('csv'),
});

/**
 * `POST /api/v1/reports`: a report job's parameters (`ReportJobParams`), the language the request's by
 * default and the format PDF.
 */
export const ReportRequest = ReportJobParams.extend({
  lang: ReportJobParams.shape.lang
    .optional()
    .meta({ description: 'the report’s language; the request’s by default' }),
  format: ReportJobParams.shape.format.default('pdf'),
});
