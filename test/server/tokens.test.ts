/**
 * API tokens through the API: an admin creates, lists and revokes its own country's tokens; roles,
 * agencies and expiry are enforced; forged, expired and revoked tokens are refused with 401 and change
 * nothing; every token event is in the audit log, without the secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { caller, exampleApp, tokenFor } from './example-app.js';

describe.each(STORE_KINDS)('API tokens on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let mx: string;
  let mxAdmin: string;
  let usAdmin: string;
  let now = new Date('2026-11-23T12:00:00Z');

  beforeAll(async () => {
    ({ store, mx } = await exampleApp(kind));
    app = createApp({ store, now: () => now });
    mxAdmin = await tokenFor(store, { user: 'adan', country: 'MX', agency: 'SSPC' }, ['admin']);
    usAdmin = await tokenFor(store, { user: 'ada', country: 'US', agency: 'INL' }, ['admin']);
  });
  afterAll(() => store?.dispose());

  const call = (...args: Parameters<ReturnType<typeof caller>>) => caller(app)(...args);

  it('lets an admin create a token with roles and an expiry, shown once, and list it without its secret', async () => {
    const created = await call('POST', '/api/v1/tokens', mxAdmin, {
      user: 'lucia',
      country: 'MX',
      agency: 'FGR',
      roles: ['reporter'],
      expires_in_days: 30,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ user: 'lucia', country: 'MX', agency: 'FGR', roles: ['reporter'] });
    expect(created.body.expiresAt).toBe('2026-12-23T12:00:00.000Z');
    expect(String(created.body.token)).toMatch(/^marco_/);
    // The new token works, for what its role allows.
    const programs = await call('GET', '/api/v1/workspace', String(created.body.token));
    expect(programs.status).toBe(200);
    const list = await call('GET', '/api/v1/tokens', mxAdmin);
    const rows = list.body as unknown as { user: string; country: string; lastUsedAt: string | null }[];
    expect(rows.every((r) => r.country === 'MX')).toBe(true);
    expect(rows.find((r) => r.user === 'lucia')!.lastUsedAt).toBe('2026-11-23T12:00:00.000Z');
    expect(JSON.stringify(list.body)).not.toContain(String(created.body.token));
    expect(JSON.stringify(list.body)).not.toMatch(/hash/);
  });

  it('refuses tokens for the other country, agencies of the other country, and unknown roles, changing nothing', async () => {
    const before = await countRows(store);
    const other = await call('POST', '/api/v1/tokens', mxAdmin, {
      user: 'x',
      country: 'US',
      agency: 'INL',
      roles: ['viewer'],
    });
    expect(other.status).toBe(403);
    const agency = await call('POST', '/api/v1/tokens', mxAdmin, {
      user: 'x',
      country: 'MX',
      agency: 'INL',
      roles: ['viewer'],
    });
    expect([agency.status, agency.body.error?.message]).toEqual([
      422,
      expect.stringContaining('body.agency: INL is an organisation of US, not of MX'),
    ]);
    const role = await call('POST', '/api/v1/tokens', mxAdmin, {
      user: 'x',
      country: 'MX',
      agency: 'SSPC',
      roles: ['root'],
    });
    expect(role.status).toBe(422);
    const long = await call('POST', '/api/v1/tokens', mxAdmin, {
      user: 'x',
      country: 'MX',
      agency: 'SSPC',
      roles: ['viewer'],
      expires_in_days: 400,
    });
    expect(long.status).toBe(422);
    // A reporter is no admin.
    expect(
      (
        await call('POST', '/api/v1/tokens', mx, {
          user: 'x',
          country: 'MX',
          agency: 'SSPC',
          roles: ['admin'],
        })
      ).status,
    ).toBe(403);
    expect(await countRows(store)).toEqual(before);
  });

  it('revokes a token, which is refused from then on; the other country cannot see or revoke it', async () => {
    const secret = await tokenFor(store, { user: 'temporal', country: 'MX', agency: 'SSPC' }, ['viewer']);
    const [row] = (
      (await call('GET', '/api/v1/tokens', mxAdmin)).body as unknown as { id: number; user: string }[]
    ).filter((r) => r.user === 'temporal');
    expect((await call('POST', `/api/v1/tokens/${row!.id}/revoke`, usAdmin)).status).toBe(404);
    expect((await call('GET', '/api/v1/workspace', secret)).status).toBe(200);
    const revoked = await call('POST', `/api/v1/tokens/${row!.id}/revoke`, mxAdmin);
    expect([revoked.status, revoked.body.revokedBy]).toEqual([200, 'adan']);
    const refused = await call('GET', '/api/v1/workspace?lang=es', secret);
    expect([refused.status, refused.body.error?.message]).toEqual([
      401,
      'el token bearer no es válido o fue revocado',
    ]);
    // Twice changes nothing.
    expect((await call('POST', `/api/v1/tokens/${row!.id}/revoke`, mxAdmin)).body.revokedBy).toBe('adan');
  });

  it('refuses an expired token and a forged one with 401, and changes nothing', async () => {
    const secret = await tokenFor(store, { user: 'breve', country: 'MX', agency: 'SSPC' }, ['reporter']);
    const before = await countRows(store);
    now = new Date('2027-06-01T00:00:00Z'); // past the 90 days of a token made today
    try {
      const expired = await call('PATCH', '/api/v1/programs/EX-CHIHUAHUA-PREVENTION', secret, { version: 1 });
      expect([expired.status, expired.body.error?.message]).toEqual([
        401,
        expect.stringMatching(/^the bearer token expired on /),
      ]);
      const forged = await call('PATCH', '/api/v1/programs/EX-CHIHUAHUA-PREVENTION', `${secret}x`, {
        version: 1,
      });
      expect(forged.status).toBe(401);
      expect(await countRows(store)).toEqual(before);
    } finally {
      now = new Date('2026-11-23T12:00:00Z');
    }
  });

  it('audits every token creation and revocation, never with the secret', async () => {
    const rows = await store.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'actor', 'after'])
      .where('entity', '=', 'api token')
      .execute();
    expect(rows.filter((r) => r.action === 'create').length).toBeGreaterThanOrEqual(5);
    expect(rows.some((r) => r.action === 'update' && r.actor === 'adan')).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/marco_|token_hash/);
  });
});
