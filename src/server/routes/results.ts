/**
 * Results (actuals) and the monitoring cycle's rules: owners draft and submit, the counterpart country
 * approves or returns with a comment, and an admin locks a period once its results are approved.
 * Anonymous readers see approved and locked results only.
 * @module
 */
import { PeriodCode } from '../../domain/common-schema.js';
import { approveBatch, MAX_BATCH } from '../../monitoring/bulk-approval.js';
import { lockPeriod as lockPeriodAs } from '../../monitoring/period-lock.js';
import { resultCreator } from '../../monitoring/result-creator.js';
import { resultEditor } from '../../monitoring/result-editor.js';
import { createResult } from '../../records/result-entry.js';
import { listResults, updateResult } from '../../records/result-repository.js';
import { NotFoundError } from '../../error.js';
import {
  ApprovalBatch,
  LangQuery,
  LockBody,
  NewResult,
  ResultId,
  ResultPatch,
  ResultsQuery,
} from '../api-schemas.js';
import type { z } from 'zod';
import type { Viewer } from '../../access/viewer.js';
import type { RecordsStore } from '../../records/database.js';
import { route } from '../route.js';
import { exchangeTable } from '../../monitoring/results-exchange/export.js';
import { tableCsvResponse } from '../../web/downloads/table-download.js';
import * as R from '../responses/index.js';
import { checkQueryPlaces } from '../../stats/known-places.js';
import type { StatsStore } from '../../stats/stats-store.js';

/** The largest page of `GET /results`. */
export const MAX_RESULTS_PAGE = 1000;

/** Every result the query's filter selects that `viewer` may see; paging and form are the app's. */
async function filtered(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  query: z.output<typeof ResultsQuery>,
) {
  await checkQueryPlaces(stats, query);
  const {
    limit: _l,
    offset: _o,
    lang: _lang,
    excel: _excel,
    cursor: _c,
    ...filter
  } = query as typeof query & {
    cursor?: string;
  };
  return (await listResults(store, viewer, filter)).results;
}

export const results = route({
  method: 'get',
  path: '/results',
  operationId: 'listResults',
  response: R.ResultList,
  tag: 'results',
  permission: 'read',
  summary: `Results (actuals) filtered by indicator, period, place and status; anonymous readers see approved and locked results only. Paged as every list: \`limit\` (at most ${MAX_RESULTS_PAGE}), \`offset\` or the \`cursor\` of the Link header's next page; X-Total-Count gives the total`,
  query: ResultsQuery,
  // As CSV, every result the filter selects (not a page), in the bulk exchange format.
  csv: async ({ c, store, stats, viewer, query }, excel) =>
    tableCsvResponse(c, store, 'results', exchangeTable(await filtered(store, stats, viewer, query)), excel),
  // Paged by the app (`pagination.ts`), as every list is.
  handle: ({ store, stats, viewer, query }) => filtered(store, stats, viewer, query),
});

export const enterResult = route({
  method: 'post',
  path: '/results',
  operationId: 'createResult',
  versionOf: (r: { version: number }) => r.version,
  response: R.ResultRecord,
  tag: 'results',
  permission: 'write:results',
  creates: true,
  summary:
    'Enter a new result for an indicator you report for: a period suited to its frequency and not locked, a place, and a category for each dimension it declares. Saved as a draft unless `status` is submitted. A result entered before is a conflict (409) that names its id: edit it with PATCH',
  body: NewResult,
  location: (created: { id: number }) => `/api/v1/results/${created.id}`,
  async handle({ store, stats, viewer, body, write }) {
    const places = stats ? (await stats.metadata()).places : undefined;
    const { id } = await createResult(store, body, write, resultCreator(viewer!, places));
    return (await listResults(store, viewer, { id })).results[0];
  },
});

export const result = route({
  method: 'get',
  path: '/results/{id}',
  operationId: 'getResult',
  versionOf: (r: { version: number }) => r.version,
  response: R.ResultRecord,
  params: { id: ResultId },
  tag: 'results',
  permission: 'read',
  summary:
    'One result, as the caller may see it (anonymous readers: approved and locked results only; 404 for any other)',
  query: LangQuery,
  async handle({ store, viewer, params }) {
    const found = (await listResults(store, viewer, { id: Number(params.id) })).results[0];
    if (!found) throw new NotFoundError('result', params.id);
    return found;
  },
});

export const editResult = route({
  method: 'patch',
  path: '/results/{id}',
  operationId: 'updateResult',
  versionOf: (r: { version: number }) => r.version,
  conditional: true,
  response: R.ResultChanged,
  params: { id: ResultId },
  tag: 'results',
  permission: 'write:results',
  summary:
    'Update a result; `version` must be the version you read. Owners edit and submit; the counterpart’s approvers approve, or return a submitted result to draft with a `review_comment`. Any change to an approved result sends it back to submitted; locked periods refuse edits',
  body: ResultPatch,
  handle: ({ store, viewer, params, body, write }) =>
    // Read once, by its id alone, locked in the write's transaction: the rules (`resultEditor`) judge
    // the result as it stands, and nothing can change it between the check and the write.
    updateResult(store, Number(params.id), body, write, resultEditor(viewer!, body, params.id)),
});

export const approveResults = route({
  method: 'post',
  path: '/approvals',
  operationId: 'approveResults',
  response: R.ApprovalsAnswer,
  tag: 'results',
  permission: 'write:results',
  summary: `Approve many results at once (a program's period), each at the version you read: all or none, in one transaction, by the rules of a single approval. At most ${MAX_BATCH}. A result changed since you read it, one of your own country, or one in a locked period refuses the batch, naming it`,
  body: ApprovalBatch,
  async handle({ store, viewer, body, write }) {
    return { approved: await approveBatch(store, viewer!, body.results, write) };
  },
});

export const lockPeriod = route({
  method: 'post',
  path: '/periods/{code}/lock',
  operationId: 'lockPeriod',
  response: R.LockAnswer,
  params: { code: PeriodCode },
  tag: 'results',
  permission: 'lock:periods',
  summary:
    'Lock a reporting period: its results and targets can no longer change. Refused while any result in it is unapproved, unless the admin sends an `override_reason`, which is recorded (unapproved results then stay unpublished, and frozen)',
  body: LockBody,
  optionalBody: true,
  async handle({ params, store, body, write, viewer }) {
    // Without a body (optionalBody) there is no override.
    const override = (body as { override_reason?: string } | undefined)?.override_reason;
    const count = await lockPeriodAs(store, viewer!, params.code, override, write);
    return { period: params.code, resultsLocked: count };
  },
});
