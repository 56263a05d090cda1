/**
 * Period locks: a locked period's results move to `locked`, and a lock on a year covers its quarters and
 * months.
 * @module
 */
import type { ExpressionBuilder, Transaction } from 'kysely';
import type { Country } from '../domain/common-schema.js';
import { RefusedError, ValidationError, textIssue } from '../error.js';
import { resultKey } from '../domain/workspace-check.js';
import { upsertRecord, type WriteContext } from './record-writer.js';
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

/**
 * The code of a locked period that covers the row's period (joined as `periods`), or null: the lock that
 * stops a result of that period from being entered or changed.
 */
export function lockingPeriodCode(
  eb: ExpressionBuilder<RecordsDatabase & { periods: RecordsDatabase['periods'] }, 'periods'>,
) {
  return eb
    .selectFrom('periods as locking')
    .select('locking.code')
    .where('locking.locked_at', 'is not', null)
    .whereRef('locking.start_date', '<=', 'periods.start_date')
    .whereRef('locking.end_date', '>=', 'periods.end_date')
    .limit(1)
    .as('locked_period');
}

/**
 * Locks a period inside a transaction: the period records who locked it, when, and any override reason,
 * and each approved result within it (both countries': a period code is shared) moves to `locked`.
 * While a result within it is still draft or submitted the lock is refused, unless `override` gives an
 * admin's reason: the unapproved results then stay unapproved (and unpublished), frozen by the lock.
 * `check` sees the period as the transaction read it (the route's rights check). Returns the number of
 * results locked.
 */
export async function lockPeriodIn(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  code: string,
  options: {
    override?: string | undefined;
    check?: (period: { country: Country; agency: string }) => void;
  } = {},
): Promise<number> {
  const period = await trx
    .selectFrom('periods')
    .selectAll()
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  if (!period)
    throw new ValidationError([
      textIssue('period', 'validation.records.periodUndeclared', { period: JSON.stringify(code) }),
    ]);
  options.check?.(period);
  if (period.locked_at !== null) return 0;
  // Every result whose period lies within the locked one: locking 2017 also covers 2017-Q3 and 2017-06.
  const results = await trx
    .selectFrom('results')
    .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
    .innerJoin('periods', 'periods.code', 'results.period_code')
    .select([
      'results.id',
      'results.status',
      'results.period_code',
      'indicators.code as indicator',
      'results.place',
      'results.disaggregation_key',
    ])
    .where('periods.start_date', '>=', period.start_date)
    .where('periods.end_date', '<=', period.end_date)
    .where('results.status', '!=', 'locked')
    .orderBy('results.id')
    .execute();
  const keyOf = (r: (typeof results)[number]) =>
    resultKey(r.indicator, r.period_code, r.place, r.disaggregation_key);
  const unapproved = results.filter((r) => r.status !== 'approved');
  if (unapproved.length > 0 && !options.override)
    throw new RefusedError(
      {
        key: 'records.unapprovedInPeriod',
        values: {
          period: code,
          count: unapproved.length,
          examples: unapproved.slice(0, 3).map(keyOf).join('; ') + (unapproved.length > 3 ? '; …' : ''),
        },
      },
      'unapproved_results',
    );
  await upsertRecord(trx, ctx, {
    table: 'periods',
    entity: 'period',
    key: code,
    where: { code },
    values: {
      locked_at: ctx.now,
      locked_by: ctx.actor,
      ...(unapproved.length > 0 ? { lock_reason: options.override ?? null } : {}),
    },
  });
  const approved = results.filter((r) => r.status === 'approved');
  for (const r of approved) {
    await upsertRecord(trx, ctx, {
      table: 'results',
      entity: 'result',
      key: keyOf(r),
      where: { id: r.id },
      values: { status: 'locked' },
    });
  }
  return approved.length;
}
