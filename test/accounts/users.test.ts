/**
 * Users through the API and the CLI: an admin creates, lists, re-passwords and disables its own
 * country's users; the password policy, the agency's country and unknown ids are enforced with clear
 * errors that write nothing; a new password or disabling ends the user's open sessions; no answer, log
 * entry or listing holds a password or its hash.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMarcoWithInput } from '../fixtures/run-marco.js';
import type { createApp } from '../../src/server/app.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { caller } from '../server/example-app.js';
import { appWithAdmins, PASSWORD } from './fixtures.js';
import { WebClient } from './web-client.js';

describe.each(STORE_KINDS)('users through the API on %s', (kind) => {
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
  const body = (extra: Record<string, unknown> = {}) => ({
    user: 'lucia',
    name: 'Lucía Fernández',
    country: 'MX',
    agency: 'FGR',
    roles: ['reporter', 'viewer'],
    password: PASSWORD,
    ...extra,
  });

  it('refuses bad users with the field named, and writes nothing', async () => {
    const before = await countRows(store);
    const short = await call('POST', '/api/v1/users', mxAdmin, body({ password: 'too short' }));
    expect(short.status).toBe(422);
    expect(short.body.error?.details).toMatchObject({
      issues: [{ path: 'body.password', message: expect.stringContaining('at least 12 characters') }],
    });
    const agency = await call('POST', '/api/v1/users', mxAdmin, body({ agency: 'INL' }));
    expect(agency.status).toBe(422);
    expect(JSON.stringify(agency.body)).toContain('body.agency');
    const name = await call('POST', '/api/v1/users', mxAdmin, body({ user: 'no spaces please' }));
    expect([name.status, JSON.stringify(name.body)]).toEqual([422, expect.stringContaining('body.user')]);
    // Another country's admin, and a non-admin, are refused.
    expect((await call('POST', '/api/v1/users', usAdmin, body())).status).toBe(403);
    expect((await call('POST', '/api/v1/users', mx, body())).status).toBe(403);
    expect(await countRows(store)).toEqual(before);
  });

  it('creates a user who can sign in, lists it without secrets, and refuses a second of the same name', async () => {
    const created = await call('POST', '/api/v1/users', mxAdmin, body());
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      user: 'lucia',
      name: 'Lucía Fernández',
      roles: ['viewer', 'reporter'],
    });
    expect(JSON.stringify(created.body)).not.toMatch(/password_hash|argon2|passphrase/);
    const again = await call('POST', '/api/v1/users', mxAdmin, body());
    expect([again.status, JSON.stringify(again.body)]).toEqual([
      422,
      expect.stringContaining('already exists'),
    ]);
    const listed = await call('GET', '/api/v1/users', mxAdmin);
    expect(JSON.stringify(listed.body)).toContain('lucia');
    expect(JSON.stringify(listed.body)).not.toMatch(/argon2/);
    // The U.S. admin sees none of Mexico's users, and cannot touch them.
    expect(JSON.stringify((await call('GET', '/api/v1/users', usAdmin)).body)).not.toContain('lucia');
    expect((await call('POST', `/api/v1/users/${created.body.id}/disable`, usAdmin)).status).toBe(404);
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['after'])
      .where('entity', '=', 'user')
      .execute();
    expect(JSON.stringify(audit)).not.toMatch(/argon2|passphrase/);
    expect((await new WebClient(app).signIn('lucia', PASSWORD)).status).toBe(303);
  });

  it('ends the sessions of a user whose password is reset or who is disabled', async () => {
    const [lucia] = (await call('GET', '/api/v1/users', mxAdmin)).body as unknown as {
      id: number;
      user: string;
    }[];
    const web = new WebClient(app);
    await web.signIn('lucia', PASSWORD);
    expect((await web.get('/')).text).toContain('Signed in as lucia');
    const reset = await call('POST', `/api/v1/users/${lucia!.id}/password`, mxAdmin, {
      password: 'another long passphrase',
    });
    expect(reset.status).toBe(200);
    expect((await web.get('/')).text).not.toContain('Signed in as lucia');
    expect((await web.signIn('lucia', PASSWORD)).status).toBe(401);
    expect((await web.signIn('lucia', 'another long passphrase')).status).toBe(303);
    const disabled = await call('POST', `/api/v1/users/${lucia!.id}/disable`, mxAdmin);
    expect([disabled.status, typeof disabled.body.disabledAt]).toEqual([200, 'string']);
    expect((await web.get('/')).text).not.toContain('Signed in as lucia');
    expect((await web.signIn('lucia', 'another long passphrase')).status).toBe(401);
    const reasons = await store.db
      .selectFrom('sessions')
      .select('ended_reason')
      .where('user_id', '=', lucia!.id)
      .execute();
    expect(reasons.map((r) => r.ended_reason).sort()).toEqual([
      'password changed',
      'password changed',
      'user disabled',
    ]);
  });
});

describe('marco user', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-users-'));
    expect((await run([], 'init', '--example')).code).toBe(0);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = (input: string[], ...args: string[]) => runMarcoWithInput(dir, input, ...args);
  const create = [
    'user',
    'create',
    '--user',
    'rosa',
    '--name',
    'Rosa Ortiz',
    '--country',
    'MX',
    '--agency',
    'SSPC',
    '--roles',
    'viewer,approver',
  ];

  it('reads the password from standard input only, and refuses a short one, in either language', async () => {
    const noFlag = await run([`${PASSWORD}\n`], ...create);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toContain('--password-stdin');
    const short = await run(['short\n'], ...create, '--password-stdin');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('--password-stdin: the password is too short');
    const es = await run(['short\n'], '--lang', 'es', ...create, '--password-stdin');
    expect(es.stderr).toContain('demasiado corta');
    expect((await run([], 'user', 'list')).stdout).toContain('No users yet');
  });

  it('creates, lists, re-passwords and disables a user', async () => {
    const made = await run([`${PASSWORD}\n`], ...create, '--password-stdin');
    expect([made.code, made.stdout]).toEqual([
      0,
      expect.stringContaining('User 1 (rosa) created with roles viewer, approver'),
    ]);
    expect((await run([], 'user', 'list')).stdout).toMatch(
      /1 {2}rosa {2}Rosa Ortiz {2}MX\/SSPC {2}\[viewer, approver\]/,
    );
    const json = JSON.parse((await run([], 'user', 'list', '--json')).stdout) as Record<string, unknown>[];
    expect(Object.keys(json[0]!)).not.toContain('password_hash');
    expect(
      (await run(['another long passphrase\n'], 'user', 'password', '1', '--password-stdin')).stdout,
    ).toContain('New password set for user 1 (rosa)');
    expect((await run([], 'user', 'disable', '1')).stdout).toContain('User 1 (rosa) is disabled');
    expect((await run([], 'user', 'list')).stdout).toContain('disabled');
    const bad = await run([], 'user', 'disable', 'x1');
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringContaining('expected a user id from `marco user list`'),
    ]);
    expect((await run([], 'user', 'disable', '99')).code).toBe(4);
  });
});
