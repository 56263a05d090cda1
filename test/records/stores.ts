/**
 * The records-store backends every store test runs against: embedded PGlite always, and a real
 * PostgreSQL server when DATABASE_URL is set. With CI=true a missing server is a failure, not a skip.
 * Narrow with MARCO_TEST_STORES=pglite or =postgres.
 */
import { randomBytes } from 'node:crypto';
import { dropSchema, openRecords, type RecordsKind, type RecordsStore } from '../../src/records/database.js';

export const DATABASE_URL = process.env.DATABASE_URL ?? '';
const only = process.env.MARCO_TEST_STORES?.split(',');

if (process.env.CI === 'true' && !DATABASE_URL) {
  throw new Error('CI=true but DATABASE_URL is not set: the store tests must run on PostgreSQL in CI');
}

export const STORE_KINDS: RecordsKind[] = (['pglite', 'postgres'] as const).filter(
  (kind) => (!only || only.includes(kind)) && (kind === 'pglite' || DATABASE_URL !== ''),
);

if (!DATABASE_URL && !process.env.MARCO_QUIET_SKIPS) {
  console.warn('records-store tests: DATABASE_URL is not set, skipping the PostgreSQL backend (PGlite only)');
}

/** Opens a fresh, empty store of the given kind (a private schema on the shared server). */
export async function freshStore(kind: RecordsKind): Promise<RecordsStore & { dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    const store = await openRecords({ memory: true });
    return { ...store, dispose: () => store.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openRecords({ databaseUrl: DATABASE_URL, schema });
  return {
    ...store,
    async dispose() {
      await dropSchema(store, schema);
      await store.close();
    },
  };
}

/** Row counts of every records table: proof that a refused write changed nothing. */
export async function countRows(store: RecordsStore): Promise<Record<string, number>> {
  const tables = [
    'organisations',
    'frameworks',
    'framework_nodes',
    'crosswalk_links',
    'programs',
    'indicators',
    'indicator_versions',
    'periods',
    'targets',
    'results',
    'result_attachments',
    'evidence_blobs',
    'practices',
    'risks',
    'lessons',
    'audit_log',
    'interventions',
    'evaluations',
    'notifications',
    'followed_places',
    'feed_keys',
    'webhooks',
    'deliveries',
    'benchmarks',
    'benchmark_targets',
    'funding_accounts',
    'exchange_rates',
    'funding_lines',
    'deflators',
  ] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
