/**
 * The tamper-evident audit log: every write appends who, when, what, before and after. Each entry's hash
 * covers the previous entry's hash, so editing or deleting any past entry breaks the chain.
 * @module
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { canonicalJson } from './canonical-json.js';
import type { RecordsDatabase } from './schema.js';

export interface AuditEntry {
  at: string;
  actor: string;
  action: 'create' | 'update' | 'delete';
  entity: string;
  key: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const GENESIS = '0'.repeat(64);
// One advisory lock serialises appends across every process writing to the same database.
const AUDIT_LOCK = 0x6d6172636f;

function entryHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ ...entry, at: new Date(entry.at).toISOString() }))
    .digest('hex');
}

/** Appends entries, in order, inside the caller's transaction. */
export async function appendAudit(trx: Transaction<RecordsDatabase>, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let prev = last?.hash ?? GENESIS;
  const rows = entries.map((entry) => {
    const hash = entryHash(prev, entry);
    const row = {
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_key: entry.key,
      before: entry.before === null ? 'null' : canonicalJson(entry.before),
      after: entry.after === null ? 'null' : canonicalJson(entry.after),
      prev_hash: prev,
      hash,
    };
    prev = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('audit_log')
      .values(rows.slice(i, i + 500))
      .execute();
}

/**
 * Recomputes the chain. Returns the id of the first entry that does not match (null when intact) and the
 * head hash: kept outside the store, it also reveals entries removed from the end of the log.
 */
export async function verifyAudit(
  db: Kysely<RecordsDatabase>,
): Promise<{ entries: number; brokenAt: number | null; head: string | null }> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  let prev = GENESIS;
  for (const row of rows) {
    const expected = entryHash(prev, {
      at: row.at,
      actor: row.actor,
      action: row.action,
      entity: row.entity,
      key: row.entity_key,
      before: row.before,
      after: row.after,
    });
    if (row.prev_hash !== prev || row.hash !== expected)
      return { entries: rows.length, brokenAt: row.id, head: rows.at(-1)?.hash ?? null };
    prev = row.hash;
  }
  return { entries: rows.length, brokenAt: null, head: rows.at(-1)?.hash ?? null };
}
