/**
 * Interventions added by officials, beside the file Marco ships (which `eval/interventions.ts` reads and
 * merges). Inserting a batch is one audited transaction.
 * @module
 */
import type { Intervention } from '../domain/interventions.js';
import type { RecordsStore } from './database.js';
import { writeTransaction, type WriteOptions } from './transaction.js';

export interface StoredIntervention extends Intervention {
  /** `built-in` for the shipped file, else the official who added it. */
  added_by: string;
  country: 'US' | 'MX' | null;
  agency: string | null;
}

/** The interventions officials added, in the order they were added. */
export async function listAddedInterventions(store: RecordsStore): Promise<StoredIntervention[]> {
  const rows = await store.db.selectFrom('interventions').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    id: r.event_id,
    type: r.type,
    name: r.name,
    date: r.date,
    level: r.geo_level,
    places: r.geo_codes,
    source: r.source,
    added_by: r.created_by,
    country: r.country,
    agency: r.agency,
  }));
}

/** Inserts checked interventions for `owner` in one transaction, each audited; returns their ids. */
export async function insertInterventions(
  store: RecordsStore,
  events: Intervention[],
  owner: { country: 'US' | 'MX'; agency: string },
  write: WriteOptions,
): Promise<string[]> {
  return writeTransaction(store, write, async (trx, ctx) => {
    for (const e of events) {
      const row = await trx
        .insertInto('interventions')
        .values({
          event_id: e.id,
          type: e.type,
          name: e.name,
          date: e.date,
          geo_level: e.level,
          geo_codes: e.places,
          source: e.source,
          country: owner.country,
          agency: owner.agency,
          created_at: ctx.now,
          created_by: ctx.actor,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      ctx.audit.push({
        at: ctx.now,
        actor: ctx.actor,
        action: 'create',
        entity: 'intervention',
        key: e.id,
        before: null,
        after: row as unknown as Record<string, unknown>,
      });
    }
    return events.map((e) => e.id);
  });
}
