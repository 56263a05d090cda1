/**
 * The job queue's reads and writes (`jobs`, migration 0019). What people do to a job (ask for it,
 * cancel it, retry it) and how it ends (succeeded, failed, interrupted) are audited writes; the worker's
 * claim and heartbeats (progress, the step it is at) are not: they are the queue's own state, written
 * every second or two.
 *
 * A claim takes the oldest queued job with `FOR UPDATE SKIP LOCKED`, so two workers never take the same
 * one; a heartbeat reports progress and learns whether a cancel was asked; a running job whose heartbeat
 * is older than the stale limit belonged to a process that died, and is queued again (or failed, once
 * its attempts are spent) by `recoverJobs`.
 * @module
 */
import { sql, type ColumnType, type Generated } from 'kysely';
import type { RecordsStore } from './database.js';
import type { JobError, JobRequester, JobStatus, JobTable } from './job-schema.js';
import type { WriteContext } from './record-writer.js';
import { writeTransaction, type WriteOptions } from './transaction.js';

export type JobRow = {
  [K in keyof JobTable]: JobTable[K] extends ColumnType<infer S, unknown, unknown>
    ? S
    : JobTable[K] extends Generated<infer G>
      ? G
      : JobTable[K];
};

export interface JobRequest {
  kind: string;
  params: Record<string, unknown>;
  requester: JobRequester | null;
  maxAttempts?: number;
}

/** A job's output, once whole: its file under the jobs folder, media type, checksum, size and expiry. */
export interface JobOutput {
  file: string;
  type: string;
  sha256: string;
  bytes: number;
  expiresAt: string;
}

const audited = (row: JobRow) => ({
  kind: row.kind,
  params: row.params,
  requested_by: row.requested_by,
  status: row.status,
  attempts: row.attempts,
  output_sha256: row.output_sha256,
  error: row.error,
});

/** Records what happened to a job in the audit log, inside its write. */
function auditJob(ctx: WriteContext, action: 'create' | 'update', row: JobRow): void {
  ctx.audit.push({
    at: ctx.now,
    actor: ctx.actor,
    action,
    entity: 'job',
    key: String(row.id),
    before: null,
    after: audited(row),
  });
}

/** Queues a job; audited. */
export async function enqueueJob(
  store: RecordsStore,
  request: JobRequest,
  write: WriteOptions,
): Promise<JobRow> {
  return writeTransaction(store, write, async (trx, ctx) => {
    const row = (await trx
      .insertInto('jobs')
      .values({
        kind: request.kind,
        params: JSON.stringify(request.params),
        requester: request.requester === null ? null : JSON.stringify(request.requester),
        requested_by: ctx.actor,
        max_attempts: request.maxAttempts ?? 2,
        created_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()) as JobRow;
    auditJob(ctx, 'create', row);
    return row;
  });
}

export async function getJob(store: RecordsStore, id: number): Promise<JobRow | undefined> {
  return (await store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()) as
    JobRow | undefined;
}

/** The latest jobs, newest first; of one requester when `requestedBy` is given. */
export async function listJobs(store: RecordsStore, options: { requestedBy?: string; limit?: number } = {}) {
  let q = store.db
    .selectFrom('jobs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50);
  if (options.requestedBy !== undefined) q = q.where('requested_by', '=', options.requestedBy);
  return (await q.execute()) as JobRow[];
}

/** Claims the oldest queued job of `kinds` for this worker, or nothing; never one another worker holds. */
export async function claimJob(store: RecordsStore, kinds: readonly string[]): Promise<JobRow | undefined> {
  const { rows } = await sql<JobRow>`
    update jobs set status = 'running', attempts = attempts + 1, started_at = now(), heartbeat_at = now(),
      progress = 0, step = null
    where id = (
      select id from jobs where status = 'queued' and kind in (${sql.join(['', ...kinds])})
      order by id limit 1 for update skip locked)
    returning *`.execute(store.db);
  return rows[0];
}

/**
 * Records progress (0 to 1) and the step; says whether a cancel was asked, and whether the job is still
 * this worker's (`lost` when it was recovered or ended meanwhile: the worker must stop and write nothing).
 */
export async function beatJob(
  store: RecordsStore,
  id: number,
  attempt: number,
  progress: number,
  step: string | null,
): Promise<{ cancel: boolean; lost: boolean }> {
  const row = await store.db
    .updateTable('jobs')
    .set({ heartbeat_at: sql<string>`now()`, progress: Math.min(1, Math.max(0, progress)), step })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('attempts', '=', attempt)
    .returning(['cancel_requested'])
    .executeTakeFirst();
  return row ? { cancel: row.cancel_requested, lost: false } : { cancel: false, lost: true };
}

/** Ends a running attempt: succeeded with its output, failed with an error, or cancelled; audited. */
export async function endJob(
  store: RecordsStore,
  id: number,
  attempt: number,
  end:
    | { status: 'succeeded'; output: JobOutput }
    | { status: 'failed'; error: JobError }
    | { status: 'cancelled' },
  write: WriteOptions,
): Promise<JobRow | undefined> {
  return writeTransaction(store, write, async (trx, ctx) => {
    const row = (await trx
      .updateTable('jobs')
      .set({
        status: end.status,
        finished_at: ctx.now,
        progress: end.status === 'succeeded' ? 1 : undefined,
        ...(end.status === 'succeeded'
          ? {
              output_file: end.output.file,
              output_type: end.output.type,
              output_sha256: end.output.sha256,
              output_bytes: end.output.bytes,
              expires_at: end.output.expiresAt,
            }
          : {}),
        ...(end.status === 'failed' ? { error: JSON.stringify(end.error) } : {}),
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('attempts', '=', attempt)
      .returningAll()
      .executeTakeFirst()) as JobRow | undefined;
    if (row) auditJob(ctx, 'update', row);
    return row;
  });
}

/**
 * Cancels a job: a queued one at once, a running one by asking its worker (it stops at its next
 * heartbeat). Ended jobs are left as they are. Audited when something changed.
 */
export async function cancelJob(
  store: RecordsStore,
  id: number,
  write: WriteOptions,
): Promise<JobRow | undefined> {
  return writeTransaction(store, write, async (trx, ctx) => {
    const row = (await trx
      .updateTable('jobs')
      .set({
        status: sql<JobStatus>`case when status = 'queued' then 'cancelled' else status end`,
        finished_at: sql<string>`case when status = 'queued' then ${ctx.now}::timestamptz else finished_at end`,
        cancel_requested: true,
      })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .returningAll()
      .executeTakeFirst()) as JobRow | undefined;
    if (row) auditJob(ctx, 'update', row);
    return row ?? (await getJobIn(trx, id));
  });
}

/** Queues a failed or cancelled job again, its attempts counted afresh; audited. */
export async function retryJob(
  store: RecordsStore,
  id: number,
  write: WriteOptions,
): Promise<JobRow | undefined> {
  return writeTransaction(store, write, async (trx, ctx) => {
    const row = (await trx
      .updateTable('jobs')
      .set({
        status: 'queued',
        attempts: 0,
        cancel_requested: false,
        error: null,
        progress: 0,
        step: null,
        finished_at: null,
      })
      .where('id', '=', id)
      .where('status', 'in', ['failed', 'cancelled'])
      .returningAll()
      .executeTakeFirst()) as JobRow | undefined;
    if (row) auditJob(ctx, 'update', row);
    return row ?? (await getJobIn(trx, id));
  });
}

const getJobIn = async (trx: Parameters<Parameters<typeof writeTransaction>[2]>[0], id: number) =>
  (await trx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()) as JobRow | undefined;

/**
 * Running jobs whose heartbeat is older than `staleSeconds`: their process died. Each is queued again
 * while it has attempts left, else failed as interrupted (a cancel asked of it makes it cancelled).
 * Audited; returns the jobs it moved.
 */
export async function recoverJobs(
  store: RecordsStore,
  staleSeconds: number,
  write: WriteOptions,
): Promise<JobRow[]> {
  return writeTransaction(store, write, async (trx, ctx) => {
    const { rows } = await sql<JobRow>`
      update jobs set
        status = case when cancel_requested then 'cancelled'
                      when attempts < max_attempts then 'queued' else 'failed' end,
        finished_at = case when cancel_requested or attempts >= max_attempts then ${ctx.now}::timestamptz end,
        error = case when not cancel_requested and attempts >= max_attempts
                     then '{"key":"jobs.interrupted"}'::jsonb end,
        step = null
      where status = 'running' and heartbeat_at < now() - make_interval(secs => ${staleSeconds})
      returning *`.execute(trx);
    for (const row of rows) auditJob(ctx, 'update', row);
    return rows;
  });
}

/** How many jobs are queued and running now (the metrics' queue depth). */
export async function jobCounts(store: RecordsStore): Promise<{ queued: number; running: number }> {
  const rows = await store.db
    .selectFrom('jobs')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['queued', 'running'])
    .groupBy('status')
    .execute();
  const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { queued: of('queued'), running: of('running') };
}
