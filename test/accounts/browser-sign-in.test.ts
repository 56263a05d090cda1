/**
 * Signing in and out in a real browser (Debian's Chromium through playwright-core) against a real server
 * on loopback: the session menu, a wrong password, the restricted record that appears once signed in
 * and disappears on sign-out, the cookie's attributes as the browser stores them, both languages, no
 * serious accessibility violation on the form, and another site's form posting to Marco refused.
 */
import { Hono } from 'hono';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../web/axe.js';
import { createAccount } from '../../src/accounts/users.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { exampleWorkspace } from '../fixtures/workspace.js';
import { loadSecretProgram, PASSWORD, USER_FIELDS } from './fixtures.js';
import { CHROMIUM, haveChromium, listen } from '../web/chromium.js';

(haveChromium ? describe : describe.skip)('signing in with Chromium', () => {
  let records: RecordsStore;
  let server: Awaited<ReturnType<typeof listen>>;
  let evil: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;

  beforeAll(async () => {
    records = await openRecords({ memory: true });
    await loadBuiltins(records, 'test');
    await loadWorkspace(records, await exampleWorkspace(), { actor: 'test' });
    await loadSecretProgram(records);
    await createAccount(
      records,
      { user: 'mateo', name: 'Mateo Ruiz', country: 'MX', agency: 'SSPC', roles: ['viewer', 'reporter'] },
      PASSWORD,
      'test',
      USER_FIELDS,
    );
    server = await listen(createApp({ store: records, limits: false }));
    // Another site: a page whose form posts to Marco's sign-out, as a cross-site request forgery would.
    const other = new Hono();
    other.get('/', (c) =>
      c.html(
        `<!doctype html><title>other</title><form method="post" action="${server.base}/logout"><button>go</button></form>`,
      ),
    );
    evil = await listen(other);
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await evil?.close();
    await records?.close();
  });

  it('signs in from the menu, shows the restricted program, refuses a forged sign-out, and signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => void dialogs.push(d.message()));
    expect((await page.goto(`${server.base}/programs/MX-SECRET`))!.status()).toBe(404);
    await page.getByRole('link', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('User name').fill('mateo');
    await page.getByLabel('Password').fill('not the password');
    const wrong = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(wrong[0].status()).toBe(401);
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toContain('The user name or the password is wrong');
    expect(await page.getByLabel('User name').inputValue()).toBe('mateo');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.base}/programs/MX-SECRET`);
    expect(await page.locator('h1').innerText()).toBe('Program MX-SECRET');
    const session = (await context.cookies()).find((c) => c.name === 'marco_session')!;
    expect([session.httpOnly, session.sameSite, session.secure]).toEqual([true, 'Lax', false]);

    // Another site's form posting to Marco's sign-out is refused; the session survives.
    const other = await context.newPage();
    await other.goto(evil.base);
    const forged = await Promise.all([
      other.waitForResponse((r) => r.url().endsWith('/logout')),
      other.getByRole('button').click(),
    ]);
    expect(forged[0].status()).toBe(403);
    await page.reload();
    expect(await page.locator('h1').innerText()).toBe('Program MX-SECRET');

    await page.locator('details.session summary').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login\?ended=signed-out$/);
    expect(await page.getByRole('status').innerText()).toContain('You have signed out.');
    expect((await page.goto(`${server.base}/programs/MX-SECRET`))!.status()).toBe(404);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('speaks Spanish on the sign-in form and the session menu', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.base}/login?lang=es`);
    await page.getByLabel('Nombre de usuario').fill('mateo');
    await page.getByLabel('Contraseña').fill(PASSWORD);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.waitForURL(`${server.base}/`);
    await page.locator('details.session summary').click();
    expect(await page.locator('details.session .menu').innerText()).toMatch(
      /Sesión iniciada como mateo[\s\S]*SSPC · México[\s\S]*lector, informante/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
