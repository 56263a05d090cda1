/**
 * Writes one record inside a transaction with optimistic concurrency and an audit entry: the single
 * path every create and update in the records store goes through.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import type { WriteGuard } from '../access/rules.js';
import { ConflictError } from '../error.js';
import type { AuditEntry } from './audit.js';
import { canonicalJson } from './canonical-json.js';
import type { RecordsDatabase } from './schema.js';

/** Who is writing and when; collects the audit entries the transaction will append. */
export interface WriteContext {
  actor: string;
  now: string;
  audit: AuditEntry[];
  /** Checks each create, update or delete before it happens; throws to refuse it (API callers' rights). */
  guard?: WriteGuard | undefined;
}

export interface Ownership {
  country: 'US' | 'MX';
  agency: string;
  classification: 'public' | 'official_use' | 'restricted';
}

export type WriteAction = 'create' | 'update' | 'unchanged';

export interface UpsertSpec {
  table: keyof RecordsDatabase;
  /** Entity name in the audit log and in errors (`program`, `indicator`, …). */
  entity: string;
  /** Human-readable natural key (`PRG-1`, `IND-2|2017|MX|`). */
  key: string;
  /** Columns that identify the row. */
  where: Record<string, unknown>;
  /** Columns to set, ownership included. */
  values: Record<string, unknown>;
  /** The version the editor saw; when given and stale, the write is refused. */
  expectedVersion?: number | undefined;
  /** The row as the caller has already read it, locked, in this transaction: it is not read again. */
  existing?: Record<string, unknown> | undefined;
  /**
   * Create only: the row is not read first, and a row that exists already is a conflict
   * ({@link ConflictError.created}), never an update.
   */
  createOnly?: boolean;
}

// The generic writer addresses tables by name; callers keep their typed views.
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** Values as the driver takes them: objects (JSONB columns) as JSON text. */
const storedValues = (values: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(values).map(([k, v]) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? [k, JSON.stringify(v)] : [k, v],
    ),
  );

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * Inserts the row, or updates it when any value differs, bumping its version. An update whose
 * `expectedVersion` is stale throws {@link ConflictError}; so does one that loses a race.
 */
export async function upsertRecord(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  spec: UpsertSpec,
): Promise<{ row: Record<string, unknown>; action: WriteAction; before?: Record<string, unknown> }> {
  const db = trx as unknown as AnyDb;
  let existing = spec.existing;
  if (!existing && !spec.createOnly) {
    let query = db.selectFrom(spec.table).selectAll();
    for (const [column, value] of Object.entries(spec.where))
      query = query.where(column, value === null ? 'is' : '=', value);
    existing = (await query.forUpdate().executeTakeFirst()) as Record<string, unknown> | undefined;
  }
  const stored = storedValues;

  if (!existing) {
    ctx.guard?.(spec.entity, spec.key, undefined, spec.values);
    const row = (await db
      .insertInto(spec.table)
      .values(
        stored({
          ...spec.where,
          ...spec.values,
          created_at: ctx.now,
          created_by: ctx.actor,
          updated_at: ctx.now,
          updated_by: ctx.actor,
          version: 1,
        }),
      )
      // A concurrent transaction may create the same record after our read found none: that is a
      // conflict for the caller, not a database error.
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst()) as Record<string, unknown> | undefined;
    if (!row) throw ConflictError.created(spec.entity, spec.key);
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'create',
      entity: spec.entity,
      key: spec.key,
      before: null,
      after: row,
    });
    return { row, action: 'create' };
  }

  const changed = Object.keys(spec.values).filter((column) => !same(existing[column], spec.values[column]));
  if (changed.length === 0) return { row: existing, action: 'unchanged' };
  const version = existing.version as number;
  if (spec.expectedVersion !== undefined && spec.expectedVersion !== version) {
    throw new ConflictError(spec.entity, spec.key, spec.expectedVersion, version);
  }
  ctx.guard?.(spec.entity, spec.key, existing, spec.values);
  let update = db
    .updateTable(spec.table)
    .set(stored({ ...spec.values, updated_at: ctx.now, updated_by: ctx.actor, version: version + 1 }));
  for (const [column, value] of Object.entries(spec.where))
    update = update.where(column, value === null ? 'is' : '=', value);
  const row = (await update.where('version', '=', version).returningAll().executeTakeFirst()) as
    Record<string, unknown> | undefined;
  if (!row) throw new ConflictError(spec.entity, spec.key, version, version + 1);
  ctx.audit.push({
    at: ctx.now,
    actor: ctx.actor,
    action: 'update',
    entity: spec.entity,
    key: spec.key,
    before: existing,
    after: row,
  });
  return { row, action: 'update', before: existing };
}

/** How many rows one INSERT of {@link insertRecords} carries (PostgreSQL takes 65,535 parameters). */
const INSERT_CHUNK = 500;

/**
 * Creates many records of one table as {@link upsertRecord} with `createOnly` creates one: each checked
 * by the guard and audited, none read first, and one that exists already a conflict. The rows go in
 * multi-row INSERTs of {@link INSERT_CHUNK}, not one statement each: a bulk import of 20,000 results is
 * 40 round trips, not 20,000.
 */
export async function insertRecords(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  table: keyof RecordsDatabase,
  entity: string,
  specs: readonly { key: string; where: Record<string, unknown>; values: Record<string, unknown> }[],
): Promise<number> {
  const db = trx as unknown as AnyDb;
  for (const spec of specs) ctx.guard?.(entity, spec.key, undefined, spec.values);
  const stamp = {
    created_at: ctx.now,
    created_by: ctx.actor,
    updated_at: ctx.now,
    updated_by: ctx.actor,
    version: 1,
  };
  for (let i = 0; i < specs.length; i += INSERT_CHUNK) {
    const chunk = specs.slice(i, i + INSERT_CHUNK);
    const rows = (await db
      .insertInto(table)
      .values(chunk.map((spec) => storedValues({ ...spec.where, ...spec.values, ...stamp })))
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .execute()) as Record<string, unknown>[];
    // Rows are matched to their specs by the columns that identify them, not by RETURNING's order.
    const columns = Object.keys(chunk[0]!.where);
    const id = (values: Record<string, unknown>) => columns.map((c) => String(values[c])).join('\u0000');
    const byId = new Map(chunk.map((spec) => [id(spec.where), spec]));
    if (rows.length < chunk.length) {
      const inserted = new Set(rows.map(id));
      const lost = chunk.find((spec) => !inserted.has(id(spec.where)));
      throw ConflictError.created(entity, lost?.key ?? chunk[0]!.key);
    }
    for (const row of rows)
      ctx.audit.push({
        at: ctx.now,
        actor: ctx.actor,
        action: 'create',
        entity,
        key: byId.get(id(row))!.key,
        before: null,
        after: row,
      });
  }
  return specs.length;
}

/** Deletes rows matching `where`, auditing each one. */
export async function deleteRecords(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  table: keyof RecordsDatabase,
  entity: string,
  where: Record<string, unknown>,
  keyOf: (row: Record<string, unknown>) => string,
): Promise<number> {
  const db = trx as unknown as AnyDb;
  let query = db.deleteFrom(table);
  for (const [column, value] of Object.entries(where))
    query = query.where(column, value === null ? 'is' : '=', value);
  const rows = (await query.returningAll().execute()) as Record<string, unknown>[];
  for (const row of rows) ctx.guard?.(entity, keyOf(row), row, undefined);
  for (const row of rows)
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'delete',
      entity,
      key: keyOf(row),
      before: row,
      after: null,
    });
  return rows.length;
}
