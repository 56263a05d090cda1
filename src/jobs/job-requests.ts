/**
 * What people do with background jobs, by the same rules on every surface (API, pages, CLI): ask for
 * one with their own rights, follow it, cancel it, retry it and download what it made. A job is its
 * requester's: another caller is told it does not exist (404), as for any record they may not see, and
 * the operator of the data directory sees every job. An output is served only while it is whole and not
 * expired, and only when its file still has the checksum the queue recorded.
 * @module
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { isOperator, type Official, type Viewer } from '../access/viewer.js';
import { HttpError, NotFoundError, textIn, type Text } from '../error.js';
import { translator, type Locale } from '../i18n/index.js';
import type { RecordsStore } from '../records/database.js';
import { cancelJob, enqueueJob, getJob, listJobs, retryJob, type JobRow } from '../records/job-repository.js';
import type { WriteOptions } from '../records/transaction.js';
import { sha256Of } from './job-worker.js';

/** A job as its requester reads it: status, progress and the step it is at, its output and its error. */
export interface JobView {
  id: number;
  kind: string;
  params: Record<string, unknown>;
  status: JobRow['status'];
  /** From 0 to 1. */
  progress: number;
  /** The step it is at (`content`, `pdf`…), a key under `jobs.step.` in the catalogs. */
  step: string | null;
  /** The step in the reader's language. */
  step_text: string | null;
  attempts: number;
  max_attempts: number;
  cancel_requested: boolean;
  requested_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  output: {
    type: string;
    sha256: string;
    bytes: number;
    expires_at: string;
    /** Where it downloads (the API's path); null once it has expired and been removed. */
    url: string | null;
  } | null;
  error: { key: string; message: string; issues?: { path: string; message: string }[] } | null;
}

const iso = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** The job as its requester reads it, in `locale`. */
export function jobView(row: JobRow, locale: Locale): JobView {
  const t = translator(locale);
  const error = row.error;
  return {
    id: row.id,
    kind: row.kind,
    params: row.params,
    status: row.status,
    progress: Number(row.progress),
    step: row.step,
    step_text: row.step === null ? null : t(`jobs.step.${row.step}`),
    attempts: row.attempts,
    max_attempts: row.max_attempts,
    cancel_requested: row.cancel_requested,
    requested_by: row.requested_by,
    created_at: iso(row.created_at)!,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    output:
      row.output_sha256 === null
        ? null
        : {
            type: row.output_type!,
            sha256: row.output_sha256,
            bytes: Number(row.output_bytes),
            expires_at: iso(row.expires_at)!,
            url: row.output_file === null ? null : `/api/v1/jobs/${row.id}/output`,
          },
    error:
      error === null
        ? null
        : {
            key: error.key,
            message: textIn(t, error as Text),
            ...(error.issues
              ? {
                  issues: error.issues.map((i) => ({
                    path: i.path,
                    message: i.text ? textIn(t, i.text as Text) : i.message,
                  })),
                }
              : {}),
          },
  };
}

/** Whether `viewer` may see the job: its requester (same user, same country), or the operator. */
function maySee(viewer: Viewer, row: JobRow): boolean {
  if (viewer === null) return false;
  if (isOperator(viewer)) return true;
  return (
    row.requested_by === viewer.user && (row.requester === null || row.requester.country === viewer.country)
  );
}

/** The job, when `viewer` may see it; else 404, as for a job that does not exist. */
export async function visibleJob(store: RecordsStore, viewer: Viewer, id: number): Promise<JobRow> {
  const row = await getJob(store, id);
  if (!row || !maySee(viewer, row)) throw new NotFoundError('job', String(id), { key: 'notFound.hint.jobs' });
  return row;
}

/** The viewer's latest jobs, newest first (every job for the operator). */
export async function viewerJobs(store: RecordsStore, viewer: Official, limit = 50): Promise<JobRow[]> {
  const rows = await listJobs(store, { ...(isOperator(viewer) ? {} : { requestedBy: viewer.user }), limit });
  return rows.filter((row) => maySee(viewer, row));
}

/** Queues a job of `kind` that will run with `viewer`'s rights; audited. */
export function requestJob(
  store: RecordsStore,
  viewer: Official,
  kind: string,
  params: Record<string, unknown>,
  write: WriteOptions,
): Promise<JobRow> {
  const { user, country, agency, roles } = viewer;
  return enqueueJob(store, { kind, params, requester: { user, country, agency, roles: [...roles] } }, write);
}

/** Cancels the viewer's job (a queued one at once, a running one at its next heartbeat). */
export async function cancelViewerJob(store: RecordsStore, viewer: Viewer, id: number, write: WriteOptions) {
  await visibleJob(store, viewer, id);
  return (await cancelJob(store, id, write))!;
}

/** Queues the viewer's failed or cancelled job again; 409 for a job that is queued, running or done. */
export async function retryViewerJob(store: RecordsStore, viewer: Viewer, id: number, write: WriteOptions) {
  const row = await visibleJob(store, viewer, id);
  if (row.status !== 'failed' && row.status !== 'cancelled')
    throw new HttpError(409, 'conflict', { key: 'jobs.notRetryable', values: { id } });
  return (await retryJob(store, id, write))!;
}

/** A job's output file, checked: its path, media type, size and SHA-256. */
export interface JobFile {
  file: string;
  type: string;
  bytes: number;
  sha256: string;
  /** A name to save it as: `<kind>-<id>.<extension>`. */
  filename: string;
  open(): NodeJS.ReadableStream;
}

/**
 * The output of the viewer's job in `dir`: 404 until the job has succeeded, 410 once the output has
 * expired, and 500 when the file on disk no longer has the recorded checksum (it is never served).
 */
export async function jobOutput(
  store: RecordsStore,
  viewer: Viewer,
  id: number,
  dir: string,
): Promise<JobFile> {
  const row = await visibleJob(store, viewer, id);
  if (row.status !== 'succeeded' || row.output_sha256 === null)
    throw new HttpError(404, 'not_found', { key: 'jobs.noOutput', values: { id } });
  const expired = row.expires_at !== null && new Date(row.expires_at).getTime() <= Date.now();
  if (row.output_file === null || expired)
    throw new HttpError(410, 'gone', { key: 'jobs.expired', values: { id } });
  const file = path.join(dir, path.basename(row.output_file));
  const found = await sha256Of(file).catch(() => undefined);
  if (!found) throw new HttpError(410, 'gone', { key: 'jobs.expired', values: { id } });
  if (found.sha256 !== row.output_sha256 || found.bytes !== Number(row.output_bytes))
    throw new HttpError(500, 'internal', { key: 'jobs.damaged', values: { id } });
  return {
    file,
    type: row.output_type!,
    bytes: found.bytes,
    sha256: row.output_sha256,
    filename: `${row.kind}-${row.id}${path.extname(row.output_file)}`,
    open: () => createReadStream(file),
  };
}

/**
 * The headers of a job's file: always a download (never shown as one of Marco's pages), its type, size
 * and name, and its SHA-256 as a strong `ETag` and as `Repr-Digest` (RFC 9530), so a copy can be checked.
 */
export const jobFileHeaders = (file: JobFile): Record<string, string> => ({
  'content-type': file.type,
  'content-length': String(file.bytes),
  'content-disposition': `attachment; filename="${file.filename}"`,
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, no-store',
  etag: `"${file.sha256}"`,
  'repr-digest': `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`,
});
