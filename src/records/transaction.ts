/**
 * The one way a write reaches the records store: a transaction that appends the audit entries its writes
 * collected before it commits, and that a dry run rolls back after doing all the work.
 * @module
 */
import type { Transaction } from 'kysely';
import { appendAudit } from './audit.js';
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
  try {
    return await store.db.transaction().execute(async (trx) => {
      const ctx: WriteContext = { actor: options.actor, now, audit: [], guard: options.guard };
      const result = await work(trx, ctx);
      await appendAudit(trx, ctx.audit, store.signer);
      if (options.dryRun) throw new RolledBack(result);
      return result;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result as T;
    throw error;
  }
}
