/**
 * Whether every record's current state is its last audited state: the audit log is replayed, entity by
 * entity, and each table's rows are compared with the last `after` written for them, column by column
 * (the columns that entry holds). A direct SQL `UPDATE`, `INSERT` or `DELETE` that bypassed Marco shows
 * up here, even though the log itself is intact.
 * @module
 */
import type { Kysely } from 'kysely';
import { canonicalJson } from './canonical-json.js';
import type { RecordsDatabase } from './schema.js';

/** Each audited entity's table and the column that identifies its rows. */
export const AUDITED: Record<string, { table: keyof RecordsDatabase; id: string }> = {
  organisation: { table: 'organisations', id: 'id' },
  framework: { table: 'frameworks', id: 'id' },
  'framework node': { table: 'framework_nodes', id: 'id' },
  'crosswalk link': { table: 'crosswalk_links', id: 'id' },
  program: { table: 'programs', id: 'id' },
  indicator: { table: 'indicators', id: 'id' },
  period: { table: 'periods', id: 'code' },
  target: { table: 'targets', id: 'id' },
  result: { table: 'results', id: 'id' },
  practice: { table: 'practices', id: 'id' },
  risk: { table: 'risks', id: 'id' },
  lesson: { table: 'lessons', id: 'id' },
  'api token': { table: 'api_tokens', id: 'id' },
  intervention: { table: 'interventions', id: 'id' },
  evaluation: { table: 'evaluations', id: 'id' },
  user: { table: 'users', id: 'id' },
  session: { table: 'sessions', id: 'id' },
};

export interface StateMismatch {
  entity: string;
  /** The row's identity (its id, or a period's code). */
  id: string;
  /** `changed`: differs from its last audited state; `unaudited`: no entry created it; `deleted`: gone
   * without an audited delete. */
  problem: 'changed' | 'unaudited' | 'deleted';
  columns?: string[];
}

// The checker reads every audited table by name.
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** Every record whose state is not its last audited state (at most `limit` of them). */
export async function stateMismatches(db: Kysely<RecordsDatabase>, limit = 100): Promise<StateMismatch[]> {
  const audited = new Map<string, Map<string, Record<string, unknown> | null>>();
  for (const entity of Object.keys(AUDITED)) audited.set(entity, new Map());
  const entries = await db
    .selectFrom('audit_log')
    .select(['entity', 'action', 'before', 'after'])
    .where('entity', 'in', Object.keys(AUDITED))
    .orderBy('id')
    .execute();
  for (const e of entries) {
    const { id } = AUDITED[e.entity]!;
    const row = (e.after ?? e.before) as Record<string, unknown> | null;
    if (!row || row[id] === undefined) continue;
    audited.get(e.entity)!.set(String(row[id]), e.action === 'delete' ? null : e.after);
  }
  const found: StateMismatch[] = [];
  for (const [entity, { table, id }] of Object.entries(AUDITED)) {
    const last = audited.get(entity)!;
    const rows = await (db as unknown as AnyDb).selectFrom(table).selectAll().execute();
    const present = new Set<string>();
    for (const row of rows) {
      const key = String(row[id]);
      present.add(key);
      const expected = last.get(key);
      if (!expected) {
        found.push({ entity, id: key, problem: 'unaudited' });
        continue;
      }
      const columns = Object.keys(expected).filter(
        (c) => canonicalJson(row[c] ?? null) !== canonicalJson(expected[c] ?? null),
      );
      if (columns.length > 0) found.push({ entity, id: key, problem: 'changed', columns });
    }
    for (const [key, expected] of last)
      if (expected && !present.has(key)) found.push({ entity, id: key, problem: 'deleted' });
    if (found.length >= limit) break;
  }
  return found.slice(0, limit);
}
