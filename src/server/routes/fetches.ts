/**
 * `POST /api/v1/fetches`: a data steward asks the server to download a source's catalogued publisher
 * files and import them, in the background (`fetch` jobs). The request names the source only; an
 * unknown source, or one the catalogue holds no file of, answers 422 at once and queues nothing.
 * @module
 */
import type { Official } from '../../access/viewer.js';
import { HttpError } from '../../error.js';
import { FETCH_JOB, FetchJobParams, fetchTargets } from '../../jobs/fetch-job.js';
import { jobView, requestJob } from '../../jobs/job-requests.js';
import { LangQuery } from '../api-schemas.js';
import { requireStats, route } from '../route.js';
import * as R from '../responses/index.js';
import { requireJobs } from './jobs.js';

export const requestFetch = route({
  method: 'post',
  path: '/fetches',
  operationId: 'requestFetch',
  response: R.Job,
  accepts: true,
  usesStats: true,
  tag: 'jobs',
  permission: 'import:statistics',
  statuses: [503],
  summary:
    'Ask the server to download a source’s publisher files from its catalogued addresses (each checked against its SHA-256) and import them, in the background, as marco fetch does: every download before any import, each import atomic and audited. Answers 202 with the job; its output lists the downloads and the import reports',
  body: FetchJobParams,
  query: LangQuery,
  async handle({ store, stats, viewer, body, locale, options, write }) {
    requireJobs(options);
    requireStats(stats);
    if (!options.fetch) throw new HttpError(503, 'unavailable', { key: 'jobs.noWorker', values: {} });
    await fetchTargets(options.fetch, body.source);
    return jobView(await requestJob(store, viewer as Official, FETCH_JOB, body, write), locale);
  },
});
