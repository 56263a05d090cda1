/**
 * The `evaluation` job: an impact evaluation run in the background and saved with the rights of the data
 * steward who asked for it (`POST /api/v1/evaluations` answers at once with this job). Its parameters
 * are the specification, checked by its schema before the job was queued and again here. It reports
 * the panel, each estimator and each permutation as progress, stops when cancelled before the run is
 * saved, and writes the saved run (its id first) as the job's JSON output. A specification the
 * statistics refuse (an unbalanced panel for Callaway–Sant'Anna, a singular design) fails the job with
 * the issues and their paths, and saves nothing. A job killed after the run was saved and re-run finds that run and does not save it
 * twice.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { evaluate } from '../eval/evaluate.js';
import { evaluationInterventions } from '../eval/interventions.js';
import { HttpError } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { listEvaluations, saveEvaluation } from '../records/evaluation-repository.js';
import type { StatsStore } from '../stats/stats-store.js';
import { requesterHolding } from './job-requester.js';
import type { JobHandler } from './job-worker.js';

export const EVALUATION_JOB = 'evaluation';

/** The handler of `evaluation` jobs on these stores; `version` is Marco's, recorded in each run. */
export function evaluationJob(
  store: RecordsStore,
  stats: StatsStore | undefined,
  version: string,
): JobHandler {
  return async ({ job, tempFile, progress, note, signal }) => {
    const requester = requesterHolding(job, 'write:evaluations');
    if (!stats) throw new HttpError(503, 'unavailable', { key: 'http.noStats', values: {} });
    await progress(0.01, 'panel');
    const result = await evaluate(
      stats,
      job.params,
      version,
      await evaluationInterventions(store),
      (done, total, step) => note((0.95 * done) / Math.max(1, total), step),
      signal,
    );
    await progress(0.96, 'save');
    if (signal.aborted) throw new Error(String(signal.reason));
    // A run saved by an earlier attempt of this job (killed before its output was whole) is this one:
    // the same hash, saved by the same person since the job was queued. It is not saved twice.
    const queued = new Date(job.created_at).getTime();
    const earlier = (await listEvaluations(store)).find(
      (e) =>
        e.hash === result.hash &&
        e.created_by === requester.user &&
        new Date(e.created_at).getTime() >= queued,
    );
    const id = earlier?.id ?? (await saveEvaluation(store, result, { actor: requester.user }));
    await writeFile(tempFile, JSON.stringify({ id, ...result }));
    return { type: 'application/json', extension: 'json' };
  };
}
