/**
 * The embedded store gathers the planner's statistics that autovacuum would: after a write that loads
 * hundreds of rows, the tables it filled are analysed (PostgreSQL then knows their size, and joins them
 * by hash instead of row by row), and a write of one row checks and analyses nothing. A PostgreSQL
 * server is left to its own autovacuum.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepPlannerStatistics } from '../../src/records/planner-statistics.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { clock, indicator } from '../fixtures/workspace.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { STORE_KINDS, freshStore } from './stores.js';

/** 20 programs of 20 annual indicators, each with two approved results, and 20 funding lines each. */
function workspace() {
  const code = (p: number) => `STAT-${String(p).padStart(2, '0')}`;
  const programs = Array.from({ length: 20 }, (_, p) => ({
    code: code(p),
    title: { en: `Program ${p}`, es: `Programa ${p}` },
    status: 'active',
    start: '2016-01-01',
    indicators: Array.from({ length: 20 }, (_, i) => indicator(`${code(p)}-I${i}`)),
  }));
  return {
    marco: 'workspace/1',
    defaults: { country: 'US', agency: 'INL' },
    periods: [{ code: '2019' }, { code: '2020' }],
    programs,
    results: programs.flatMap((p) =>
      p.indicators.flatMap((i) =>
        ['2019', '2020'].map((period) => ({
          indicator: i.code,
          period,
          place: 'MX',
          value: 5,
          status: 'approved',
        })),
      ),
    ),
    funding_lines: programs.flatMap((p) =>
      Array.from({ length: 20 }, (_, k) => ({
        fiscal_year: `FY${2001 + k}`,
        account: 'INCLE',
        stage: 'obligation',
        program: p.code,
        amount: 1000 + k,
        source: 'Test',
        status: 'approved',
      })),
    ),
  };
}

describe.each(STORE_KINDS)('planner statistics on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    await loadWorkspace(store, workspace() as never, { actor: 'loader', now: clock });
  }, 120_000);
  afterAll(() => store?.dispose());

  const stat = async (table: string) =>
    (
      await sql<{ analysed: boolean; changed: number; planned: number }>`
        select s.last_analyze is not null as analysed, s.n_mod_since_analyze::int as changed,
          c.reltuples::int as planned
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.schemaname = current_schema() and s.relname = ${table}`.execute(store.db)
    ).rows[0]!;

  it(
    kind === 'pglite'
      ? 'analyses the tables a large write filled, as autovacuum would'
      : 'leaves a server to its own autovacuum',
    async () => {
      if (kind === 'pglite')
        for (const [table, rows] of [
          ['results', 800],
          ['indicators', 400],
          ['funding_lines', 400],
        ] as const)
          expect(await stat(table), table).toEqual({ analysed: true, changed: 0, planned: rows });
      // Nothing changed since: checked, nothing analysed (and never anything on a server).
      expect(await keepPlannerStatistics(store)).toEqual([]);
    },
  );
});
