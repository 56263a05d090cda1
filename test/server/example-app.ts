/**
 * The API over a fresh store holding the built-ins and the example workspace, with one U.S. and one
 * Mexican official's token: the starting point of the HTTP tests.
 */
import { loadBuiltins } from '../../src/records/builtin.js';
import type { Role } from '../../src/access/viewer.js';
import type { RecordsKind, RecordsStore } from '../../src/records/database.js';
import { createToken } from '../../src/records/token-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
import { freshStore } from '../records/stores.js';

export { clock };

/** The roles of the example officials: every one but admin, so each test says when it needs more. */
export const OFFICIAL_ROLES: Role[] = ['viewer', 'reporter', 'approver', 'data_steward'];

/** A token's secret, for an official with `roles` (the example officials' by default). */
export async function tokenFor(
  store: RecordsStore,
  who: { user: string; country: 'US' | 'MX'; agency: string },
  roles: Role[] = OFFICIAL_ROLES,
): Promise<string> {
  return (await createToken(store, { ...who, roles }, 'test')).token;
}

/** A fresh store of `kind` holding the built-ins and the example workspace. */
export async function exampleRecords(kind: RecordsKind, actor = 'loader') {
  const store = await freshStore(kind);
  await loadBuiltins(store, 'test');
  await loadWorkspace(store, await exampleWorkspace(), { actor, now: clock });
  return store;
}

export async function exampleApp(kind: RecordsKind) {
  const store = await exampleRecords(kind);
  const us = await tokenFor(store, { user: 'ines', country: 'US', agency: 'INL' });
  const mx = await tokenFor(store, { user: 'mateo', country: 'MX', agency: 'SSPC' });
  return { store, app: createApp({ store, now: clock }), us, mx };
}

/** An API answer's body, with the error shape every refusal has. */
export type ApiBody = Record<string, unknown> & {
  error?: { code: string; message: string; details?: unknown };
};

/** `call(method, path, token?, body?)`: one JSON request to `app`, answered with its status and body. */
export const caller =
  (app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }) =>
  async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as ApiBody };
  };
