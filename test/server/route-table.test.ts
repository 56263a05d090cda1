/**
 * Every route declares the permission it needs, and the server enforces it: the test walks the whole
 * route table (the API, the pages and the OpenAPI document) and every route Hono actually registered.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, needsOfficial } from '../../src/access/permissions.js';
import { ROLES } from '../../src/access/viewer.js';
import { signIn } from '../../src/accounts/sessions.js';
import { createAccount } from '../../src/accounts/users.js';
import { SESSION_COOKIE } from '../../src/web/session/cookies.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { DOWNLOAD_ROUTES, META_ROUTES, type createApp } from '../../src/server/app.js';
import { API_ROUTES } from '../../src/server/routes/index.js';
import { ALL_PAGES } from '../../src/web/routes.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import { exampleApp, tokenFor } from './example-app.js';
import { ADMITS } from '../fixtures/role-matrix.js';

const declared = [
  ...API_ROUTES.map((r) => ({
    method: r.method.toUpperCase(),
    path: `/api/v1${r.path.replace(/\{(\w+)\}/g, ':$1')}`,
    permission: r.permission as string | undefined,
  })),
  ...ALL_PAGES.map((p) => ({
    method: (p.method ?? 'get').toUpperCase(),
    path: p.path,
    permission: p.permission as string | undefined,
  })),
  ...META_ROUTES.map((r) => ({ method: r.method.toUpperCase(), path: r.path, permission: r.permission })),
  ...DOWNLOAD_ROUTES.map((r) => ({ method: r.method.toUpperCase(), path: r.path, permission: r.permission })),
];

describe('the route table', () => {
  it('gives every route a known permission', () => {
    expect(declared.length).toBeGreaterThan(40);
    for (const route of declared)
      expect(PERMISSIONS, `${route.method} ${route.path}`).toContain(route.permission);
  });

  it('declares every route the server registers, once', async () => {
    const { store, app } = await exampleApp(STORE_KINDS[0]!);
    try {
      // A form post registers its origin and size checks before its handler: one route, three entries.
      const registered = [
        ...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)),
      ].sort();
      const keys = declared.map((r) => `${r.method} ${r.path}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(registered).toEqual([...keys].sort());
    } finally {
      await store.dispose();
    }
  });
});

describe.each(STORE_KINDS)('permissions enforced on every route, on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    ({ store, app } = await exampleApp(kind));
  });
  afterAll(() => store?.dispose());

  const official = API_ROUTES.filter((r) => needsOfficial(r.permission));
  const example = (path: string) =>
    path.replace('/periods/{code}', '/periods/2018').replace('{code}', 'EX-CORRECTIONS').replace('{id}', '1');

  it('lists the routes that need an official', () => {
    expect(official.map((r) => `${r.method} ${r.path} ${r.permission}`).sort()).toEqual([
      'delete /results/{id}/attachments/{sha256} write:results',
      'get /jobs read:official',
      'get /jobs/{id} read:official',
      'get /jobs/{id}/output read:official',
      'get /notifications read:official',
      'get /tokens manage:tokens',
      'get /users manage:users',
      'get /workspace read:official',
      'patch /programs/{code} write:records',
      'patch /results/{id} write:results',
      'post /approvals write:results',
      'post /benchmarks write:records',
      'post /benchmarks/{code}/targets/{period}/approve write:results',
      'post /evaluations write:evaluations',
      'post /exports read:official',
      'post /fetches import:statistics',
      'post /funding write:records',
      'post /funding/{id}/approve write:results',
      'post /funding/{id}/return write:results',
      'post /funding/{id}/submit write:results',
      'post /imports import:statistics',
      'post /incidents write:records',
      'post /interventions write:evaluations',
      'post /jobs/{id}/cancel read:official',
      'post /jobs/{id}/retry read:official',
      'post /notifications/read read:official',
      'post /organisations manage:organisations',
      'post /periods/{code}/lock lock:periods',
      'post /reports read:official',
      'post /results write:results',
      'post /results/imports write:results',
      'post /results/{id}/attachments write:results',
      'post /tokens manage:tokens',
      'post /tokens/{id}/revoke manage:tokens',
      'post /users manage:users',
      'post /users/{id}/disable manage:users',
      'post /users/{id}/password manage:users',
      'post /vintages/{id}/rollback import:statistics',
      'post /workspace write:records',
    ]);
  });

  it.each(official.map((r) => [r.method, r.path] as const))(
    'answers %s %s without a token with 401 and changes nothing',
    async (method, path) => {
      const before = await countRows(store);
      const res = await app.request(`/api/v1${example(path)}`, {
        method: method.toUpperCase(),
        headers: { 'content-type': 'application/json' },
        ...(method === 'get' ? {} : { body: '{}' }),
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unauthorized');
      expect(body.error.message).toContain('Authorization: Bearer');
      expect(await countRows(store)).toEqual(before);
    },
  );

  it('answers a refused token in the reader’s language', async () => {
    const res = await app.request('/api/v1/programs?lang=es', { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'el token bearer no es válido o fue revocado',
    );
  });
});

/**
 * The walk below sends every route of the table (API and pages) a request from nobody and from an
 * official of each country holding each single role, and checks that the route lets exactly the roles
 * of the documented matrix (`ADMITS`) through.
 */
describe.each(STORE_KINDS)('the role matrix over the whole route table, on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};
  // Pages take a session, not a token: each caller also has an account, signed in.
  const sessions: Record<string, string> = {};
  beforeAll(async () => {
    ({ store, app } = await exampleApp(kind));
    // User 1, whom the walk's `/users/1/disable` and `/users/1/password` act on: not one of the callers,
    // whose sessions those would end.
    await createAccount(
      store,
      { user: 'walked-on', name: 'Walked On', country: 'MX', agency: 'SSPC', roles: ['viewer'] },
      PASSWORD,
      'test',
      USER_FIELDS,
    );
    for (const country of ['US', 'MX'] as const)
      for (const role of ROLES) {
        const official = {
          user: `${country.toLowerCase()}-${role}`,
          country,
          agency: country === 'US' ? 'INL' : 'SSPC',
        };
        tokens[`${country} ${role}`] = await tokenFor(store, official, [role]);
        await createAccount(
          store,
          { ...official, name: official.user, roles: [role] },
          PASSWORD,
          'test',
          USER_FIELDS,
        );
        const signed = await signIn(store, { user: official.user, password: PASSWORD, client: null });
        if (!signed.ok) throw new Error(`${official.user} could not sign in`);
        sessions[`${country} ${role}`] = signed.cookie;
      }
  }, 60_000);
  afterAll(() => store?.dispose());

  const example = (path: string) =>
    path
      .replace('/periods/{code}', '/periods/2018')
      .replace(':code', '08')
      .replace(':ref', 'bicentennial:1')
      .replace('{code}', 'EX-CORRECTIONS')
      .replace(/\{id\}|:id/, '1');
  const callers = ['anonymous', ...['US', 'MX'].flatMap((c) => ROLES.map((r) => `${c} ${r}`))];

  it('covers every declared route and every documented permission', () => {
    expect(Object.keys(ADMITS).sort()).toEqual([...PERMISSIONS].sort());
    expect(declared.every((r) => ADMITS[r.permission!])).toBe(true);
  });

  it.each(declared.map((r) => [r.method, r.path, r.permission!] as const))(
    '%s %s (%s) admits exactly the documented roles, from either country',
    async (method, path, permission) => {
      const seen: string[] = [];
      const page = !path.startsWith('/api/');
      for (const caller of callers) {
        const credentials: Record<string, string> =
          caller === 'anonymous'
            ? {}
            : page
              ? { cookie: `${SESSION_COOKIE}=${sessions[caller]}` }
              : { authorization: `Bearer ${tokens[caller]}` };
        const res = await app.request(example(path), {
          method,
          headers: { 'content-type': 'application/json', ...credentials },
          // An empty body: admitted callers meet the body's validation (400/422), never a write.
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        const text = await res.text();
        // A page refuses by sending an anonymous reader to sign in (or refusing its post, whose form
        // cannot carry a session's token), and a signed-in one without the role with a page saying so.
        const refusedByRole = page
          ? (res.status === 303 && res.headers.get('location')!.startsWith('/login?next=')) ||
            (res.status === 403 && (text.includes('Not available to your account') || caller === 'anonymous'))
          : res.status === 401 || (res.status === 403 && text.includes('needs one of the roles'));
        if (!refusedByRole) seen.push(caller === 'anonymous' ? caller : caller.split(' ')[1]!);
      }
      const expected = callers
        .map((c) => (c === 'anonymous' ? c : c.split(' ')[1]!))
        .filter((role) => ADMITS[permission]!.includes(role));
      expect(seen, `${method} ${path}`).toEqual(expected);
    },
  );
});

describe('docs/api.md', () => {
  it('lists every API route with the permission it declares', async () => {
    const doc = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const rows = [
      ...doc.matchAll(/^\| `(GET|POST|PATCH|DELETE) (\/api\/v1\/\S+)`\s*\| `([\w:]+)`\s*\|$/gm),
    ].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(rows.sort()).toEqual(
      API_ROUTES.map((r) => `${r.method.toUpperCase()} /api/v1${r.path} ${r.permission}`).sort(),
    );
  });
});
