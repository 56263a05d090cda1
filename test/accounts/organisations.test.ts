/**
 * Agencies curated by admins through their own route: an admin adds an organisation of its own country
 * (audited), and tokens and users may then belong to it; another country's admin, a reporter and bad
 * bodies are refused with the field named, writing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../src/server/app.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { caller } from '../server/example-app.js';
import { appWithAdmins } from './fixtures.js';

describe.each(STORE_KINDS)('organisations through the API on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let mx: string;
  let mxAdmin: string;
  let usAdmin: string;
  beforeAll(async () => {
    ({ store, app, mx, mxAdmin, usAdmin } = await appWithAdmins(kind));
  });
  afterAll(() => store?.dispose());
  const call = (...args: Parameters<ReturnType<typeof caller>>) => caller(app)(...args);
  const guard = {
    code: 'GN',
    name: { en: 'National Guard', es: 'Guardia Nacional' },
    kind: 'government',
    parent: 'SSPC',
    country: 'MX',
  };

  it('refuses another country’s admin, a reporter and a bad body, writing nothing', async () => {
    const before = await countRows(store);
    expect((await call('POST', '/api/v1/organisations', usAdmin, guard)).status).toBe(403);
    expect((await call('POST', '/api/v1/organisations', mx, guard)).status).toBe(403);
    const bad = await call('POST', '/api/v1/organisations', mxAdmin, { ...guard, kind: 'cartel' });
    expect([bad.status, JSON.stringify(bad.body)]).toEqual([422, expect.stringContaining('kind')]);
    const orphan = await call('POST', '/api/v1/organisations', mxAdmin, { ...guard, parent: 'NOPE' });
    expect(orphan.status).toBe(422);
    expect(await countRows(store)).toEqual(before);
  });

  it('adds an agency that tokens and users may then belong to, audited, and lists it to anyone', async () => {
    const saved = await call('POST', '/api/v1/organisations', mxAdmin, guard);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ code: 'GN', country: 'MX', agency: 'SSPC', version: 1 });
    const listed = (await call('GET', '/api/v1/organisations')).body as unknown as { code: string }[];
    expect(listed.map((o) => o.code)).toContain('GN');
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'entity_key'])
      .where('entity', '=', 'organisation')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    expect(audit).toEqual({ actor: 'adan', entity_key: 'GN' });
    const token = await call('POST', '/api/v1/tokens', mxAdmin, {
      user: 'guardia',
      country: 'MX',
      agency: 'GN',
      roles: ['viewer'],
    });
    expect(token.status).toBe(200);
    // A rename needs the version read; a stale one is a conflict.
    const renamed = await call('POST', '/api/v1/organisations', mxAdmin, {
      ...guard,
      name: { en: 'Guard', es: 'Guardia' },
      version: 1,
    });
    expect([renamed.status, renamed.body.version]).toEqual([200, 2]);
    expect((await call('POST', '/api/v1/organisations', mxAdmin, { ...guard, version: 1 })).status).toBe(409);
  });
});
