/**
 * What the account tests share: a password that meets the policy, the field names of a user request, a
 * restricted Mexican program that only signed-in Mexican officials may see, and an app with each
 * country's admin token.
 */
import type { RecordsKind, RecordsStore } from '../../src/records/database.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { indicator, practices, program, workspace } from '../fixtures/workspace.js';
import { exampleApp, tokenFor } from '../server/example-app.js';

export const PASSWORD = 'correct horse battery staple';

export const USER_FIELDS = {
  user: 'user',
  name: 'name',
  country: 'country',
  agency: 'agency',
  roles: 'roles',
  password: 'password',
};

/** Loads `MX-SECRET`, a restricted program of Mexico's SSPC with one restricted indicator. */
export async function loadSecretProgram(store: RecordsStore, now?: () => Date): Promise<void> {
  await loadWorkspace(
    store,
    workspace(
      {
        periods: [{ code: '2018' }],
        programs: [
          program('MX-SECRET', {
            classification: 'restricted',
            indicators: [
              indicator('MX-SECRET-1', {
                classification: 'restricted',
                targets: [{ period: '2018', value: 5 }],
              }),
            ],
            practices: practices('restricted'),
          }),
        ],
      },
      { country: 'MX', agency: 'SSPC' },
    ),
    { actor: 'loader', ...(now ? { now } : {}) },
  );
}

/** The example app without rate limits, with a Mexican reporter's token and each country's admin. */
export async function appWithAdmins(kind: RecordsKind) {
  const { store, mx } = await exampleApp(kind);
  const app = createApp({ store, limits: false });
  const mxAdmin = await tokenFor(store, { user: 'adan', country: 'MX', agency: 'SSPC' }, ['admin']);
  const usAdmin = await tokenFor(store, { user: 'ada', country: 'US', agency: 'INL' }, ['admin']);
  return { store, app, mx, mxAdmin, usAdmin };
}
