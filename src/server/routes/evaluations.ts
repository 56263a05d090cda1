/**
 * Impact evaluation: dated interventions (built in and added by officials) and saved evaluation runs.
 * @module
 */
import type { Intervention } from '../../domain/interventions.js';
import type { Official } from '../../access/viewer.js';
import { EvaluationSpec, type EvaluationResult } from '../../eval/evaluate.js';
import { EVALUATION_JOB } from '../../jobs/evaluation-job.js';
import { jobView, requestJob } from '../../jobs/job-requests.js';
import { addInterventions, listInterventions } from '../../eval/interventions.js';
import { getEvaluation, listEvaluations } from '../../records/evaluation-repository.js';
import { EvaluationId, InterventionsBody, LangQuery } from '../api-schemas.js';
import { requireStats, route } from '../route.js';
import { requireJobs } from './jobs.js';
import * as R from '../responses/index.js';

export const interventions = route({
  method: 'get',
  path: '/interventions',
  operationId: 'listInterventions',
  response: R.InterventionList,
  tag: 'evaluation',
  permission: 'read',
  summary: 'Dated interventions for impact evaluation: the built-in file and those added by officials',
  query: LangQuery,
  handle: ({ store }) => listInterventions(store),
});

export const addIntervention = route({
  method: 'post',
  path: '/interventions',
  operationId: 'addInterventions',
  response: R.InterventionsAdded,
  usesStats: true,
  tag: 'evaluation',
  permission: 'write:evaluations',
  summary:
    'Add one intervention or an array of them, in one transaction, for the token’s country and agency; ids must be new',
  body: InterventionsBody,
  async handle({ store, stats, body, viewer, write }) {
    const list: Intervention[] = Array.isArray(body) ? body : [body];
    const ids = await addInterventions(
      store,
      list,
      { country: viewer!.country, agency: viewer!.agency },
      write,
      {
        where: (i) => (Array.isArray(body) ? `[${i}]` : ''),
        ...(stats ? { places: (await stats.metadata()).places } : {}),
      },
    );
    return { added: ids };
  },
});

export const evaluations = route({
  method: 'get',
  path: '/evaluations',
  operationId: 'listEvaluations',
  response: R.EvaluationList,
  tag: 'evaluation',
  permission: 'read',
  summary: 'Saved evaluation runs, newest first, with their overall estimate',
  query: LangQuery,
  handle: ({ store }) => listEvaluations(store),
});

export const runEvaluation = route({
  method: 'post',
  path: '/evaluations',
  operationId: 'runEvaluation',
  response: R.Job,
  accepts: true,
  usesStats: true,
  tag: 'evaluation',
  permission: 'write:evaluations',
  summary:
    'Run an evaluation (the body is a specification, as for `marco evaluate`) on the server’s statistics and save it, in the background: a body its schema refuses answers 422 at once; otherwise 202 with the job (Location), whose output is the saved run. A specification the statistics refuse fails the job with its issues and saves nothing',
  body: EvaluationSpec,
  query: LangQuery,
  async handle({ store, stats, body, viewer, locale, options, write }) {
    requireStats(stats);
    requireJobs(options);
    return jobView(await requestJob(store, viewer as Official, EVALUATION_JOB, body, write), locale);
  },
});

export const evaluation = route({
  method: 'get',
  path: '/evaluations/{id}',
  operationId: 'getEvaluation',
  response: R.EvaluationRun,
  params: { id: EvaluationId },
  tag: 'evaluation',
  permission: 'read',
  summary: 'A saved evaluation run with its specification, panel report, estimates, vintages and hash',
  query: LangQuery,
  handle: ({ store, params }) => getEvaluation<EvaluationResult>(store, Number(params.id)),
});
