/**
 * `POST /api/v1/exports`: a large statistics download (a series query as `GET /api/v1/series` takes it)
 * made in the background as CSV or Parquet, followed and downloaded like any job. The query is checked
 * before anything is queued: a bad field or an export above its size answers 422 at once.
 * @module
 */
import type { Official } from '../../access/viewer.js';
import { jobView, requestJob } from '../../jobs/job-requests.js';
import { checkExport, EXPORT_JOB } from '../../jobs/export-job.js';
import { ExportRequest, LangQuery } from '../api-schemas.js';
import { requireStats, route } from '../route.js';
import * as R from '../responses/index.js';
import { requireJobs } from './jobs.js';

export const requestExport = route({
  method: 'post',
  path: '/exports',
  operationId: 'requestExport',
  response: R.Job,
  accepts: true,
  usesStats: true,
  tag: 'jobs',
  permission: 'read:official',
  statuses: [503],
  summary:
    'Ask for a statistics download too large to wait for (every municipality by month: about 93 MB of CSV) with the query of GET /api/v1/series, as CSV (the same bytes as the download) or Parquet: it is made in the background. Answers 202 with the job; follow it at Location and download its output with its SHA-256',
  body: ExportRequest,
  query: LangQuery,
  async handle({ store, stats, viewer, body, locale, options, write }) {
    requireJobs(options);
    const params = { ...body, lang: body.lang ?? locale };
    await checkExport(requireStats(stats), params);
    return jobView(await requestJob(store, viewer as Official, EXPORT_JOB, params, write), locale);
  },
});
