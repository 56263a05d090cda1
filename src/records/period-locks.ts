/**
 * Period locks: a locked period's results move to `locked`, and a lock on a year covers its quarters and
 * months.
 * @module
 */
import type { ExpressionBuilder, Transaction } from 'kysely';
import { ValidationError } from '../error.js';
import { resultKey } from '../domain/workspace-check.js';
import { upsertRecord, type WriteContext } from './record-writer.js';
import type { RecordsStore } from './database.js';
import type { RecordsDatabase } from './schema.js';

/**
 * True for rows whose period (joined as `periods`) lies within a locked period, whatever its code: a lock
 * on `2017` also covers `2017-Q3` and `2017-06`.
 */
export function withinLockedPeriod(
  eb: ExpressionBuilder<RecordsDatabase & { periods: RecordsDatabase['periods'] }, 'periods'>,
) {
  return eb.exists(
    eb
      .selectFrom('periods as lock')
      .select('lock.code')
      .where('lock.locked_at', 'is not', null)
      .whereRef('lock.start_date', '<=', 'periods.start_date')
      .whereRef('lock.end_date', '>=', 'periods.end_date'),
  );
}

/** The period with this code and its owner, or undefined when it is not declared. */
export function findPeriod(store: RecordsStore, code: string) {
  return store.db
    .selectFrom('periods')
    .select(['code', 'country', 'agency', 'classification', 'locked_at'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/**
 * Locks a period inside a transaction: the period records who locked it and when, and each of its
 * results moves to status `locked`. Returns the number of results locked.
 */
export async function lockPeriodIn(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  code: string,
): Promise<number> {
  const period = await trx.selectFrom('periods').selectAll().where('code', '=', code).executeTakeFirst();
  if (!period)
    throw new ValidationError([
      { path: 'period', message: `period ${JSON.stringify(code)} is not declared` },
    ]);
  if (period.locked_at !== null) return 0;
  await upsertRecord(trx, ctx, {
    table: 'periods',
    entity: 'period',
    key: code,
    where: { code },
    values: { locked_at: ctx.now, locked_by: ctx.actor },
  });
  // Every result whose period lies within the locked one: locking 2017 also locks 2017-Q3 and 2017-06.
  const results = await trx
    .selectFrom('results')
    .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
    .innerJoin('periods', 'periods.code', 'results.period_code')
    .select([
      'results.id',
      'results.period_code',
      'indicators.code as indicator',
      'results.place',
      'results.disaggregation_key',
    ])
    .where('periods.start_date', '>=', period.start_date)
    .where('periods.end_date', '<=', period.end_date)
    .where('results.status', '!=', 'locked')
    .execute();
  for (const r of results) {
    await upsertRecord(trx, ctx, {
      table: 'results',
      entity: 'result',
      key: resultKey(r.indicator, r.period_code, r.place, r.disaggregation_key),
      where: { id: r.id },
      values: { status: 'locked' },
    });
  }
  return results.length;
}
