/**
 * Audit entries of a statistics write that wait for its publication. With statistics generations, an
 * import or a rollback changes a draft of the next generation, and nothing is public until the draft is
 * published. Its audit entries are therefore written by the transaction that publishes it, with the
 * generation's row: an import is in the audit log if and only if its figures were published. A write
 * whose publication fails, or a process killed before it, leaves no entry that names figures no one can
 * read. Without generations (one process on one store), the entries are written at once, as before.
 * @module
 */
import type { RecordsStore } from '../records/database.js';
import type { WriteContext } from '../records/record-writer.js';
import { writeTransaction, type WriteOptions } from '../records/transaction.js';
import type { StatsStore } from '../stats/stats-store.js';

/** Pushes a write's audit entries onto `ctx.audit`. */
export type AuditEntries = (ctx: WriteContext) => void;

interface Waiting {
  write: WriteOptions;
  entries: AuditEntries;
}

const waiting = new WeakMap<StatsStore, Waiting[]>();

/** From now on, audit entries of writes on `writer` wait for {@link writeWaitingAudit}. */
export function deferAudit(writer: StatsStore): void {
  waiting.set(writer, []);
}

/** Writes the entries of a write on `stats`: now, or with its publication when they are deferred. */
export async function auditStatisticsWrite(
  stats: StatsStore,
  records: RecordsStore,
  write: WriteOptions,
  entries: AuditEntries,
): Promise<void> {
  const list = waiting.get(stats);
  if (list && !write.dryRun) {
    list.push({ write, entries });
    return;
  }
  await writeTransaction(records, write, async (_trx, ctx) => entries(ctx));
}

/**
 * Pushes the entries that waited on `writer` onto the publishing transaction's `ctx.audit`, each with its
 * own actor and clock, and forgets them.
 */
export function writeWaitingAudit(writer: StatsStore, ctx: WriteContext): void {
  for (const { write, entries } of waiting.get(writer) ?? [])
    entries({
      ...ctx,
      actor: write.actor,
      now: write.now ? write.now().toISOString() : ctx.now,
      guard: undefined,
    });
  waiting.delete(writer);
}
