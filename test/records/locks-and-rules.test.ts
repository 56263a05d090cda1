import { exportWorkspace } from '../../src/records/workspace-export.js';
import { lockPeriodIn } from '../../src/records/period-locks.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { writeTransaction } from '../../src/records/transaction.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock, indicator, workspace } from '../fixtures/workspace.js';
import { ValidationError } from '../../src/error.js';
import { readInputDocument } from '../../src/domain/input-document.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { STORE_KINDS, countRows, freshStore } from './stores.js';

describe.each(STORE_KINDS)('locks and indicator rules on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    const doc = await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE);
    await loadWorkspace(store, doc.data, { actor: 'loader', now: clock });
  });
  afterAll(() => store?.dispose());

  async function refused(input: unknown): Promise<ValidationError> {
    const before = await countRows(store);
    const error = await loadWorkspace(store, input, { actor: 'tester', now: clock }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(await countRows(store)).toEqual(before);
    return error as ValidationError;
  }

  it('a lock on a year covers every period inside it, whatever its code', async () => {
    await loadWorkspace(
      store,
      workspace({
        periods: [{ code: '2021' }, { code: '2021-Q3' }, { code: '2021-06' }],
        programs: [
          {
            code: 'LOCKS',
            title: { en: 'Locks', es: 'Cierres' },
            status: 'active',
            indicators: [
              indicator('LOCKS-1', {
                targets: [{ period: '2021', value: 10 }],
                baseline: { value: 12, period: '2020' },
              }),
            ],
          },
        ],
        results: [
          { indicator: 'LOCKS-1', period: '2021-Q3', place: 'MX', value: 4 },
          { indicator: 'LOCKS-1', period: '2021-06', place: 'MX', value: 3, status: 'approved' },
        ],
      }),
      { actor: 'loader', now: clock },
    );
    const lock = (override?: string) =>
      writeTransaction(store, { actor: 'loader', now: clock }, (trx, ctx) =>
        lockPeriodIn(trx, ctx, '2021', { override }),
      );
    // The 2021-Q3 result is a draft: the lock is refused, and nothing changes.
    const before = await countRows(store);
    await expect(lock()).rejects.toMatchObject({
      code: 'refused',
      reason: 'unapproved_results',
      message: expect.stringContaining('period 2021 still has 1 unapproved result (LOCKS-1|2021-Q3|MX|)'),
    });
    expect(await countRows(store)).toEqual(before);
    // An admin's override locks it, with the reason recorded: the approved result is locked, the draft
    // stays a draft (unpublished), frozen by the lock.
    expect(await lock('The Q3 figure is disputed; closing the year as agreed')).toBe(1);
    const period = await store.db
      .selectFrom('periods')
      .select(['locked_by', 'lock_reason'])
      .where('code', '=', '2021')
      .executeTakeFirstOrThrow();
    expect(period).toEqual({
      locked_by: 'loader',
      lock_reason: 'The Q3 figure is disputed; closing the year as agreed',
    });
    const statuses = await store.db
      .selectFrom('results')
      .select(['period_code', 'status'])
      .where('period_code', 'in', ['2021-Q3', '2021-06'])
      .orderBy('period_code')
      .execute();
    expect(statuses).toEqual([
      { period_code: '2021-06', status: 'locked' },
      { period_code: '2021-Q3', status: 'draft' },
    ]);
    const error = await refused(
      workspace({ results: [{ indicator: 'LOCKS-1', period: '2021-06', place: 'MX', value: 40 }] }),
    );
    expect(error.issues[0]).toMatchObject({ path: 'results[0].period' });
    expect(error.issues[0]!.message).toContain('period 2021 is locked');
  });

  it('keeps results with look-alike disaggregations apart', async () => {
    await loadWorkspace(
      store,
      workspace({
        periods: [{ code: '2022' }],
        programs: [
          {
            code: 'DISAGG',
            title: { en: 'Disaggregations', es: 'Desagregaciones' },
            status: 'active',
            indicators: [indicator('DISAGG-1', { disaggregations: ['age', 'sex'], direction: 'increase' })],
          },
        ],
        results: [
          {
            indicator: 'DISAGG-1',
            period: '2022',
            place: 'MX',
            disaggregation: { age: '1', sex: 'f' },
            value: 1,
          },
          {
            indicator: 'DISAGG-1',
            period: '2022',
            place: 'MX',
            disaggregation: { age: '1;sex=f' },
            value: 2,
          },
        ],
      }),
      { actor: 'loader', now: clock },
    );
    const results = (await exportWorkspace(store)).results!.filter((r) => r.indicator === 'DISAGG-1');
    expect(results.map((r) => r.value).sort()).toEqual([1, 2]);
  });

  it('refuses targets on the wrong side of the baseline, and averaged rates', async () => {
    const error = await refused(
      workspace({
        periods: [{ code: '2023' }],
        programs: [
          {
            code: 'RULES',
            title: { en: 'Rules', es: 'Reglas' },
            status: 'active',
            indicators: [
              indicator('RULES-1', {
                baseline: { value: 20, period: '2022' },
                targets: [{ period: '2023', value: 24 }],
              }),
              indicator('RULES-2', {
                numerator: { en: 'deaths', es: 'muertes' },
                denominator: { en: 'people', es: 'personas' },
                factor: 100000,
                aggregation: 'mean',
              }),
            ],
          },
        ],
      }),
    );
    const paths = error.issues.map((i) => i.path);
    expect(paths).toContain('programs[0].indicators[0].targets[0].value');
    expect(paths).toContain('programs[0].indicators[1].aggregation');
  });

  it('refuses moving an indicator to another program', async () => {
    const error = await refused(
      workspace({
        programs: [
          {
            code: 'OTHER',
            title: { en: 'Other', es: 'Otro' },
            status: 'active',
            indicators: [indicator('LOCKS-1')],
          },
        ],
      }),
    );
    expect(error.issues[0]!.message).toContain('belongs to program LOCKS');
  });

  it('recomputes stored rates when an indicator’s factor changes', async () => {
    const base = {
      code: 'FACTOR',
      title: { en: 'Factor', es: 'Factor' },
      status: 'active',
    };
    const rate = (factor: number) =>
      indicator('FACTOR-1', {
        numerator: { en: 'deaths', es: 'muertes' },
        denominator: { en: 'people', es: 'personas' },
        factor,
        aggregation: 'ratio_of_sums',
      });
    await loadWorkspace(
      store,
      workspace({
        periods: [{ code: '2024' }],
        programs: [{ ...base, indicators: [rate(1)] }],
        results: [{ indicator: 'FACTOR-1', period: '2024', place: 'MX', numerator: 1, denominator: 2 }],
      }),
      { actor: 'loader', now: clock },
    );
    await loadWorkspace(store, workspace({ programs: [{ ...base, indicators: [rate(100)] }] }), {
      actor: 'loader',
      now: clock,
    });
    const exported = await exportWorkspace(store);
    expect(exported.results!.find((r) => r.indicator === 'FACTOR-1')!.value).toBe(50);
    // …so the export still loads back as a no-op.
    const summary = await loadWorkspace(store, exported, { actor: 'loader', now: clock });
    expect(Object.entries(summary).filter(([, c]) => c.create + c.update + c.deleted !== 0)).toEqual([]);
  });
});

describe('input documents', () => {
  it('refuse an alias bomb as invalid input', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    expect(() => readInputDocument(bomb, 'bomb.yaml')).toThrow(ValidationError);
  });
});
