/**
 * The one way a write reaches the records store: a transaction that appends the audit entries its writes
 * collected before it commits, and that a dry run rolls back after doing all the work.
 * @module
 */
import { sql, type Transaction } from 'kysely';
import { appendAudit } from './audit.js';
import { keepPlannerStatistics } from './planner-statistics.js';
import type { RecordsStore } from './database.js';
import type { WriteGuard } from '../access/rules.js';
import type { WriteContext } from './record-writer.js';
import type { RecordsDatabase } from './schema.js';

export interface WriteOptions {
  actor: string;
  /** The clock; injected so tests control timestamps. */
  now?: () => Date;
  /** Do all the work, then roll back: reports exactly what a real write would change. */
  dryRun?: boolean;
  /** Refuses individual writes the caller may not make (see {@link WriteGuard}). */
  guard?: WriteGuard;
}

/** Carries a dry run's result out of the transaction it rolls back. */
class RolledBack<T> extends Error {
  constructor(readonly result: T) {
    super('dry run rolled back');
  }
}

/** Runs `work` in a transaction that appends its audit entries before committing. */
export async function writeTransaction<T>(
  store: RecordsStore,
  options: WriteOptions,
  work: (trx: Transaction<RecordsDatabase>, ctx: WriteContext) => Promise<T>,
): Promise<T> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  if (store.literal && !options.dryRun) return appendingCommit(store, store.literal, options, now, work);
  try {
    const result = await store.db.transaction().execute(async (trx) => {
      const ctx: WriteContext = { actor: options.actor, now, audit: [], guard: options.guard };
      const result = await work(trx, ctx);
      await appendAudit(trx, ctx.audit, store.signer);
      if (options.dryRun) throw new RolledBack(result);
      return result;
    });
    // The embedded store has no autovacuum: the writer gathers what it changed (a few rows: one check).
    await keepPlannerStatistics(store);
    return result;
  } catch (error) {
    if (error instanceof RolledBack) return error.result as T;
    throw error;
  }
}

/**
 * On a PostgreSQL server, where writes run concurrently and wait for the audit chain's lock: the
 * transaction is opened and ended by hand, so that its audit entries and its COMMIT go in one round trip
 * (`appendAudit` with `commit`). The lock is held until the commit, and every round trip under it waits
 * for the server's event loop too: one fewer shortens every other writer's wait.
 */
async function appendingCommit<T>(
  store: RecordsStore,
  literal: (text: string) => string,
  options: WriteOptions,
  now: string,
  work: (trx: Transaction<RecordsDatabase>, ctx: WriteContext) => Promise<T>,
): Promise<T> {
  return store.db.connection().execute(async (connection) => {
    // One connection, held until the end: the same statements a Kysely transaction would run on it.
    const trx = connection as unknown as Transaction<RecordsDatabase>;
    await sql`begin`.execute(trx);
    try {
      const ctx: WriteContext = { actor: options.actor, now, audit: [], guard: options.guard };
      const result = await work(trx, ctx);
      await appendAudit(trx, ctx.audit, store.signer, { literal });
      return result;
    } catch (error) {
      // After a failed statement the transaction is open and aborted; after a failed COMMIT it is over,
      // and ROLLBACK only warns.
      await sql`rollback`.execute(trx);
      throw error;
    }
  });
}
