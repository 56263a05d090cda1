/**
 * The kinds of background job a server runs, and the handler of each: reports (rendered by the web
 * surface's report document), evaluations, statistics exports, and fetches followed by imports. `marco serve` gives these to its worker.
 * @module
 */
import { EVALUATION_JOB, evaluationJob } from '../jobs/evaluation-job.js';
import { EXPORT_JOB, exportJob } from '../jobs/export-job.js';
import { FETCH_JOB, fetchJob, type FetchSetup } from '../jobs/fetch-job.js';
import type { JobHandler } from '../jobs/job-worker.js';
import type { RecordsStore } from '../records/database.js';
import type { StatsStore } from '../stats/stats-store.js';
import type { PdfPrinter } from '../web/reports/pdf-printer.js';
import { REPORT_JOB, reportJob } from '../web/reports/report-job.js';

/**
 * The handlers of every job kind, on these stores; `version` is Marco's, recorded in evaluation runs and
 * vintages; `fetch` says where fetch jobs download to and from; `printer` prints report PDFs, one
 * Chromium kept open between reports (without it, each PDF report launches its own).
 */
export const jobHandlers = (
  store: RecordsStore,
  stats: StatsStore | undefined,
  version: string,
  fetch?: FetchSetup,
  printer?: PdfPrinter,
): Record<string, JobHandler> => ({
  [REPORT_JOB]: reportJob(store, stats, printer),
  [EVALUATION_JOB]: evaluationJob(store, stats, version),
  [EXPORT_JOB]: exportJob(stats),
  [FETCH_JOB]: fetchJob(store, stats, version, fetch),
});
