/**
 * The kinds of background job a server runs, and the handler of each: reports (rendered by the web
 * surface's report document), evaluations and statistics exports. `marco serve` gives these to its worker.
 * @module
 */
import { EVALUATION_JOB, evaluationJob } from '../jobs/evaluation-job.js';
import { EXPORT_JOB, exportJob } from '../jobs/export-job.js';
import type { JobHandler } from '../jobs/job-worker.js';
import type { RecordsStore } from '../records/database.js';
import type { StatsStore } from '../stats/stats-store.js';
import { REPORT_JOB, reportJob } from '../web/reports/report-job.js';

/** The handlers of every job kind, on these stores; `version` is Marco's, recorded in evaluation runs. */
export const jobHandlers = (
  store: RecordsStore,
  stats: StatsStore | undefined,
  version: string,
): Record<string, JobHandler> => ({
  [REPORT_JOB]: reportJob(store, stats),
  [EVALUATION_JOB]: evaluationJob(store, stats, version),
  [EXPORT_JOB]: exportJob(stats),
});
