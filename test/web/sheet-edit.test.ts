/**
 * A program officer edits an indicator reference sheet in Chromium, in Spanish: a target changed after
 * results exist is refused beside the reason's field until a reason is written; a word for a number is
 * refused beside its field; then the sheet is saved as a new version, compared with the one before, and
 * the audit log keeps the reason. A stale version is a 409 shown on the page, another country's reporter
 * is refused, and none of these refusals changes a row.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const CODE = 'EX-HOM-RATE-08';

/** The fields of the page's form, as it would post them. */
const formOf = async (page: Page): Promise<Record<string, string>> =>
  Object.fromEntries(
    await page.locator('form.result-edit input, form.result-edit textarea').evaluateAll((els) =>
      els.map((e) => {
        const input = e as unknown as { name: string; value: string };
        return [input.name, input.value];
      }),
    ),
  );

(haveChromium ? describe : describe.skip)('editing a reference sheet in Chromium', () => {
  let site: ExampleSite;
  const sheet = () =>
    site.records.db
      .selectFrom('indicators')
      .select(['version', 'definition_es', 'change_reason'])
      .where('code', '=', CODE)
      .executeTakeFirstOrThrow();
  const target2020 = async () =>
    (
      await site.records.db
        .selectFrom('targets')
        .innerJoin('indicators', 'indicators.id', 'targets.indicator_id')
        .select('targets.value')
        .where('indicators.code', '=', CODE)
        .where('targets.period_code', '=', '2020')
        .executeTakeFirstOrThrow()
    ).value;

  beforeAll(async () => {
    site = await openExampleSite([
      ['mateo', 'MX', 'SSPC', ['reporter']],
      ['rita', 'US', 'INL', ['reporter']],
    ]);
  }, 60_000);
  afterAll(() => site?.close());

  it('needs a reason to move a target once results exist, then saves a new version', async () => {
    const before = await sheet();
    const page = await site.signedIn('mateo', 'es', `/indicators/${CODE}/edit`);
    // The sheet's page offers its own country's reporters the form.
    await page.goto(`${site.base}/indicators/${CODE}?lang=es`);
    await page.getByRole('link', { name: 'Editar esta hoja de referencia' }).click();
    await page.waitForURL(new RegExp(`/indicators/${CODE}/edit`));
    expect(await seriousViolations(page)).toEqual([]);
    const row = await page.locator('input[value="2020"]').getAttribute('name');
    const value = row!.replace('.period', '.value');
    await page.locator(`input[name="${value}"]`).fill('treinta');
    await page
      .getByLabel('Definición (español)')
      .fill('Homicidios por cada 100 000 habitantes de Chihuahua.');
    await page.getByRole('button', { name: 'Guardar una nueva versión' }).click();
    // A word for a number: refused beside its field, what was typed kept.
    expect(await page.locator(`#${value.replaceAll('.', '-')}-error`).innerText()).toMatch(/número/);
    expect(await page.getByLabel('Definición (español)').inputValue()).toContain('100 000 habitantes de');
    await page.locator(`input[name="${value}"]`).fill('30');
    await page.getByRole('button', { name: 'Guardar una nueva versión' }).click();
    // The target moved after results: the reason is required, beside its own field.
    expect(await page.locator('#change_reason-error').innerText()).toMatch(/motivo|change_reason/i);
    expect(await sheet()).toEqual(before);
    expect(await target2020()).toBe(35);

    await page
      .getByLabel('Motivo del cambio de la línea de base o de las metas')
      .fill('Meta revisada con la SSPC tras la evaluación de medio término');
    await page.getByRole('button', { name: 'Guardar una nueva versión' }).click();
    await page.waitForURL(new RegExp(`/indicators/${CODE}/versions\\?done=saved`));
    const after = await sheet();
    expect(after.version).toBe(before.version + 1);
    expect(after.definition_es).toBe('Homicidios por cada 100 000 habitantes de Chihuahua.');
    expect(after.change_reason).toBe('Meta revisada con la SSPC tras la evaluación de medio término');
    expect(await target2020()).toBe(30);
    expect(await page.locator('[role=status]').innerText()).toContain(`versión ${after.version}`);
    expect(await page.locator('main').innerText()).toContain(
      'Homicidios por cada 100 000 habitantes de Chihuahua.',
    );
    expect(await seriousViolations(page)).toEqual([]);
    expect((await verifyAudit(site.records)).tampered).toBe(false);

    // The form still holds the version it was opened at: a second save of it is stale, refused with 409.
    await page.goBack();
    await page.goBack();
    const stale = await page.request.post(`${site.base}/indicators/${CODE}/edit?lang=es`, {
      form: await formOf(page),
      headers: { origin: site.base },
    });
    expect(stale.status()).toBe(409);
    expect((await sheet()).version).toBe(after.version);
  });

  it('refuses another country’s reporter, changing nothing', async () => {
    const before = await sheet();
    const page = await site.signedIn('rita', 'en', `/indicators/${CODE}/edit`);
    await page.goto(`${site.base}/indicators/${CODE}?lang=en`);
    expect(await page.getByRole('link', { name: 'Edit this reference sheet' }).count()).toBe(0);
    await page.goto(`${site.base}/indicators/${CODE}/edit?lang=en`);
    // She may read the sheet, so the form opens; posting it, whole and valid, is refused by the rules.
    await page.getByLabel('Name (English)').fill('Hijacked');
    const refused = await page.request.post(`${site.base}/indicators/${CODE}/edit?lang=en`, {
      form: await formOf(page),
      headers: { origin: site.base },
    });
    expect(refused.status()).toBe(403);
    expect(await sheet()).toEqual(before);
  });
});
