/**
 * Threshold notices: when the counterpart approves a result that moves an indicator into red, the
 * program's reporters and every approver who may see it are told, in English and Spanish, with the
 * share of the target met; the approver who tipped it, a viewer and another agency's reporter are not.
 * An approval that leaves an indicator green tells nobody of a threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/viewer.js';
import { createAccount } from '../../src/accounts/users.js';
import { noticeText } from '../../src/notifications/notice-text.js';
import { notifyPending } from '../../src/notifications/notifier.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { inboxOf } from '../../src/records/notification-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { clock, indicator, program, workspace } from '../fixtures/workspace.js';
import { STORE_KINDS, freshStore } from '../records/stores.js';
import { caller, tokenFor } from '../server/example-app.js';

const decreasing = (code: string) =>
  indicator(code, {
    direction: 'decrease',
    aggregation: 'sum',
    baseline: { value: 200, period: '2023' },
    targets: [{ period: '2024', value: 100 }],
  });

describe.each(STORE_KINDS)('threshold notices on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let call: ReturnType<typeof caller>;
  const ids = new Map<string, number>();
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    await loadWorkspace(
      store,
      workspace({
        periods: [{ code: '2023' }, { code: '2024' }, { code: '2024-Q1' }, { code: '2024-Q2' }],
        programs: [program('T-PRG', { indicators: [decreasing('T-IND'), decreasing('T-CALM')] })],
        results: [
          { indicator: 'T-IND', period: '2024-Q1', place: 'MX', value: 30, status: 'approved' },
          { indicator: 'T-IND', period: '2024-Q2', place: 'MX', value: 120, status: 'submitted' },
          { indicator: 'T-CALM', period: '2024-Q1', place: 'MX', value: 30, status: 'approved' },
          { indicator: 'T-CALM', period: '2024-Q2', place: 'MX', value: 10, status: 'submitted' },
        ],
      }),
      { actor: 'loader', now: clock },
    );
    const people: [string, 'US' | 'MX', string, Role[]][] = [
      ['mateo', 'MX', 'SSPC', ['reporter']],
      ['rosa', 'MX', 'FGR', ['reporter']],
      ['pia', 'MX', 'SSPC', ['viewer']],
      ['ines', 'US', 'INL', ['approver']],
      ['otto', 'US', 'INL', ['approver']],
    ];
    for (const [user, country, agency, roles] of people)
      ids.set(
        user,
        (
          await createAccount(
            store,
            { user, name: user, country, agency, roles },
            PASSWORD,
            'test',
            USER_FIELDS,
          )
        ).id,
      );
    await notifyPending(store, undefined);
    call = caller(createApp({ store, now: clock }));
  }, 60_000);
  afterAll(() => store?.dispose());

  const thresholds = async (user: string) =>
    (await inboxOf(store, ids.get(user)!)).notices.filter((n) => n.event === 'threshold');

  const approve = async (code: string) => {
    const us = await tokenFor(store, { user: 'ines', country: 'US', agency: 'INL' }, ['approver']);
    const [q2] = (await call('GET', `/api/v1/results?indicator=${code}&period=2024-Q2`, us))
      .body as unknown as {
      id: number;
      version: number;
    }[];
    const r = await call('PATCH', `/api/v1/results/${q2!.id}`, us, {
      version: q2!.version,
      status: 'approved',
    });
    expect(r.status).toBe(200);
    await notifyPending(store, undefined);
  };

  it('tells nobody of a threshold when an approval leaves the indicator green', async () => {
    await approve('T-CALM');
    for (const user of ids.keys()) expect(await thresholds(user)).toEqual([]);
  });

  it('tells the reporters and the other approvers when an approval turns the indicator red', async () => {
    await approve('T-IND');
    for (const user of ['mateo', 'otto']) {
      const notices = await thresholds(user);
      expect(notices.map((n) => n.key)).toEqual(['threshold:T-IND:2024:red']);
      expect(notices[0]!.subject).toMatchObject({
        status: 'red',
        before: 'green',
        period: '2024',
        percentMet: 0.5,
      });
    }
    for (const user of ['ines', 'pia', 'rosa']) expect(await thresholds(user)).toEqual([]);
    const [notice] = await thresholds('mateo');
    const en = noticeText('en', 'threshold', notice!.subject);
    expect(en.title).toBe('Indicator T-IND turned red for 2024: 50% of its target met');
    expect(en.detail).toContain('It was green before ines approved a result. Program: T-PRG.');
    expect(en.path).toBe('/indicators/T-IND');
    expect(noticeText('es', 'threshold', notice!.subject).title).toMatch(
      /^Indicador T-IND pasó a rojo en 2024: 50\s?% de su meta cumplida$/,
    );
  });
});
