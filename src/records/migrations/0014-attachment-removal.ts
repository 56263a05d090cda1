/**
 * Removing an evidence file attached by mistake: the attachment is not deleted but marked removed, with
 * who removed it, when and why. The audit log records the change like any other, the file no longer
 * lists or downloads, and the same file can be attached again later.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table result_attachments
    add column removed_at timestamptz,
    add column removed_by text,
    add column removal_reason text check (length(removal_reason) between 3 and 2000),
    add constraint result_attachments_removal check (
      (removed_at is null) = (removed_by is null) and (removed_at is null) = (removal_reason is null))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table result_attachments
    drop constraint if exists result_attachments_removal,
    drop column if exists removal_reason,
    drop column if exists removed_by,
    drop column if exists removed_at`.execute(db);
}
