/**
 * A program's IATI classification: its OECD DAC 5-digit sectors with their percentages and its flow
 * type (official development assistance or not), as `{ sectors: [{ code, percentage }], flow_type }`.
 * Null when the program declares none; the IATI export then writes the activity without sectors and
 * with the default flow type (`domain/iati/program-iati.ts`).
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table programs add column iati jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table programs drop column if exists iati`.execute(db);
}
