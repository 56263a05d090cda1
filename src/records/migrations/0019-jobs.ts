/**
 * Background jobs: long work (a report, an evaluation, a large export, a fetch and import) queued in the
 * records store and run by a worker outside the request that asked for it. A table queue, claimed with
 * `FOR UPDATE SKIP LOCKED`, on PGlite and on a PostgreSQL server alike (`docs/reports.md` says why not a
 * library). A running job beats a heartbeat; one whose heartbeat stops (its process was killed) is
 * queued again, or failed once its attempts are spent. Its output is a file stored under the data
 * directory, named in the row with its checksum and expiry only once it is whole.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table jobs (
    id integer generated always as identity primary key,
    kind text not null,
    params jsonb not null,
    requester jsonb,
    requested_by text not null,
    status text not null default 'queued'
      check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    progress double precision not null default 0 check (progress >= 0 and progress <= 1),
    step text,
    attempts integer not null default 0,
    max_attempts integer not null default 2 check (max_attempts >= 1),
    cancel_requested boolean not null default false,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    heartbeat_at timestamptz,
    finished_at timestamptz,
    output_file text,
    output_type text,
    output_sha256 text,
    output_bytes bigint,
    expires_at timestamptz,
    error jsonb)`.execute(db);
  await sql`create index jobs_queued on jobs (id) where status = 'queued'`.execute(db);
  await sql`create index jobs_running on jobs (heartbeat_at) where status = 'running'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists jobs`.execute(db);
}
