/**
 * Evidence files attached to results. Each file's bytes are stored once, under the SHA-256 of its
 * content (`evidence_blobs`): two results citing the same report share it, and the name proves the
 * content. Each attachment of a file to a result is a record of its own (`result_attachments`), owned
 * like the result, versioned and audited like every record, and it names the file by its hash, so the
 * audit log holds which file, as what type and size, was attached by whom and when.
 * @module
 */
import { sql, type Kysely } from 'kysely';
import { RECORD_COLUMNS } from './0001-records.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table evidence_blobs (
    sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
    media_type text not null,
    size integer not null check (size > 0),
    content bytea not null,
    created_at timestamptz not null default now(),
    check (octet_length(content) = size))`.execute(db);
  await sql`create table result_attachments (
    id integer generated always as identity primary key,
    result_id integer not null references results (id) on delete cascade,
    sha256 text not null references evidence_blobs (sha256),
    filename text not null check (length(filename) between 1 and 200),
    media_type text not null,
    size integer not null check (size > 0),
    ${sql.raw(RECORD_COLUMNS)},
    unique (result_id, sha256))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists result_attachments`.execute(db);
  await sql`drop table if exists evidence_blobs`.execute(db);
}
