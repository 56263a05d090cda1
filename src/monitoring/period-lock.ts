/**
 * Locking a reporting period, as the API's `POST /api/v1/periods/{code}/lock` and the administration page
 * do it: an admin of the period's own country locks it, in one audited transaction; the approved results
 * within it become locked and published as final; while any is unapproved the lock is refused unless the
 * admin writes a reason, which is recorded.
 * @module
 */
import { assertCanLock, writeGuard } from '../access/rules.js';
import type { Official } from '../access/viewer.js';
import type { RecordsStore } from '../records/database.js';
import { lockPeriodIn } from '../records/period-locks.js';
import { writeTransaction, type WriteOptions } from '../records/transaction.js';

/** Locks period `code` as `official`; returns how many results it locked. */
export async function lockPeriod(
  store: RecordsStore,
  official: Official,
  code: string,
  override: string | undefined,
  options: WriteOptions,
): Promise<number> {
  return writeTransaction(store, { ...options, guard: writeGuard(official) }, (trx, ctx) =>
    // The period's own country locks it: checked on the period as the transaction reads it.
    lockPeriodIn(trx, ctx, code, {
      override,
      check: (period) => assertCanLock(official, period, { entity: 'period', key: code }),
    }),
  );
}
