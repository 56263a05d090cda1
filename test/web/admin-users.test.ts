/**
 * User administration in Chromium, in English and in Spanish: an admin creates a user (a short first
 * password or no role is refused beside its field, and the password typed is not sent back), the user
 * signs in; the admin sets a new password, which ends the user's session; the admin disables the user,
 * whose sign-in is refused from then on. Another country's users are not listed; axe finds no serious
 * violation; every change is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/accounts/users.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, SIGN_IN, type ExampleSite } from './example-site.js';

const TEXT = {
  en: {
    user: 'User name',
    name: 'Full name',
    approver: 'approver',
    viewer: 'viewer',
    first: 'First password',
    create: 'Create the user',
    short: 'the password is too short',
    created: 'is created',
    newPassword: 'New password',
    set: 'Set the password',
    disable: (u: string) => `Disable ${u}`,
    disabled: 'is disabled',
  },
  es: {
    user: 'Nombre de usuario',
    name: 'Nombre completo',
    approver: 'aprobador',
    viewer: 'lector',
    first: 'Primera contraseña',
    create: 'Crear el usuario',
    short: 'la contraseña es demasiado corta',
    created: 'Se creó el usuario',
    newPassword: 'Contraseña nueva',
    set: 'Fijar la contraseña',
    disable: (u: string) => `Deshabilitar a ${u}`,
    disabled: 'quedó deshabilitado',
  },
} as const;

(haveChromium ? describe : describe.skip)('user administration in Chromium', () => {
  let site: ExampleSite;
  beforeAll(async () => {
    site = await openExampleSite([['ada', 'US', 'INL', ['admin']]]);
    await createAccount(
      site.records,
      { user: 'mara', name: 'Mara', country: 'MX', agency: 'SSPC', roles: ['viewer'] },
      PASSWORD,
      'test',
      USER_FIELDS,
    );
  }, 120_000);
  afterAll(() => site?.close());

  /** Whether `user` can sign in with `password` in a fresh browser. */
  async function signsIn(user: string, password: string, lang: 'en' | 'es') {
    const page = await (await site.browser.newContext()).newPage();
    await page.goto(`${site.base}/login?lang=${lang}`);
    await page.getByLabel(SIGN_IN[lang].user).fill(user);
    await page.getByLabel(SIGN_IN[lang].password).fill(password);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: SIGN_IN[lang].signIn }).click(),
    ]);
    return { ok: answer.status() === 303, page };
  }

  for (const [lang, holder] of [
    ['en', 'abe'],
    ['es', 'alba'],
  ] as const) {
    it(`creates, re-passwords and disables a user, in ${lang === 'en' ? 'English' : 'Spanish'}`, async () => {
      const text = TEXT[lang];
      const page = await site.signedIn('ada', lang, '/admin/users');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await page.locator('tbody').innerText()).not.toContain('mara');

      await page.getByLabel(text.user).fill(holder);
      await page.getByLabel(text.name).fill(holder.toUpperCase());
      await page.getByLabel(text.approver, { exact: true }).check();
      await page.getByLabel(text.first).fill('too short');
      const [short] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: text.create }).click(),
      ]);
      expect(short.status()).toBe(422);
      expect(await page.locator('#password-error').innerText()).toContain(text.short);
      expect(await page.getByLabel(text.first).inputValue()).toBe('');
      expect(await page.getByLabel(text.user).inputValue()).toBe(holder);
      await page.getByLabel(text.first).fill(PASSWORD);
      await page.getByRole('button', { name: text.create }).click();
      await page.waitForURL(/done=created/);
      expect(await page.getByRole('status').innerText()).toContain(text.created);

      // The user signs in; a new password ends that session and the old password no longer works.
      const first = await signsIn(holder, PASSWORD, lang);
      expect(first.ok).toBe(true);
      const row = page.locator('tbody tr', { hasText: `(${holder})` });
      const renewed = `${PASSWORD} again`;
      await row.getByLabel(text.newPassword).fill(renewed);
      await row.getByRole('button', { name: text.set }).click();
      await page.waitForURL(/done=password/);
      await first.page.goto(`${site.base}/review`);
      expect(new URL(first.page.url()).pathname).toBe('/login');
      expect((await signsIn(holder, PASSWORD, lang)).ok).toBe(false);
      expect((await signsIn(holder, renewed, lang)).ok).toBe(true);

      // Disabled: refused from then on.
      await page
        .locator('tbody tr', { hasText: `(${holder})` })
        .getByRole('button', { name: text.disable(holder) })
        .click();
      await page.waitForURL(/done=disabled/);
      expect(await page.getByRole('status').innerText()).toContain(text.disabled);
      expect((await signsIn(holder, renewed, lang)).ok).toBe(false);
      const audited = await site.records.db
        .selectFrom('audit_log')
        .select('actor')
        .where('entity', '=', 'user')
        .where('entity_key', '=', holder)
        .execute();
      expect(audited.length).toBeGreaterThanOrEqual(3);
      await page.context().close();
    }, 90_000);
  }
});
