/**
 * Results (actuals): reads filtered by classification and approval (`canSeeResult`), one result by its
 * id, and the single-result update of the monitoring cycle. Approval follows DHIS2's data approval:
 * only approved and locked results are published; any change to an approved result's content sends it
 * back to `submitted` for re-approval; a result returned by the counterpart carries the approver's
 * comment; a result in a locked period changes no more.
 * @module
 */
import { canSee, canSeeResult } from '../access/rules.js';
import type { Viewer } from '../access/viewer.js';
import type { Classification, Country } from '../domain/common-schema.js';
import { resultKey } from '../domain/workspace-check.js';
import { settledNumbers } from '../domain/result-value.js';
import { NotFoundError, RefusedError } from '../error.js';
import type { RecordsStore } from './database.js';
import { attachIn, type StoredEvidence } from './evidence-store.js';
import { lockingPeriodCode } from './period-locks.js';
import { owner } from './program-repository.js';
import { upsertRecord, type WriteContext } from './record-writer.js';
import type { Kysely, Transaction } from 'kysely';
import { placeSelector } from '../domain/place-tree.js';
import type { RecordsDatabase, ResultStatus } from './schema.js';
import { writeTransaction, type WriteOptions } from './transaction.js';

export interface ResultFilter {
  indicator?: string | undefined;
  period?: string | undefined;
  place?: string | undefined;
  status?: ResultStatus | undefined;
  /** The results of one program's indicators. */
  program?: string | undefined;
  /** One result by its id. */
  id?: number | undefined;
  /** The results of this place and every place under it (`MX`: its states and municipalities). */
  within?: string | undefined;
  /** With `place`: the results of the places directly under it, not of the place itself. */
  children?: boolean | undefined;
}

function resultQuery(db: Kysely<RecordsDatabase>, filter: ResultFilter) {
  let query = db
    .selectFrom('results')
    .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
    .innerJoin('periods', 'periods.code', 'results.period_code')
    .selectAll('results')
    .innerJoin('programs', 'programs.id', 'indicators.program_id')
    .select([
      'indicators.code as indicator',
      'indicators.name_en as indicator_name_en',
      'indicators.name_es as indicator_name_es',
      'programs.code as program',
      'programs.title_en as program_title_en',
      'programs.title_es as program_title_es',
      'indicators.classification as ind_classification',
      'indicators.country as ind_country',
      'programs.classification as program_classification',
      'programs.country as program_country',
    ])
    .orderBy('indicators.code')
    .orderBy('periods.start_date')
    .orderBy('results.place')
    .orderBy('results.disaggregation_key');
  if (filter.id !== undefined) query = query.where('results.id', '=', filter.id);
  if (filter.indicator !== undefined) query = query.where('indicators.code', '=', filter.indicator);
  if (filter.period !== undefined) query = query.where('results.period_code', '=', filter.period);
  if (filter.place !== undefined && !filter.children) query = query.where('results.place', '=', filter.place);
  if (filter.status !== undefined) query = query.where('results.status', '=', filter.status);
  if (filter.program !== undefined) query = query.where('programs.code', '=', filter.program);
  return query;
}

type ResultRow = Awaited<ReturnType<ReturnType<typeof resultQuery>['execute']>>[number];

/**
 * A result is visible when its approval allows it (`canSeeResult`) and, for a published result or an
 * owner's draft, when its indicator and program are too. A counterpart approver sees a submitted result
 * that awaits it even when the indicator or program is restricted to the other country.
 */
function visible(viewer: Viewer, r: ResultRow): boolean {
  if (!canSeeResult(viewer, r)) return false;
  const awaitingCounterpart = r.status === 'submitted' && viewer !== null && viewer.country !== r.country;
  return (
    awaitingCounterpart ||
    (canSee(viewer, {
      classification: r.ind_classification as Classification,
      country: r.ind_country as Country,
    }) &&
      canSee(viewer, {
        classification: r.program_classification as Classification,
        country: r.program_country as Country,
      }))
  );
}

const view = (r: ResultRow) => ({
  id: r.id,
  indicator: r.indicator,
  indicatorName: { en: r.indicator_name_en, es: r.indicator_name_es },
  program: r.program,
  programTitle: { en: r.program_title_en, es: r.program_title_es },
  period: r.period_code,
  place: r.place,
  disaggregation: r.disaggregation,
  value: r.value,
  numerator: r.numerator,
  denominator: r.denominator,
  comment: r.comment,
  evidence: r.evidence,
  status: r.status,
  /** True for a draft or submitted result, which only its owners and approvers see. */
  unapproved: r.status === 'draft' || r.status === 'submitted',
  review: r.reviewed_by ? { comment: r.review_comment, by: r.reviewed_by, at: r.reviewed_at } : null,
  ...owner(r),
});

export type ResultView = ReturnType<typeof view>;

/** The results `viewer` may see, filtered; `page` takes a slice and says how many there are in all. */
export async function listResults(
  store: RecordsStore,
  viewer: Viewer,
  filter: ResultFilter = {},
  page?: { offset: number; limit: number },
): Promise<{ results: ResultView[]; total: number }> {
  const selected = placeSelector(filter);
  const rows = (await resultQuery(store.db, filter).execute()).filter(
    (r) => visible(viewer, r) && selected(r.place),
  );
  const slice = page ? rows.slice(page.offset, page.offset + page.limit) : rows;
  return { results: slice.map(view), total: rows.length };
}

/** Status changes a result may make by itself; `locked` comes only from locking its period. */
const TRANSITIONS: Record<ResultStatus, ResultStatus[]> = {
  draft: ['draft', 'submitted'],
  submitted: ['submitted', 'approved', 'draft'],
  approved: ['approved', 'submitted', 'draft'],
  locked: [],
};

export interface ResultPatch {
  version: number;
  value?: number | null | undefined;
  numerator?: number | null | undefined;
  denominator?: number | null | undefined;
  comment?: string | null | undefined;
  evidence?: string | null | undefined;
  status?: ResultStatus | undefined;
  /** The approver's comment: required to return a result, optional with an approval. */
  review_comment?: string | undefined;
}

/**
 * Who is editing, and what they may do: `viewer` must see the result (else it is not found), and
 * `authorize` checks their rights on it as it stands, read and locked in the write's own transaction,
 * throwing to refuse; it returns the reviewer when the caller acts as the counterpart's approver.
 */
export interface ResultEditor {
  viewer: Viewer;
  authorize(current: ResultView): { by: string } | undefined;
}

/**
 * Result `id` read and locked (`for update`) in `trx`, for a change: its row, natural key, view, and its
 * indicator's factor, and the locked period that covers it, if any. Not found (404) when there is none,
 * or when `viewer` (when given) may not see it.
 */
export async function lockedResult(trx: Transaction<RecordsDatabase>, id: number, viewer?: Viewer) {
  const found = await resultQuery(trx, { id })
    .select((eb) => ['indicators.factor', lockingPeriodCode(eb)])
    .forUpdate('results')
    .executeTakeFirst();
  if (!found || (viewer !== undefined && !visible(viewer, found)))
    throw new NotFoundError('result', String(id));
  const {
    indicator,
    indicator_name_en: _ine,
    indicator_name_es: _ins,
    program: _p,
    program_title_en: _pte,
    program_title_es: _pts,
    ind_classification: _ic,
    ind_country: _icn,
    program_classification: _pc,
    program_country: _pcn,
    factor,
    locked_period: lockedPeriod,
    ...row
  } = found;
  return {
    row,
    indicator,
    key: resultKey(indicator, row.period_code, row.place, row.disaggregation_key),
    factor,
    lockedPeriod,
    current: view(found),
  };
}

/** Refuses (409) any change to a result in a locked period, or locked itself. */
export function refuseIfLocked(
  locked: { lockedPeriod: string | null; row: { status: ResultStatus; period_code: string } },
  key: string,
): void {
  if (locked.lockedPeriod || locked.row.status === 'locked')
    throw new RefusedError(
      { key: 'records.periodLocked', values: { key, period: locked.lockedPeriod ?? locked.row.period_code } },
      'period_locked',
    );
}

/**
 * Updates one result. The caller passes the version it read: a stale version is a conflict. The result
 * is read once, by its id, locked, with its indicator, program and any lock on its period, and the
 * `editor`'s rights are checked on that row. A result in a locked period refuses every change; any change
 * to an approved result's content (value, components, comment, evidence, evidence files) sends it back to `submitted`.
 */
export async function updateResult(
  store: RecordsStore,
  id: number,
  patch: ResultPatch,
  options: WriteOptions,
  editor?: ResultEditor,
  files: readonly StoredEvidence[] = [],
) {
  return writeTransaction(store, options, (trx, ctx) => updateResultIn(trx, ctx, id, patch, editor, files));
}

/** {@link updateResult} inside a write that may change other results too (a bulk approval). */
export async function updateResultIn(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  id: number,
  patch: ResultPatch,
  editor?: ResultEditor,
  files: readonly StoredEvidence[] = [],
) {
  const locked = await lockedResult(trx, id, editor?.viewer);
  const { row, key, factor, indicator } = locked;
  const review = editor?.authorize(locked.current);
  refuseIfLocked(locked, key);
  const next = settledNumbers(
    {
      value: patch.value !== undefined ? patch.value : row.value,
      numerator: patch.numerator !== undefined ? patch.numerator : row.numerator,
      denominator: patch.denominator !== undefined ? patch.denominator : row.denominator,
    },
    factor,
    patch.value,
  );
  const comment = patch.comment !== undefined ? patch.comment : row.comment;
  const evidence = patch.evidence !== undefined ? patch.evidence : row.evidence;
  // New evidence is a change to what was approved, like a new value.
  const attached = await attachIn(trx, ctx, { ...row, key }, files);
  const contentChanged =
    attached > 0 ||
    next.value !== row.value ||
    next.numerator !== row.numerator ||
    next.denominator !== row.denominator ||
    comment !== row.comment ||
    evidence !== row.evidence;
  // What was approved is what is published: a change to it needs approving again.
  let status: ResultStatus =
    patch.status ?? (contentChanged && row.status === 'approved' ? 'submitted' : row.status);
  if (status === 'approved' && contentChanged) status = 'submitted';
  if (!TRANSITIONS[row.status].includes(status)) {
    throw new RefusedError(
      {
        key: 'records.statusTransition',
        values: { key, from: row.status, to: status, allowed: TRANSITIONS[row.status].join(', ') },
      },
      'status_transition',
    );
  }
  const reviewed = review
    ? { review_comment: patch.review_comment ?? null, reviewed_by: review.by, reviewed_at: ctx.now }
    : {};
  const { row: written } = await upsertRecord(trx, ctx, {
    table: 'results',
    entity: 'result',
    key,
    where: { id },
    values: { ...next, comment, evidence, status, ...reviewed },
    expectedVersion: patch.version,
    existing: row,
  });
  return {
    id,
    indicator,
    period: row.period_code,
    place: row.place,
    status: written.status as ResultStatus,
    value: written.value as number | null,
    version: written.version as number,
    review: review ? { comment: patch.review_comment ?? null, by: review.by } : null,
  };
}
