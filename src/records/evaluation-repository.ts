/**
 * Saved evaluation runs. A run keeps its whole result, so it reads back exactly as it was computed; the
 * records store keeps it as a document and does not interpret it beyond the summary columns.
 * @module
 */
import { sql } from 'kysely';
import { NotFoundError } from '../error.js';
import type { RecordsStore } from './database.js';
import { writeTransaction, type WriteOptions } from './transaction.js';

/** What the store needs of a run to save it; the rest of the run is kept as it is. */
export interface RunToSave {
  hash: string;
  title: string;
  marco: string;
  specification: unknown;
}

export interface EvaluationSummary {
  id: number;
  title: string;
  hash: string;
  marco: string;
  created_at: string;
  created_by: string;
  units: number;
  periods: number;
  estimators: string[];
  /** Callaway–Sant'Anna's overall ATT with its 95% band, when it ran. */
  att: { att: number; lower: number; upper: number } | null;
}

/** Saves a run; returns its id. */
export async function saveEvaluation(
  store: RecordsStore,
  result: RunToSave,
  write: WriteOptions,
): Promise<number> {
  return writeTransaction(store, write, async (trx, ctx) => {
    const row = await trx
      .insertInto('evaluations')
      .values({
        hash: result.hash,
        title: result.title,
        spec: JSON.stringify(result.specification),
        result: JSON.stringify(result),
        marco: result.marco,
        created_at: ctx.now,
        created_by: ctx.actor,
      })
      .returning(['id', 'hash', 'title', 'created_at', 'created_by'])
      .executeTakeFirstOrThrow();
    ctx.audit.push({
      at: ctx.now,
      actor: ctx.actor,
      action: 'create',
      entity: 'evaluation',
      key: String(row.id),
      before: null,
      after: row,
    });
    return row.id;
  });
}

/** Saved runs, newest first. */
export async function listEvaluations(store: RecordsStore): Promise<EvaluationSummary[]> {
  const rows = await store.db
    .selectFrom('evaluations')
    .select([
      'id',
      'title',
      'hash',
      'marco',
      'created_at',
      'created_by',
      sql<number>`(result->'panel'->>'units')::int`.as('units'),
      sql<number>`(result->'panel'->>'periods')::int`.as('periods'),
      sql<{ att: number; lower: number; upper: number } | null>`result->'cs'->'simple'`.as('simple'),
      sql<boolean>`result ? 'twfe'`.as('has_twfe'),
      sql<boolean>`result ? 'sdid'`.as('has_sdid'),
      sql<boolean>`result ? 'synth'`.as('has_synth'),
    ])
    .orderBy('id', 'desc')
    .execute();
  return rows.map(({ simple, has_twfe, has_sdid, has_synth, ...r }) => {
    return {
      ...r,
      estimators: [
        ...(has_twfe ? ['twfe'] : []),
        ...(simple ? ['cs'] : []),
        ...(has_sdid ? ['sdid'] : []),
        ...(has_synth ? ['synth'] : []),
      ],
      att: simple ? { att: simple.att, lower: simple.lower, upper: simple.upper } : null,
    };
  });
}

/** A saved run with its full result, as the evaluation engine wrote it (`T`: its result type). */
export async function getEvaluation<T extends RunToSave>(
  store: RecordsStore,
  id: number,
): Promise<T & { id: number; created_at: string; created_by: string }> {
  const row = await store.db
    .selectFrom('evaluations')
    .select(['id', 'result', 'created_at', 'created_by'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('evaluation', String(id), { key: 'notFound.hint.evaluations' });
  return {
    ...(row.result as unknown as T),
    id: row.id,
    created_at: row.created_at,
    created_by: row.created_by,
  };
}
