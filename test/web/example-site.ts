/**
 * What the browser tests of the monitoring cycle share: Marco served on loopback over an embedded store
 * holding the built-ins and the example workspace, officials with accounts, Debian's Chromium, and the
 * sign-in form's labels in each language.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Role } from '../../src/access/viewer.js';
import { createAccount } from '../../src/accounts/users.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import type { StatsStore } from '../../src/stats/stats-store.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { exampleWorkspace } from '../fixtures/workspace.js';
import { CHROMIUM, listen } from './chromium.js';

/** The sign-in form's labels. */
export const SIGN_IN = {
  en: { user: 'User name', password: 'Password', signIn: 'Sign in' },
  es: { user: 'Nombre de usuario', password: 'Contraseña', signIn: 'Iniciar sesión' },
} as const;

export interface ExampleSite {
  records: RecordsStore;
  base: string;
  browser: Browser;
  /** A fresh browser context at `path`, sent to sign in, signed in as `user` and brought back. */
  signedIn(user: string, lang: 'en' | 'es', path: string): Promise<Page>;
  close(): Promise<void>;
}

/** The example site with an account for each `[user, country, agency, roles]`. */
export async function openExampleSite(
  people: readonly (readonly [string, 'US' | 'MX', string, Role[]])[],
  options: { stats?: StatsStore; jobsDir?: string } = {},
): Promise<ExampleSite> {
  const records = await openRecords({ memory: true });
  await loadBuiltins(records, 'test');
  await loadWorkspace(records, await exampleWorkspace(), { actor: 'test' });
  for (const [user, country, agency, roles] of people)
    await createAccount(records, { user, name: user, country, agency, roles }, PASSWORD, 'test', USER_FIELDS);
  const server = await listen(
    createApp({
      store: records,
      limits: false,
      ...(options.stats ? { stats: options.stats } : {}),
      ...(options.jobsDir ? { jobsDir: options.jobsDir } : {}),
    }),
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  return {
    records,
    base: server.base,
    browser,
    async signedIn(user, lang, path) {
      const page = await (await browser.newContext()).newPage();
      page.on('dialog', (d) => {
        throw new Error(`a dialog opened: ${d.message()}`);
      });
      const target = new URL(path, server.base);
      target.searchParams.set('lang', lang);
      await page.goto(target.href);
      if (new URL(page.url()).pathname !== '/login') throw new Error(`${path} did not ask to sign in`);
      await page.getByLabel(SIGN_IN[lang].user).fill(user);
      await page.getByLabel(SIGN_IN[lang].password).fill(PASSWORD);
      await page.getByRole('button', { name: SIGN_IN[lang].signIn }).click();
      await page.waitForURL((url) => url.pathname === target.pathname);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
      await records.close();
    },
  };
}
