/**
 * Token administration in Chromium, in English and in Spanish: an admin creates a token for an official
 * of their country, sees its secret once, and the token works against the API; a request without roles
 * or with an agency of the other country is refused beside its field, creating nothing; the admin
 * revokes the token, and the API refuses it from then on. The list shows no secret and no other
 * country's token; axe finds no serious violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/records/token-repository.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const TEXT = {
  en: {
    user: "Holder's user name",
    agency: 'Agency',
    reporter: 'reporter',
    viewer: 'viewer',
    create: 'Create the token',
    created: 'is created for',
    noRoles: 'expected one or more of',
    otherAgency: 'is an organisation of MX, not of US',
    revoke: (id: number) => `Revoke token ${id}`,
    revoked: 'is revoked',
  },
  es: {
    user: 'Nombre de usuario del titular',
    agency: 'Dependencia',
    reporter: 'informante',
    viewer: 'lector',
    create: 'Crear el token',
    created: 'Se creó el token',
    noRoles: 'se esperaba uno o más de',
    otherAgency: 'es una organización de MX, no de US',
    revoke: (id: number) => `Revocar el token ${id}`,
    revoked: 'quedó revocado',
  },
} as const;

(haveChromium ? describe : describe.skip)('token administration in Chromium', () => {
  let site: ExampleSite;
  let mexican: number;
  beforeAll(async () => {
    site = await openExampleSite([['ada', 'US', 'INL', ['admin']]]);
    mexican = (
      await createToken(
        site.records,
        { user: 'mara', country: 'MX', agency: 'SSPC', roles: ['viewer'] },
        'test',
      )
    ).info.id;
  }, 120_000);
  afterAll(() => site?.close());

  const api = (token: string) =>
    fetch(`${site.base}/api/v1/results?limit=1`, { headers: { authorization: `Bearer ${token}` } });

  for (const [lang, holder] of [
    ['en', 'rita'],
    ['es', 'rosa'],
  ] as const) {
    it(`creates, shows once and revokes a token, in ${lang === 'en' ? 'English' : 'Spanish'}`, async () => {
      const text = TEXT[lang];
      const page = await site.signedIn('ada', lang, '/admin/tokens');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await page.locator(`#token-${mexican}`).count()).toBe(0);

      // Refused: no role, then an agency of the other country; nothing is created.
      await page.getByLabel(text.user).fill(holder);
      await page.getByLabel(text.viewer, { exact: true }).uncheck();
      const noRoles = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: text.create }).click(),
      ]);
      expect(noRoles[0].status()).toBe(422);
      expect(await page.locator('#roles-error').innerText()).toContain(text.noRoles);
      expect(await page.getByLabel(text.user).inputValue()).toBe(holder);
      await page.getByLabel(text.reporter, { exact: true }).check();
      await page.getByLabel(text.agency).fill('SSPC');
      await page.getByRole('button', { name: text.create }).click();
      expect(await page.locator('#agency-error').innerText()).toContain(text.otherAgency);

      // Created: the secret is shown once, and works.
      await page.getByLabel(text.agency).fill('INL');
      await page.getByRole('button', { name: text.create }).click();
      expect(await page.getByRole('status').innerText()).toContain(text.created);
      const secret = await page.locator('code.secret').innerText();
      expect((await api(secret)).status).toBe(200);
      await page.goto(`${site.base}/admin/tokens`);
      expect(await page.content()).not.toContain(secret);

      // Revoked: refused from then on.
      const row = page.locator('tbody tr', { hasText: holder });
      const id = Number((await row.getAttribute('id'))!.replace('token-', ''));
      await row.getByRole('button', { name: text.revoke(id) }).click();
      await page.waitForURL(/done=revoked/);
      expect(await page.getByRole('status').innerText()).toContain(text.revoked);
      expect((await api(secret)).status).toBe(401);
      await page.context().close();
    }, 60_000);
  }
});
