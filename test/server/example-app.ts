/**
 * The API over a fresh store holding the built-ins and the example workspace, with one U.S. and one
 * Mexican official's token: the starting point of the HTTP tests.
 */
import { loadBuiltins } from '../../src/records/builtin.js';
import type { RecordsKind } from '../../src/records/database.js';
import { createToken } from '../../src/records/token-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
import { freshStore } from '../records/stores.js';

export { clock };

export async function exampleApp(kind: RecordsKind) {
  const store = await freshStore(kind);
  await loadBuiltins(store, 'test');
  await loadWorkspace(store, await exampleWorkspace(), { actor: 'loader', now: clock });
  const us = await createToken(store, { user: 'ines', country: 'US', agency: 'INL' }, 'test');
  const mx = await createToken(store, { user: 'mateo', country: 'MX', agency: 'SSPC' }, 'test');
  return { store, app: createApp({ store, now: clock }), us, mx };
}
