/**
 * The records store's version: the hash of the audit log's last entry. Every write appends an entry, so
 * anything computed from the records and kept under this version is never served stale.
 *
 * Something that depends on some kinds of records only is kept under `entityVersions` instead: each
 * audited entity's last entry, so that (say) a funding line saved leaves the scorecards beside the
 * money as they were. `changeOf` reads it through a list of entities left out, never a list kept in: an
 * entity added later then counts as a change, which is stale-proof.
 * @module
 */
import { sql } from 'kysely';
import type { RecordsStore } from './database.js';

export async function recordsVersion(store: RecordsStore): Promise<string> {
  const head = await store.db.selectFrom('audit_head').select(['hash']).executeTakeFirst();
  return head?.hash ?? '';
}

/**
 * Each audited entity's last entry id. The index on (entity, id) (migration 0018) is walked from its
 * end: its last entry is the last entity's last change, and each next one is the last entry before that
 * entity. One probe per entity, whatever the log's length; no other index can give this order, so the
 * planner cannot pick one that scans the log.
 */
export async function entityVersions(store: RecordsStore): Promise<Map<string, number>> {
  const { rows } = await sql<{ entity: string; last: number }>`
    with recursive kinds(entity, last) as (
      (select entity, id from audit_log order by entity desc, id desc limit 1)
      union all
      select previous.entity, previous.id from kinds k cross join lateral (
        select a.entity, a.id from audit_log a where a.entity < k.entity
        order by a.entity desc, a.id desc limit 1) previous)
    select entity, last from kinds`.execute(store.db);
  return new Map(rows.map((r) => [r.entity, Number(r.last)]));
}

/** The last change to any entity but `except`: 0 when there is none. */
export function changeOf(versions: ReadonlyMap<string, number>, except: readonly string[]): number {
  let last = 0;
  for (const [entity, id] of versions) if (!except.includes(entity) && id > last) last = id;
  return last;
}

/**
 * Entities that record who signed in, their tokens and subscriptions, and background jobs: the
 * bookkeeping of the deployment, which no figure, page or report is computed from.
 */
export const BOOKKEEPING = [
  'session',
  'user',
  'api token',
  'webhook',
  'followed place',
  'feed key',
  'job',
] as const;

/**
 * The records' content version: the hash of the last audit entry that is not bookkeeping. A report made
 * from the same records has the same version whoever signed in or queued a job meanwhile.
 */
export async function contentVersion(store: RecordsStore): Promise<string> {
  const last = changeOf(await entityVersions(store), BOOKKEEPING);
  if (last === 0) return '';
  const row = await store.db
    .selectFrom('audit_log')
    .select(['hash'])
    .where('id', '=', last)
    .executeTakeFirst();
  return row?.hash ?? '';
}
