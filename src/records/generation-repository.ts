/**
 * The records side of statistics generations (migration 0022): which generation is current, the one
 * writer's lock, publishing a generation (its row, its audit entry and its notice in one transaction),
 * and the processes' reports of the generations they hold, from which old files are removed.
 * @module
 */
import { sql } from 'kysely';
import type { RecordsStore } from './database.js';
import type { WriteContext } from './record-writer.js';
import { writeTransaction, type WriteOptions } from './transaction.js';
import type { Selectable } from 'kysely';
import type { StatsGenerationTable } from './generation-schema.js';

/** The notice channel a publication is announced on (in the store's schema: `channelOf`). */
export const GENERATION_CHANNEL = 'marco_stats_generation';

export const GENERATION_ENTITY = 'statistics generation';

export type GenerationRow = Selectable<StatsGenerationTable>;

/** The newest published generation, or undefined before the first. */
export async function currentGeneration(store: RecordsStore): Promise<GenerationRow | undefined> {
  return store.db
    .selectFrom('stats_generations')
    .selectAll()
    .where('removed_at', 'is', null)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Runs `work` holding the statistics writer's lock: a PostgreSQL advisory lock of the store's schema,
 * on a connection held until `work` ends, so one process at a time builds a generation. A process that
 * dies holding it loses its connection, and with it the lock.
 */
export async function withWriterLock<T>(store: RecordsStore, work: () => Promise<T>): Promise<T> {
  return store.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(current_schema() || ':marco-statistics-writer'))`.execute(
      connection,
    );
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(current_schema() || ':marco-statistics-writer'))`
        .execute(connection)
        .catch(() => undefined);
    }
  });
}

/**
 * Publishes a generation: its row and an audit entry, and a notice to every listening process with
 * its number, in one transaction (PostgreSQL delivers the notice when it commits).
 */
export async function publishGeneration(
  store: RecordsStore,
  row: Omit<GenerationRow, 'removed_at' | 'published_at' | 'published_by'>,
  write: WriteOptions,
  /** The audit entries of the work the generation holds (an import's), written with it. */
  entries?: (ctx: WriteContext) => void,
): Promise<void> {
  await writeTransaction(store, write, async (trx, ctx) => {
    // Checked again under a transaction lock: a writer whose session lock was lost (its connection cut
    // mid-import) finds another's generation in its place and publishes nothing.
    await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ':marco-statistics-publish'))`.execute(
      trx,
    );
    const last = await trx
      .selectFrom('stats_generations')
      .select((eb) => eb.fn.max('number').as('n'))
      .executeTakeFirst();
    if (Number(last?.n ?? 0) !== row.number - 1) throw new GenerationTaken(row.number);
    await trx
      .insertInto('stats_generations')
      .values({ ...row, published_at: ctx.now, published_by: ctx.actor })
      .execute();
    entries?.(ctx);
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'create',
      entity: GENERATION_ENTITY,
      key: String(row.number),
      before: null,
      after: { file: row.file, bytes: row.bytes, sha256: row.sha256, vintages: row.vintages },
    });
    await sql`select pg_notify(left(${GENERATION_CHANNEL} || '_' || current_schema(), 63), ${String(row.number)})`.execute(
      trx,
    );
  });
}

/** Another writer published this generation's number first: this one publishes nothing. */
export class GenerationTaken extends Error {
  constructor(readonly number: number) {
    super(`statistics generation ${number} was published by another writer`);
  }
}

/** Whether generation `number` is published with `file` (after a publication whose outcome is unknown). */
export async function isPublished(store: RecordsStore, number: number, file: string): Promise<boolean> {
  const row = await store.db
    .selectFrom('stats_generations')
    .select('file')
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.file === file;
}

/**
 * The highest statistics vintage id the audit log names: a write whose generation was never published
 * may have audited ids that no generation holds, and the next write must not give them out again.
 */
export async function highestAuditedVintage(store: RecordsStore): Promise<number> {
  const { rows } = await sql<{ n: number | null }>`select max(entity_key::bigint) as n from audit_log
    where entity = 'statistics vintage' and entity_key ~ '^[0-9]{1,12}$'`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}

/** Says that process `holder` is alive and still holds generation `oldest` (and any newer). */
export async function reportHolder(
  store: RecordsStore,
  holder: { holder: string; host: string; pid: number; oldest: number },
): Promise<void> {
  // The database's clock, not the host's: hosts whose clocks differ compare the same times.
  await store.db
    .insertInto('stats_generation_holders')
    .values({ ...holder, seen_at: sql<string>`now()` })
    .onConflict((oc) =>
      oc.column('holder').doUpdateSet({ oldest: holder.oldest, seen_at: sql<string>`now()` }),
    )
    .execute();
}

export async function dropHolder(store: RecordsStore, holder: string): Promise<void> {
  await store.db.deleteFrom('stats_generation_holders').where('holder', '=', holder).execute();
}

/**
 * The generations older than `current` whose files no process reported holding within `staleMs`:
 * those may go. A process not heard from in that time is taken for dead, and its report is deleted.
 */
export async function unheldGenerations(
  store: RecordsStore,
  current: number,
  staleMs: number,
): Promise<GenerationRow[]> {
  const stale = sql<string>`now() - make_interval(secs => ${staleMs / 1000})`;
  await store.db.deleteFrom('stats_generation_holders').where('seen_at', '<', stale).execute();
  const held = await store.db
    .selectFrom('stats_generation_holders')
    .select((eb) => eb.fn.min('oldest').as('oldest'))
    .executeTakeFirst();
  const floor = Math.min(current, held?.oldest ?? current);
  return store.db
    .selectFrom('stats_generations')
    .selectAll()
    .where('removed_at', 'is', null)
    .where('number', '<', floor)
    .orderBy('number')
    .execute();
}

/** Whether generation `number` has been removed (its file may be gone). */
export async function isRemoved(store: RecordsStore, number: number): Promise<boolean> {
  const row = await store.db
    .selectFrom('stats_generations')
    .select('removed_at')
    .where('number', '=', number)
    .executeTakeFirst();
  return !row || row.removed_at !== null;
}

export async function markRemoved(store: RecordsStore, numbers: number[], now = new Date()): Promise<void> {
  if (numbers.length === 0) return;
  await store.db
    .updateTable('stats_generations')
    .set({ removed_at: now.toISOString() })
    .where('number', 'in', numbers)
    .execute();
}

/** The file of every generation ever published (removed or not). */
export async function generationFiles(store: RecordsStore): Promise<string[]> {
  return (await store.db.selectFrom('stats_generations').select('file').execute()).map((r) => r.file);
}

/** The highest number ever published (removed or not): the next is one more. */
export async function lastGenerationNumber(store: RecordsStore): Promise<number> {
  const row = await store.db
    .selectFrom('stats_generations')
    .select((eb) => eb.fn.max('number').as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * After a restore: only generation `kept` has its file; every other is marked removed, and no process
 * holds anything yet.
 */
export async function forgetOtherGenerations(store: RecordsStore, kept: number): Promise<void> {
  await store.db
    .updateTable('stats_generations')
    .set({ removed_at: new Date().toISOString() })
    .where('number', '!=', kept)
    .where('removed_at', 'is', null)
    .execute();
  await store.db.deleteFrom('stats_generation_holders').execute();
}
