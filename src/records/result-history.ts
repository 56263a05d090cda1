/**
 * A result's history, read from the audit log: every write that created or changed it (its value, status,
 * comment, a return's comment, a period lock) and every evidence file attached to it, oldest first, each
 * with who, when, and the record before and after. The log is the only source: what the history shows is
 * what `marco audit verify` checks.
 * @module
 */
import { sql } from 'kysely';
import type { RecordsStore } from './database.js';

/** One step of a result's history. */
export interface HistoryEntry {
  /** The audit entry's number, as `marco audit` names it. */
  entry: number;
  at: string;
  actor: string;
  action: 'create' | 'update' | 'delete';
  entity: 'result' | 'attachment';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The audit entries of result `id` and of its evidence files, in the order they were written. */
export async function resultHistory(store: RecordsStore, id: number): Promise<HistoryEntry[]> {
  const key = String(id);
  const rows = await store.db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor', 'action', 'entity', 'before', 'after'])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('entity', '=', 'result'),
          eb.or([eb(sql<string>`after ->> 'id'`, '=', key), eb(sql<string>`before ->> 'id'`, '=', key)]),
        ]),
        eb.and([eb('entity', '=', 'attachment'), eb(sql<string>`after ->> 'result_id'`, '=', key)]),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    entry: r.id,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    entity: r.entity as 'result' | 'attachment',
    before: r.before as Record<string, unknown> | null,
    after: r.after as Record<string, unknown> | null,
  }));
}
