/**
 * The planner's statistics, kept on the embedded store. PGlite runs PostgreSQL without its autovacuum
 * daemon, so nothing ever runs ANALYZE: after a workspace of 20,000 results is loaded, the planner still
 * guesses 49 rows for that table and joins it row by row (an outcome query took 67 ms where it takes 13
 * with statistics). So after each write on PGlite, and when a store opens, the tables that changed as
 * much as autovacuum's default rule asks (more than 50 rows plus a tenth of the table since the last
 * ANALYZE) are analysed, as the daemon would have. A PostgreSQL server keeps its own.
 * @module
 */
import { sql, type Kysely } from 'kysely';
import type { RecordsDatabase } from './schema.js';

/** autovacuum_analyze_threshold and autovacuum_analyze_scale_factor, at PostgreSQL's defaults. */
const THRESHOLD = 50;
const SCALE = 0.1;

/** Analyses the tables of the store's schema that changed enough since their last ANALYZE; names them. */
export async function keepPlannerStatistics(store: {
  db: Kysely<RecordsDatabase>;
  kind: string;
}): Promise<string[]> {
  if (store.kind !== 'pglite') return [];
  const { rows } = await sql<{ name: string }>`
    select relname as name from pg_stat_user_tables
    where schemaname = current_schema() and n_mod_since_analyze > ${THRESHOLD}::float8 + ${SCALE}::float8 * n_live_tup
    order by relname`.execute(store.db);
  if (rows.length === 0) return [];
  await sql`analyze ${sql.join(rows.map((r) => sql.id(r.name)))}`.execute(store.db);
  return rows.map((r) => r.name);
}
