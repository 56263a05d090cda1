/**
 * Impact evaluation: interventions added by officials (beside the built-in file), and saved evaluation
 * runs with their specification and full result.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table interventions (
    id integer generated always as identity primary key,
    event_id text not null unique check (event_id ~ '^[a-z0-9][a-z0-9._-]{0,79}$'),
    type text not null check (type ~ '^[a-z][a-z0-9_]{0,39}$'),
    name text not null check (length(name) between 1 and 300),
    date date not null,
    geo_level text not null check (geo_level in ('state', 'municipality')),
    geo_codes text[] not null check (cardinality(geo_codes) between 1 and 2500),
    source text not null check (length(source) between 1 and 500),
    country text not null check (country in ('US', 'MX')),
    agency text not null references organisations (code) on update cascade,
    created_at timestamptz not null default now(),
    created_by text not null)`.execute(db);
  await sql`create table evaluations (
    id integer generated always as identity primary key,
    hash text not null check (hash ~ '^[0-9a-f]{64}$'),
    title text not null,
    spec jsonb not null,
    result jsonb not null,
    marco text not null,
    created_at timestamptz not null default now(),
    created_by text not null)`.execute(db);
  await sql`create index evaluations_hash on evaluations (hash)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists evaluations`.execute(db);
  await sql`drop table if exists interventions`.execute(db);
}
