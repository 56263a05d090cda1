/**
 * The API over a fresh store holding the built-ins and the example workspace, with one U.S. and one
 * Mexican official's token: the starting point of the HTTP tests.
 */
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import type { RecordsKind } from '../../src/records/database.js';
import { createToken } from '../../src/records/token-repository.js';
import { createApp } from '../../src/server/app.js';
import { freshStore } from '../records/stores.js';

export const clock = () => new Date('2026-11-23T12:00:00Z');

export async function exampleApp(kind: RecordsKind) {
  const store = await freshStore(kind);
  await loadBuiltins(store, 'test');
  const doc = await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE);
  await loadWorkspace(store, doc.data, { actor: 'loader', now: clock });
  const us = await createToken(store, { user: 'ines', country: 'US', agency: 'INL' }, 'test');
  const mx = await createToken(store, { user: 'mateo', country: 'MX', agency: 'SSPC' }, 'test');
  return { store, app: createApp({ store, now: clock }), us, mx };
}
