/**
 * Approval as DHIS2's data approval has it: a returned result carries the approver's comment, and a
 * period locked with results still unapproved records the admin's reason.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table results
    add column review_comment text,
    add column reviewed_by text,
    add column reviewed_at timestamptz`.execute(db);
  await sql`alter table periods add column lock_reason text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table results drop column if exists review_comment, drop column if exists reviewed_by,
    drop column if exists reviewed_at`.execute(db);
  await sql`alter table periods drop column if exists lock_reason`.execute(db);
}
