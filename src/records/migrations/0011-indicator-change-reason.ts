/**
 * Why an indicator's baseline or targets changed: once results exist, moving the goalposts needs a
 * written reason, kept on the indicator (so its audit entry and its reference sheet's version hold it).
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table indicators add column change_reason text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table indicators drop column if exists change_reason`.execute(db);
}
