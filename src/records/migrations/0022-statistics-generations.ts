/**
 * Statistics generations (`src/generations/`): when several server processes share one statistics
 * directory, each import builds a new DuckDB file and publishes it here, numbered; every process reads
 * the newest one and says which it still holds open, so that the files no process holds can be removed.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table stats_generations (
    number integer primary key check (number > 0),
    file text not null unique check (file ~ '^gen-[0-9]{6,}-[0-9a-f]{8}\\.duckdb$'),
    bytes bigint not null check (bytes > 0),
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    vintages text not null,
    published_at timestamptz not null,
    published_by text not null,
    removed_at timestamptz)`.execute(db);
  await sql`create table stats_generation_holders (
    holder text primary key,
    host text not null,
    pid integer not null,
    oldest integer not null,
    seen_at timestamptz not null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table stats_generation_holders`.execute(db);
  await sql`drop table stats_generations`.execute(db);
}
