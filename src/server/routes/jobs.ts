/**
 * Background jobs through the API: ask for a report, then follow, cancel, retry and download any of
 * your jobs (reports, evaluations). A job runs with the rights of the official who asked for it, and is
 * theirs alone: another caller gets 404. An output downloads with its SHA-256 (`ETag`, `Repr-Digest`)
 * while it is whole and not expired (410 after), and never when its file no longer has that checksum.
 * @module
 */
import { z } from 'zod';
import type { Official } from '../../access/viewer.js';
import { HttpError, NotFoundError } from '../../error.js';
import {
  cancelViewerJob,
  jobFileHeaders,
  jobOutput,
  jobView,
  requestJob,
  retryViewerJob,
  viewerJobs,
  visibleJob,
} from '../../jobs/job-requests.js';
import { builtinTemplateNames } from '../../reports/report-templates.js';
import { checkReportParams, REPORT_JOB } from '../../web/reports/report-job.js';
import { LangQuery, ReportRequest } from '../api-schemas.js';
import { route, type AppOptions } from '../route.js';
import * as R from '../responses/index.js';

const JobId = z.string().regex(/^[1-9]\d{0,9}$/, { message: 'validation.schema.jobId' });

/** The folder of job outputs, or 503 when this server runs no worker. */
export function requireJobs(options: AppOptions): string {
  if (!options.jobsDir) throw new HttpError(503, 'unavailable', { key: 'jobs.noWorker', values: {} });
  return options.jobsDir;
}

export const requestReport = route({
  method: 'post',
  path: '/reports',
  operationId: 'requestReport',
  response: R.Job,
  accepts: true,
  tag: 'reports',
  permission: 'read:official',
  statuses: [404, 503],
  summary:
    'Ask for a report from a built-in template (framework-performance for a period, place-brief for a place, evaluation-report for a saved run, data-quality-annex), in English or Spanish, as HTML or PDF: it is made in the background with your rights, so it holds only what you may see. Answers 202 with the job; follow it at Location',
  body: ReportRequest,
  query: LangQuery,
  async handle({ store, stats, viewer, body, locale, options, write }) {
    requireJobs(options);
    if (!(await builtinTemplateNames()).includes(body.template))
      throw new NotFoundError('report template', body.template, { key: 'notFound.hint.reports' });
    const { template, period, place, evaluation, format } = body;
    const params = {
      template,
      ...(period !== undefined ? { period } : {}),
      ...(place !== undefined ? { place } : {}),
      ...(evaluation !== undefined ? { evaluation } : {}),
      lang: body.lang ?? locale,
      format,
    };
    // A request its template cannot make is refused now (400), not queued to fail.
    await checkReportParams(stats, params);
    return jobView(await requestJob(store, viewer as Official, REPORT_JOB, params, write), locale);
  },
});

export const jobs = route({
  method: 'get',
  path: '/jobs',
  operationId: 'listJobs',
  response: R.JobList,
  tag: 'jobs',
  permission: 'read:official',
  summary: 'Your latest 50 jobs, newest first, with their status, progress and output',
  query: LangQuery,
  handle: async ({ store, viewer, locale }) =>
    (await viewerJobs(store, viewer as Official)).map((row) => jobView(row, locale)),
});

export const job = route({
  method: 'get',
  path: '/jobs/{id}',
  operationId: 'getJob',
  response: R.Job,
  params: { id: JobId },
  tag: 'jobs',
  permission: 'read:official',
  summary:
    'One of your jobs: its status (queued, running, succeeded, failed, cancelled), progress from 0 to 1 and the step it is at, then its output (type, SHA-256, size, expiry, URL) or its error',
  query: LangQuery,
  handle: async ({ store, viewer, params, locale }) =>
    jobView(await visibleJob(store, viewer, Number(params.id)), locale),
});

export const cancel = route({
  method: 'post',
  path: '/jobs/{id}/cancel',
  operationId: 'cancelJob',
  response: R.Job,
  params: { id: JobId },
  tag: 'jobs',
  permission: 'read:official',
  summary:
    'Cancel one of your jobs: a queued one at once, a running one at its next heartbeat (within a second or two). An ended job is answered as it is',
  query: LangQuery,
  handle: async ({ store, viewer, params, locale, write }) =>
    jobView(await cancelViewerJob(store, viewer, Number(params.id), write), locale),
});

export const retry = route({
  method: 'post',
  path: '/jobs/{id}/retry',
  operationId: 'retryJob',
  response: R.Job,
  params: { id: JobId },
  tag: 'jobs',
  permission: 'read:official',
  summary: 'Queue one of your failed or cancelled jobs again, with the same parameters; 409 for any other',
  query: LangQuery,
  handle: async ({ store, viewer, params, locale, write }) =>
    jobView(await retryViewerJob(store, viewer, Number(params.id), write), locale),
});

export const output = route({
  method: 'get',
  path: '/jobs/{id}/output',
  operationId: 'getJobOutput',
  response: z.string(),
  download: ['text/html', 'application/pdf', 'application/json'],
  responseHeaders: {
    'Repr-Digest': 'the file’s SHA-256 (RFC 9530), as the job records it: sha-256=:base64:',
    'Content-Disposition': 'attachment, with a file name: report-12.pdf',
  },
  params: { id: JobId },
  tag: 'jobs',
  permission: 'read:official',
  statuses: [410, 500, 503],
  summary:
    'The file one of your jobs made, once it has succeeded: checked against its recorded SHA-256 before it is sent (a damaged file is refused with 500), and 410 once it has expired',
  query: LangQuery,
  async handle({ c, store, viewer, params, options }) {
    const file = await jobOutput(store, viewer, Number(params.id), requireJobs(options));
    return c.body(file.open() as unknown as ReadableStream, 200, jobFileHeaders(file));
  },
});
