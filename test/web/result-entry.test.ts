/**
 * Entering a result in a real browser (Debian's Chromium) against a real server on loopback, in English
 * and in Spanish: a U.S. reporter chooses an indicator from those they report for, finds only the open
 * periods its frequency takes, is refused a value that is not a number beside the field with what was
 * typed kept, saves the result as a draft and finds it among their drafts; entering it again is refused
 * with 409 naming it. The anonymous API does not publish the draft, the audit log holds its creation and
 * verifies, and axe finds no serious violation on the new pages.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const TEXT = {
  en: {
    enter: 'Enter a result',
    indicator: 'Mexican penitentiary institutions accredited by the ACA',
    period: 'Period',
    place: 'Place',
    value: /^Value/,
    saveDraft: 'Save as draft',
    files: 'Evidence files',
    notNumber: 'expected a number such as 12.5, not “four”',
    entered: 'is saved as a draft',
    drafts: /^Drafts of your agency \(\d+\)$/,
    exists: 'already exists',
  },
  es: {
    enter: 'Capturar un resultado',
    indicator: 'Instituciones penitenciarias mexicanas acreditadas por la ACA',
    period: 'Periodo',
    place: 'Lugar',
    value: /^Valor/,
    saveDraft: 'Guardar como borrador',
    files: 'Archivos de evidencia',
    notNumber: 'se esperaba un número como 12.5, no «cuatro»',
    entered: 'se guardó como borrador',
    drafts: /^Borradores de su dependencia \(\d+\)$/,
    exists: 'ya existe',
  },
} as const;

(haveChromium ? describe : describe.skip)('result entry in Chromium', () => {
  let site: ExampleSite;
  beforeAll(async () => {
    site = await openExampleSite([
      ['rita', 'US', 'INL', ['reporter']],
      ['rosa', 'US', 'INL', ['reporter']],
    ]);
  }, 120_000);
  afterAll(() => site?.close());

  const published = async () =>
    (await (await fetch(`${site.base}/api/v1/results?indicator=EX-ACA-ACCREDITED`)).json()) as {
      period: string;
      place: string;
    }[];

  for (const [lang, user, place] of [
    ['en', 'rita', '08'],
    ['es', 'rosa', '02'],
  ] as const) {
    it(`enters a draft, refusing what is wrong, in ${lang === 'en' ? 'English' : 'Spanish'}`, async () => {
      const text = TEXT[lang];
      const page = await site.signedIn(user, lang, '/results/new');
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(text.enter);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('link', { name: text.indicator }).click();
      await page.waitForURL(/indicator=EX-ACA-ACCREDITED/);
      expect(await seriousViolations(page)).toEqual([]);
      // A semiannual count: the months it is counted in, not the locked 2016-08, not a fiscal year.
      const periods = await page.getByLabel(text.period).locator('option').allInnerTexts();
      expect(periods).toEqual(['2018-01', '2017-08', '2017-01']);
      await page.getByLabel(text.period).selectOption('2017-08');
      await page.getByLabel(text.place).fill(place);
      const value = page.getByLabel(text.value);
      await value.fill(lang === 'en' ? 'four' : 'cuatro');
      const refused = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: text.saveDraft }).click(),
      ]);
      expect(refused[0].status()).toBe(422);
      expect(await page.locator('#value-error').innerText()).toBe(text.notNumber);
      expect(await page.getByLabel(text.place).inputValue()).toBe(place);
      expect(await page.getByLabel(text.period).inputValue()).toBe('2017-08');
      if (process.env.MARCO_SHOTS)
        await page.screenshot({
          path: `${process.env.MARCO_SHOTS}/entry-refused-${lang}.png`,
          fullPage: true,
        });
      await page.getByLabel(text.value).fill('4');
      // The evidence: a real PDF, printed by Chromium.
      const report = await (await page.context().newPage()).pdf();
      const filename = lang === 'en' ? 'ACA register, August 2017.pdf' : 'Registro ACA, agosto de 2017.pdf';
      await page
        .getByLabel(text.files)
        .setInputFiles({ name: filename, mimeType: 'application/pdf', buffer: report });
      await page.getByRole('button', { name: text.saveDraft }).click();
      await page.waitForURL(/\/review\?done=entered/);
      expect(await page.getByRole('status').innerText()).toContain(text.entered);
      const drafts = page.getByRole('region', { name: text.drafts });
      expect(await drafts.innerText()).toContain(`2017-08 · ${place}`);
      // The file is listed with the draft and downloads as it was sent, never rendered as a page.
      const link = drafts.getByRole('link', { name: filename });
      const download = await page.request.get(new URL((await link.getAttribute('href'))!, site.base).href);
      expect(download.status()).toBe(200);
      expect(download.headers()).toMatchObject({
        'content-type': 'application/pdf',
        'x-content-type-options': 'nosniff',
        'content-security-policy': expect.stringContaining('sandbox'),
        'content-disposition': expect.stringMatching(
          /^attachment; filename="[^"]+\.pdf"; filename\*=UTF-8''/,
        ),
      });
      const body = await download.body();
      expect(createHash('sha256').update(body).digest('hex')).toBe(
        createHash('sha256').update(report).digest('hex'),
      );
      expect((await link.getAttribute('href'))!).toContain(createHash('sha256').update(report).digest('hex'));
      // Not to anyone else while it is a draft.
      expect((await fetch(new URL((await link.getAttribute('href'))!, site.base))).status).toBe(404);

      // Entering it again is refused, naming the result that exists.
      await page.goto(`${site.base}/results/new?indicator=EX-ACA-ACCREDITED`);
      await page.getByLabel(text.period).selectOption('2017-08');
      await page.getByLabel(text.place).fill(place);
      await page.getByLabel(text.value).fill('5');
      const again = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: text.saveDraft }).click(),
      ]);
      expect(again[0].status()).toBe(409);
      expect(await page.getByRole('alert').innerText()).toContain(text.exists);

      expect((await published()).some((r) => r.place === place)).toBe(false);
      const created = await site.records.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'entity_key'])
        .where('entity', '=', 'result')
        .where('action', '=', 'create')
        .where('actor', '=', user)
        .execute();
      expect(created).toEqual([
        { actor: user, action: 'create', entity_key: `EX-ACA-ACCREDITED|2017-08|${place}|` },
      ]);
      const attached = await site.records.db
        .selectFrom('audit_log')
        .select(['actor', 'after'])
        .where('entity', '=', 'attachment')
        .where('actor', '=', user)
        .execute();
      expect(attached.map((a) => (a.after as { filename: string }).filename)).toEqual([filename]);
      expect((await verifyAudit(site.records)).tampered).toBe(false);
      await page.context().close();
    }, 120_000);
  }
});
