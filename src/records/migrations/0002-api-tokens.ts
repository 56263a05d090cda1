/**
 * API tokens: the HTTP API accepts writes only from a bearer token, stored here as a SHA-256 hash.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table api_tokens (
    id integer generated always as identity primary key,
    user_name text not null,
    country text not null check (country in ('US', 'MX')),
    agency text not null references organisations (code) on update cascade,
    token_hash text not null unique,
    created_at timestamptz not null default now(),
    created_by text not null,
    revoked_at timestamptz)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists api_tokens`.execute(db);
}
