/**
 * The tamper-evident audit log: every write appends who, when, what, before and after. Each entry's hash
 * covers the previous entry's hash, so editing or deleting any past entry breaks the chain; each hash is
 * signed with the deployment's Ed25519 key, so the chain cannot be recomputed by someone who can write to
 * the database but does not hold the key; and the head (count and last hash), kept by the counterpart,
 * reveals entries removed from the end. On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE.
 * @module
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { canonicalJson } from './canonical-json.js';
import { verifySignature, type AuditSigner } from './audit-key.js';
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
// The advisory lock's first key ("marc"); the second is the schema's hash.
const AUDIT_LOCK = 0x6d617263;
// Entries per INSERT statement (PostgreSQL's limit of bind parameters is far above 500 × 10).
const BATCH = 500;

export function entryHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ ...entry, at: new Date(entry.at).toISOString() }))
    .digest('hex');
}

/**
 * Appends entries, in order, inside the caller's transaction, each signed by `signer`. The head row is
 * locked until the transaction ends: appends from every connection and process follow one another.
 *
 * With `commit` (a PostgreSQL server), the last entries, the head's move and the COMMIT go in one
 * round trip, as literal text quoted by the driver: the lock is then held for the statement that takes
 * it and that one round trip. Without it the caller commits, one round trip later.
 */
export async function appendAudit(
  trx: Transaction<RecordsDatabase>,
  entries: AuditEntry[],
  signer: AuditSigner,
  commit?: { literal: (text: string) => string },
): Promise<void> {
  if (entries.length === 0) {
    if (commit) await sql`commit`.execute(trx);
    return;
  }
  // The advisory lock queues appenders in order (waiters on a row lock alone are woken in no order, and
  // the slowest waited four times as long); FOR UPDATE then reads the head as the last holder committed
  // it, not as this statement's snapshot saw it. One lock per schema: stores sharing a server do not
  // wait on each other.
  const lockHead = async () =>
    (
      await sql<{ hash: string }>`select hash from audit_head
        where id = 1 and pg_advisory_xact_lock(${AUDIT_LOCK}, hashtext(current_schema())) is not null
        for update`.execute(trx)
    ).rows[0];
  let head = await lockHead();
  if (!head) {
    // Deleted outside Marco: set back to the log's last entry (a head that lies breaks the next link).
    await sql`insert into audit_head (id, hash)
      select 1, coalesce((select hash from audit_log order by id desc limit 1), ${GENESIS})
      on conflict (id) do nothing`.execute(trx);
    head = await lockHead();
  }
  let prev = head!.hash;
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
      signature: signer.sign(hash),
    };
    prev = hash;
    return row;
  });
  // All but the last batch alone; the last one with the head's move, in one statement.
  for (let i = 0; i + BATCH < rows.length; i += BATCH)
    await trx
      .insertInto('audit_log')
      .values(rows.slice(i, i + BATCH))
      .execute();
  const last = rows.slice(Math.floor((rows.length - 1) / BATCH) * BATCH);
  if (commit) {
    await sql.raw(appendAndCommit(last, prev, commit.literal)).execute(trx);
    return;
  }
  await trx
    .with('appended', (db) => db.insertInto('audit_log').values(last))
    .updateTable('audit_head')
    .set({ hash: prev })
    .where('id', '=', 1)
    .execute();
}

const AUDIT_COLUMNS = [
  'at',
  'actor',
  'action',
  'entity',
  'entity_key',
  'before',
  'after',
  'prev_hash',
  'hash',
  'signature',
] as const;

/**
 * The last entries, the head's move and COMMIT as one text for PostgreSQL's simple-query protocol, which
 * runs statements in order and stops at the first error (the transaction then stays open, aborted, for
 * the caller to roll back). Every value is text quoted by `literal`.
 */
function appendAndCommit(
  rows: Record<(typeof AUDIT_COLUMNS)[number], string>[],
  head: string,
  literal: (text: string) => string,
): string {
  const values = rows.map((row) => `(${AUDIT_COLUMNS.map((c) => literal(row[c])).join(', ')})`);
  return [
    `insert into audit_log (${AUDIT_COLUMNS.join(', ')}) values ${values.join(', ')}`,
    `update audit_head set hash = ${literal(head)} where id = 1`,
    'commit',
  ].join(';\n');
}

/** The log's head: how many entries, the last hash and its signature. */
export async function auditHead(
  db: Kysely<RecordsDatabase>,
): Promise<{ entries: number; head: string | null; signature: string | null }> {
  const [count] = await db
    .selectFrom('audit_log')
    .select((e) => e.fn.countAll<number>().as('n'))
    .execute();
  const last = await db
    .selectFrom('audit_log')
    .select(['hash', 'signature'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { entries: Number(count!.n), head: last?.hash ?? null, signature: last?.signature ?? null };
}

/** `ENTRIES:HASH`: the value of the `Marco-Audit-Head` header every export carries. */
export async function auditHeadHeader(db: Kysely<RecordsDatabase>): Promise<string> {
  const { entries, head } = await auditHead(db);
  return `${entries}:${head ?? ''}`;
}

export interface ChainReport {
  entries: number;
  head: string | null;
  /** The id of the first entry whose hash or link does not match, or null. */
  brokenAt: number | null;
  /** Ids of entries whose signature does not verify with the public key (at most 20). */
  badSignatures: number[];
  /** Entries without a signature: written before signing began (migration 0007). */
  unsigned: number;
  /** When a head was expected: whether the chain still holds it, and how many entries follow it. */
  expected?: { head: string; found: boolean; after: number };
}

/**
 * Recomputes the chain and checks each signature with `publicKeyPem`. With `expectHead` (a head kept
 * outside the store) it also reveals entries removed from the end, or a rewritten chain: the expected
 * hash must still be in the chain.
 */
export async function verifyChain(
  db: Kysely<RecordsDatabase>,
  options: { publicKeyPem?: string; expectHead?: string } = {},
): Promise<ChainReport> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  let prev = GENESIS;
  let brokenAt: number | null = null;
  const badSignatures: number[] = [];
  let unsigned = 0;
  let foundAt = -1;
  let signing = false;
  for (const [i, row] of rows.entries()) {
    const expected = entryHash(prev, {
      at: row.at,
      actor: row.actor,
      action: row.action,
      entity: row.entity,
      key: row.entity_key,
      before: row.before,
      after: row.after,
    });
    if (brokenAt === null && (row.prev_hash !== prev || row.hash !== expected)) brokenAt = row.id;
    // Entries from before signing began have no signature; once one is signed, every later one must be.
    if (row.signature === null) {
      unsigned++;
      if (signing && badSignatures.length < 20) badSignatures.push(row.id);
    } else {
      signing = true;
      if (
        options.publicKeyPem &&
        badSignatures.length < 20 &&
        !verifySignature(options.publicKeyPem, row.hash, row.signature)
      )
        badSignatures.push(row.id);
    }
    if (row.hash === options.expectHead) foundAt = i;
    prev = row.hash;
  }
  return {
    entries: rows.length,
    head: rows.at(-1)?.hash ?? null,
    brokenAt,
    badSignatures,
    unsigned,
    ...(options.expectHead
      ? {
          expected: {
            head: options.expectHead,
            found: foundAt >= 0,
            after: foundAt >= 0 ? rows.length - 1 - foundAt : 0,
          },
        }
      : {}),
  };
}
