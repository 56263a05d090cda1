/**
 * Bilateral incidents (`domain/incidents/incident-schema.ts`): one row per incident, named by its code
 * for good, with its date, kind, places, title and summary in both languages, and its sources. The date
 * is ISO text, which sorts and compares as a date does.
 * @module
 */
import { sql, type Kysely } from 'kysely';
import { RECORD_COLUMNS } from './0001-records.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create table incidents (
    id integer generated always as identity primary key,
    code text not null unique check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    date text not null check (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    kind text not null check (kind in ('violence', 'capture', 'extradition', 'diplomatic', 'policy')),
    places text[] not null check (cardinality(places) between 1 and 100),
    title_en text not null,
    title_es text not null,
    summary_en text not null,
    summary_es text not null,
    sources text[] not null check (cardinality(sources) between 1 and 20),
    ${RECORD_COLUMNS})`,
    )
    .execute(db);
  await sql`create index incidents_date on incidents (date)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists incidents`.execute(db);
}
