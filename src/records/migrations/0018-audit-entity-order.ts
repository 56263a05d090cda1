/**
 * The audit log ordered by entity, then entry: each entity's last entry is one index probe, so what
 * depends on some kinds of records only (the funding analysis: its money, its scorecards) can tell
 * whether those changed without reading the log (`records-version.ts`, `entityVersions`).
 * @module
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index audit_log_entity_order on audit_log (entity, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists audit_log_entity_order`.execute(db);
}
