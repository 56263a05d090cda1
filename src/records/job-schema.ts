/**
 * The `jobs` table's row type (migration 0019), apart from `schema.ts` as the funding tables are.
 * @module
 */
import type { ColumnType, Generated } from 'kysely';
import type { Nullable, Timestamp } from './record-columns.js';

type Json<T> = ColumnType<T, string, string>;

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Why a job failed: a catalog text, and the issues of a refused input (as `ValidationError` has them). */
export interface JobError {
  key: string;
  values?: Record<string, unknown>;
  issues?: { path: string; message: string; text?: { key: string; values?: Record<string, unknown> } }[];
}

/** Who asked: the official whose rights the job runs with, or null for the public. */
export interface JobRequester {
  user: string;
  country: 'US' | 'MX';
  agency: string;
  roles: string[];
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  params: Json<Record<string, unknown>>;
  requester: ColumnType<JobRequester | null, string | null, string | null>;
  requested_by: string;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  progress: ColumnType<number, number | undefined, number>;
  step: Nullable<string>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  cancel_requested: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  started_at: Nullable<string>;
  heartbeat_at: Nullable<string>;
  finished_at: Nullable<string>;
  output_file: Nullable<string>;
  output_type: Nullable<string>;
  output_sha256: Nullable<string>;
  output_bytes: Nullable<number>;
  expires_at: Nullable<string>;
  error: ColumnType<JobError | null, string | null | undefined, string | null>;
}
