/**
 * Results (actuals) and the monitoring cycle's rules: owners draft and submit, the counterpart country
 * approves, and locking a period freezes its results.
 * @module
 */
import { z } from 'zod';
import { assertCanApprove, assertCanLock, assertCanSubmit, writeGuard } from '../../access/rules.js';
import { PeriodCode } from '../../domain/common-schema.js';
import { HttpError, NotFoundError } from '../../error.js';
import { findPeriod, lockPeriodIn } from '../../records/period-locks.js';
import { listResults, updateResult } from '../../records/program-repository.js';
import { writeTransaction } from '../../records/transaction.js';
import { ResultPatch, ResultsQuery } from '../api-schemas.js';
import { route } from '../route.js';

export const results = route({
  method: 'get',
  path: '/results',
  tag: 'results',
  permission: 'read',
  summary: 'Results (actuals) filtered by indicator, period, place and status',
  query: ResultsQuery,
  handle: ({ store, viewer, query }) => listResults(store, viewer, query),
});

export const editResult = route({
  method: 'patch',
  path: '/results/{id}',
  params: {
    id: z.string().regex(/^[1-9]\d{0,9}$/, { message: 'expected a result id (a positive integer)' }),
  },
  tag: 'results',
  permission: 'write:results',
  summary:
    'Update a result; `version` must be the version you read. Approval must come from the counterpart country; locked periods refuse edits',
  body: ResultPatch,
  async handle({ store, viewer, params, body, write }) {
    const id = Number(params.id);
    const [current] = (await listResults(store, viewer)).filter((r) => r.id === id);
    if (!current) throw new NotFoundError('result', String(id));
    const others = Object.keys(body).filter((k) => k !== 'version' && k !== 'status');
    if (body.status === 'approved' && others.length > 0)
      throw new HttpError(
        422,
        'invalid_input',
        `an approval changes nothing else: send {version, status: "approved"} without ${others.join(', ')}`,
      );
    const what = { entity: 'result', key: String(id) };
    if (body.status === 'approved') assertCanApprove(viewer, current, what);
    else assertCanSubmit(viewer, current, what);
    return updateResult(store, id, body, write);
  },
});

export const lockPeriod = route({
  method: 'post',
  path: '/periods/{code}/lock',
  params: { code: PeriodCode },
  tag: 'results',
  permission: 'lock:periods',
  summary: 'Lock a reporting period: its results and targets can no longer change',
  async handle({ store, params, write, viewer }) {
    // The period's own country locks it; an undeclared period is refused by lockPeriodIn with its reason.
    const period = await findPeriod(store, params.code);
    if (period) assertCanLock(viewer, period, { entity: 'period', key: params.code });
    const count = await writeTransaction(store, { ...write, guard: writeGuard(viewer!) }, (trx, ctx) =>
      lockPeriodIn(trx, ctx, params.code),
    );
    return { period: params.code, resultsLocked: count };
  },
});
