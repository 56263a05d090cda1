/**
 * `GET /api/v1/notifications` and `POST /api/v1/notifications/read`: a Mexican approver's token reads
 * the notice of a U.S. submission in Spanish and marks it read; nobody reads another's notices; a
 * token without an account has none; a wrong body is a 422 that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { createAccount } from '../../src/accounts/users.js';
import { resultCreator } from '../../src/monitoring/result-creator.js';
import { notifyPending } from '../../src/notifications/notifier.js';
import { createResult } from '../../src/records/result-entry.js';
import { createApp } from '../../src/server/app.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { STORE_KINDS } from '../records/stores.js';
import { caller, exampleRecords, tokenFor } from './example-app.js';

const rita: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };

describe.each(STORE_KINDS)('the notices API on %s', (kind) => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let call: ReturnType<typeof caller>;
  let mateo = '';
  let nobody = '';
  let result = 0;
  beforeAll(async () => {
    store = await exampleRecords(kind);
    await createAccount(
      store,
      { user: 'mateo', name: 'Mateo', country: 'MX', agency: 'SSPC', roles: ['approver'] },
      PASSWORD,
      'test',
      USER_FIELDS,
    );
    await notifyPending(store, undefined);
    await store.db.updateTable('notifications').set({ read_at: new Date().toISOString() }).execute();
    mateo = await tokenFor(store, { user: 'mateo', country: 'MX', agency: 'SSPC' }, ['approver']);
    nobody = await tokenFor(store, { user: 'ghost', country: 'MX', agency: 'SSPC' }, ['approver']);
    call = caller(createApp({ store }));
    result = (
      await createResult(
        store,
        { indicator: 'EX-ACA-ACCREDITED', period: '2018-01', place: '08', value: 4, status: 'submitted' },
        { actor: 'rita' },
        resultCreator(rita),
      )
    ).id;
  });
  afterAll(() => store?.dispose());

  it('gives the approver the submission in Spanish, and marks it read', async () => {
    const got = await call('GET', '/api/v1/notifications?lang=es', mateo);
    expect(got.status).toBe(200);
    const body = got.body as unknown as {
      unread: number;
      notices: { id: string; event: string; title: string; path: string; read: boolean }[];
    };
    expect(body.unread).toBe(1);
    expect(body.notices[0]).toMatchObject({ event: 'submitted', read: false, path: `/review/${result}` });
    expect(body.notices[0]!.title).toContain('enviado a su aprobación por rita');

    expect((await call('POST', '/api/v1/notifications/read', mateo, { ids: ['x'] })).status).toBe(422);
    expect((await call('GET', '/api/v1/notifications', mateo)).body).toMatchObject({ unread: 1 });
    // Another token's holder marks nothing of Mateo's.
    expect((await call('POST', '/api/v1/notifications/read', nobody, { all: true })).body).toEqual({
      marked: 0,
    });
    expect((await call('GET', '/api/v1/notifications', nobody)).body).toEqual({
      notices: [],
      unread: 0,
      total: 0,
    });
    const marked = await call('POST', '/api/v1/notifications/read', mateo, { ids: [body.notices[0]!.id] });
    expect(marked.body).toEqual({ marked: 1 });
    expect((await call('GET', '/api/v1/notifications', mateo)).body).toMatchObject({ unread: 0 });
    expect((await call('GET', '/api/v1/notifications')).status).toBe(401);
  });
});
