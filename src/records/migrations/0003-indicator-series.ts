/**
 * Statistics-linked indicators: an indicator may be defined by a series query on the statistics store
 * instead of reported results.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table indicators add column series jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table indicators drop column if exists series`.execute(db);
}
