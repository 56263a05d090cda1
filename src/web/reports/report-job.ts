/**
 * The `report` job: a report made in the background, with the rights of the one who asked for it. Its
 * parameters name a built-in template only (a job never reads a path it was given), what the template's
 * subject needs (a period, a place, a saved evaluation run), a language and a format; it reports its progress at each step (the template read, the content
 * gathered, the HTML rendered, the PDF printed), stops when cancelled, and writes its output to the
 * worker's temporary file, which the worker names and hashes only once the report is whole.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Official } from '../../access/viewer.js';
import { EvaluationId, PeriodCode, Place } from '../../domain/common-schema.js';
import { NotFoundError, ValidationError, textIssue } from '../../error.js';
import type { JobHandler } from '../../jobs/job-worker.js';
import type { RecordsStore } from '../../records/database.js';
import { mexicanPlace } from '../../reports/place-brief.js';
import { requestIssues, runReport } from '../../reports/report-run.js';
import { builtinTemplateNames, loadTemplate } from '../../reports/report-templates.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { renderReportHtml } from './report-document.js';
import type { PdfPrinter } from './pdf-printer.js';
import { printReportPdf } from './report-pdf.js';

/** The kind of report jobs in the queue. */
export const REPORT_JOB = 'report';

/** A report job's parameters. */
export const ReportJobParams = z
  .object({
    template: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,63}$/, { message: 'validation.schema.templateName' })
      .meta({
        description:
          'a built-in template: framework-performance, place-brief, evaluation-report, data-quality-annex',
      }),
    period: PeriodCode.optional().meta({
      description: 'the period: a framework report’s, or where a place brief ends',
    }),
    place: Place.optional().meta({ description: 'the place of a place brief: 08, 08037, MX' }),
    evaluation: EvaluationId.optional().meta({ description: 'the saved run of an evaluation report' }),
    lang: z.enum(['en', 'es']),
    format: z.enum(['html', 'pdf']),
  })
  .strict();
export type ReportJobParams = z.infer<typeof ReportJobParams>;

/**
 * Refuses, before a job is queued, a request its template cannot make: an unknown built-in template, a
 * parameter its subject needs and lacks or does not use, a place the statistics store does not know.
 */
export async function checkReportParams(
  stats: StatsStore | undefined,
  params: ReportJobParams,
): Promise<void> {
  if (!(await builtinTemplateNames()).includes(params.template))
    throw new ValidationError([textIssue('template', 'validation.schema.templateName')], 'report');
  const { template } = await loadTemplate(params.template);
  const issues = requestIssues(template.subject, params);
  if (issues.length) throw new ValidationError(issues, 'report');
  if (template.subject === 'place' && stats && params.place !== undefined)
    await mexicanPlace(stats, params.place);
}

/** The handler of `report` jobs on these stores; PDFs are printed by `printer`, kept open between jobs. */
export function reportJob(
  store: RecordsStore,
  stats: StatsStore | undefined,
  printer?: PdfPrinter,
): JobHandler {
  return async ({ job, tempFile, progress, signal }) => {
    const params = ReportJobParams.parse(job.params);
    if (!(await builtinTemplateNames()).includes(params.template))
      throw new NotFoundError('report template', params.template);
    const template = await loadTemplate(params.template);
    await progress(0.1, 'template');
    const viewer = job.requester === null ? null : (job.requester as Official);
    const { period, place, evaluation } = params;
    const run = await runReport(store, stats, viewer, template, {
      locale: params.lang,
      ...(period !== undefined ? { period } : {}),
      ...(place !== undefined ? { place } : {}),
      ...(evaluation !== undefined ? { evaluation } : {}),
    });
    await progress(0.5, 'content');
    const page = renderReportHtml(run);
    await progress(0.7, 'html');
    if (signal.aborted) throw new Error(String(signal.reason));
    if (params.format === 'html') {
      await writeFile(tempFile, page);
      return { type: 'text/html; charset=utf-8', extension: 'html' };
    }
    await writeFile(tempFile, await printReportPdf(run, page, printer));
    await progress(0.95, 'pdf');
    return { type: 'application/pdf', extension: 'pdf' };
  };
}
