/**
 * Interventions added by officials (beside the built-in file) and saved evaluation runs. Adding
 * interventions is one transaction: a batch with one bad or duplicate event writes nothing. Saved runs
 * keep the whole result, so a run can be read back exactly as it was computed.
 * @module
 */
import { writeTransaction, type WriteOptions } from './transaction.js';
import { sql } from 'kysely';
import { NotFoundError, ValidationError } from '../error.js';
import { builtinInterventions, interventionIssues, type Intervention } from '../eval/panel.js';
import type { EvaluationResult } from '../eval/evaluate.js';
import type { RecordsStore } from './database.js';
import { ownerIssues, type TokenIdentity } from './token-repository.js';

export interface StoredIntervention extends Intervention {
  /** `built-in` for the shipped file, else the official who added it. */
  added_by: string;
  country: 'US' | 'MX' | null;
  agency: string | null;
}

/** The built-in interventions and those added to the store, in date order. */
export async function listInterventions(store: RecordsStore): Promise<StoredIntervention[]> {
  const builtin = (await builtinInterventions()).map(({ line: _line, ...e }) => ({
    ...e,
    added_by: 'built-in',
    country: null,
    agency: null,
  }));
  const rows = await store.db.selectFrom('interventions').selectAll().orderBy('id').execute();
  const added = rows.map((r) => ({
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
  return [...builtin, ...added].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

/** The interventions an evaluation may use: the built-in file and the store's. */
export async function evaluationInterventions(store: RecordsStore): Promise<Intervention[]> {
  return (await listInterventions(store)).map(({ id, type, name, date, level, places, source }) => ({
    id,
    type,
    name,
    date,
    level,
    places,
    source,
  }));
}

/**
 * Adds interventions in one transaction, for `identity`'s country and agency. Every event is checked
 * first, each problem with its position (`[2].date`) and the reason; an id already taken (built in or
 * added) is refused too. Returns the ids added.
 */
export async function addInterventions(
  store: RecordsStore,
  events: Intervention[],
  identity: Pick<TokenIdentity, 'country' | 'agency'>,
  write: WriteOptions,
  where: (index: number) => string = (i) => `[${i}]`,
  names: Partial<Record<keyof Intervention, string>> = {},
): Promise<string[]> {
  if (events.length === 0)
    throw new ValidationError([{ path: '(root)', message: 'no interventions to add' }]);
  const existing = new Set((await listInterventions(store)).map((e) => e.id));
  const seen = new Set<string>();
  const issues = events.flatMap((e, i) => {
    const problems = interventionIssues(e, where(i), names);
    if (existing.has(e.id) || seen.has(e.id))
      problems.push({
        path: [where(i), names.id ?? 'id'].filter(Boolean).join(' '),
        message: `the id ${JSON.stringify(e.id)} is already taken; choose another or list them with marco events list`,
      });
    seen.add(e.id);
    return problems;
  });
  issues.push(...(await ownerIssues(store, identity)));
  if (issues.length) throw new ValidationError(issues, 'interventions');
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
          country: identity.country,
          agency: identity.agency,
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
  result: EvaluationResult,
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
    ])
    .orderBy('id', 'desc')
    .execute();
  return rows.map(({ simple, has_twfe, ...r }) => {
    return {
      ...r,
      estimators: [...(has_twfe ? ['twfe'] : []), ...(simple ? ['cs'] : [])],
      att: simple ? { att: simple.att, lower: simple.lower, upper: simple.upper } : null,
    };
  });
}

/** A saved run with its full result. */
export async function getEvaluation(
  store: RecordsStore,
  id: number,
): Promise<EvaluationResult & { id: number; created_at: string; created_by: string }> {
  const row = await store.db
    .selectFrom('evaluations')
    .select(['id', 'result', 'created_at', 'created_by'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('evaluation', String(id), 'GET /api/v1/evaluations lists them');
  return {
    ...(row.result as unknown as EvaluationResult),
    id: row.id,
    created_at: row.created_at,
    created_by: row.created_by,
  };
}
