/**
 * The audit log becomes append-only in the database itself: a trigger rejects every UPDATE, DELETE and
 * TRUNCATE of it, whoever connects. Each entry also carries an Ed25519 signature of its hash by the
 * deployment's key (`src/records/audit-key.ts`); entries written before this migration have none.
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log add column signature text`.execute(db);
  await sql`create or replace function marco_audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
  $$`.execute(db);
  await sql`create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function marco_audit_log_append_only()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function marco_audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists audit_log_no_change on audit_log`.execute(db);
  await sql`drop trigger if exists audit_log_no_truncate on audit_log`.execute(db);
  await sql`drop function if exists marco_audit_log_append_only()`.execute(db);
  await sql`alter table audit_log drop column if exists signature`.execute(db);
}
