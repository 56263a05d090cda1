/**
 * Reporting periods as an administrator reviews them before locking: each period's owner, whether it is
 * locked (by whom, when, with what override reason), and how many results within it (its own, and those
 * of shorter periods inside it, which a lock covers too) are draft, submitted, approved or locked.
 * @module
 */
import { sql } from 'kysely';
import type { RecordsStore } from './database.js';

export interface PeriodOverview {
  code: string;
  kind: string;
  start: string;
  end: string;
  country: 'US' | 'MX';
  agency: string;
  lockedAt: string | null;
  lockedBy: string | null;
  lockReason: string | null;
  results: { draft: number; submitted: number; approved: number; locked: number };
}

/** Every period, latest first, with the results within it counted by status. */
export async function periodOverview(store: RecordsStore): Promise<PeriodOverview[]> {
  const [periods, counts] = await Promise.all([
    store.db
      .selectFrom('periods')
      .select([
        'code',
        'kind',
        sql<string>`start_date::text`.as('start'),
        sql<string>`end_date::text`.as('end'),
        'country',
        'agency',
        'locked_at',
        'locked_by',
        'lock_reason',
      ])
      .orderBy('start_date', 'desc')
      .orderBy('end_date', 'desc')
      .orderBy('code')
      .execute(),
    store.db
      .selectFrom('periods as outer')
      .innerJoin('periods as inner', (join) =>
        join
          .onRef('inner.start_date', '>=', 'outer.start_date')
          .onRef('inner.end_date', '<=', 'outer.end_date'),
      )
      .innerJoin('results', 'results.period_code', 'inner.code')
      .select(['outer.code as code', 'results.status as status', sql<number>`count(*)::int`.as('n')])
      .groupBy(['outer.code', 'results.status'])
      .execute(),
  ]);
  const byPeriod = new Map<string, PeriodOverview['results']>();
  for (const c of counts) {
    const tally = byPeriod.get(c.code) ?? { draft: 0, submitted: 0, approved: 0, locked: 0 };
    tally[c.status] = Number(c.n);
    byPeriod.set(c.code, tally);
  }
  return periods.map((p) => ({
    code: p.code,
    kind: p.kind,
    start: p.start,
    end: p.end,
    country: p.country,
    agency: p.agency,
    lockedAt: p.locked_at === null ? null : new Date(p.locked_at).toISOString(),
    lockedBy: p.locked_by,
    lockReason: p.lock_reason,
    results: byPeriod.get(p.code) ?? { draft: 0, submitted: 0, approved: 0, locked: 0 },
  }));
}
