/**
 * The records store's version: the hash of the audit log's last entry. Every write appends an entry, so
 * anything computed from the records and kept under this version is never served stale.
 * @module
 */
import type { RecordsStore } from './database.js';

export async function recordsVersion(store: RecordsStore): Promise<string> {
  const head = await store.db.selectFrom('audit_head').select(['hash']).executeTakeFirst();
  return head?.hash ?? '';
}
