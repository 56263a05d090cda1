/**
 * Funding lines through the browser, in Chromium: a U.S. reporter enters a line in English; a negative
 * amount is refused beside its field and writes nothing; the corrected line is saved and submitted. The
 * public funding page does not count it. A Mexican approver, in Spanish, cannot return it without a
 * comment, then approves it, and the public page counts it. Every step's page passes axe-core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';
import { countRows } from '../records/stores.js';

(haveChromium ? describe : describe.skip)('funding lines in the browser', () => {
  let site: ExampleSite;
  beforeAll(async () => {
    site = await openExampleSite([
      ['rita', 'US', 'INL', ['reporter']],
      ['mateo', 'MX', 'SSPC', ['approver']],
    ]);
  }, 120_000);
  afterAll(() => site?.close());

  /** The public funding page's flow row for FY2022, or undefined. */
  const publicFy2022 = async () => {
    const page = await site.browser.newPage();
    await page.goto(`${site.base}/funding?lang=en`);
    const row = page.locator('tr', { hasText: 'FY2022' }).first();
    const text = (await row.count()) ? await row.innerText() : undefined;
    await page.close();
    return text;
  };

  it('is entered by a reporter, approved by the other country, then public', async () => {
    const rita = await site.signedIn('rita', 'en', '/funding/lines');
    expect(await seriousViolations(rita)).toEqual([]);
    await rita.getByLabel('Fiscal year').fill('FY2022');
    await rita.getByLabel('Account', { exact: true }).selectOption('INCLE');
    await rita.getByLabel('Stage', { exact: true }).selectOption('obligation');
    await rita.getByLabel('Program', { exact: true }).selectOption('EX-CORRECTIONS');
    await rita.getByLabel('Amount', { exact: true }).fill('-5');
    await rita.getByLabel('Source document').fill('Illustrative congressional notification');
    const before = await countRows(site.records);
    await rita.getByRole('button', { name: 'Save and submit for approval' }).click();
    expect(await rita.locator('#amount-error').innerText()).toMatch(/zero or more/);
    expect(await rita.getByLabel('Amount', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await countRows(site.records)).toEqual(before);
    expect(await seriousViolations(rita)).toEqual([]);
    // What was typed is kept; the corrected amount goes through.
    expect(await rita.getByLabel('Source document').inputValue()).toBe(
      'Illustrative congressional notification',
    );
    await rita.getByLabel('Amount', { exact: true }).fill('2500000');
    await rita.getByRole('button', { name: 'Save and submit for approval' }).click();
    await rita.waitForURL(/done=submitted/);
    expect(await rita.getByRole('status').innerText()).toBe('Submitted for approval: FY2022 INCLE.');
    await rita.context().close();
    expect(await publicFy2022()).toBeUndefined();

    const mateo = await site.signedIn('mateo', 'es', '/funding/lines');
    expect(await seriousViolations(mateo)).toEqual([]);
    expect(await mateo.getByLabel('Fiscal year').count()).toBe(0);
    await mateo.getByRole('button', { name: 'Devolver FY2022 INCLE' }).click();
    expect(await mateo.getByRole('alert').innerText()).toMatch(/comentario|comment/);
    await mateo.getByRole('button', { name: 'Aprobar FY2022 INCLE' }).click();
    await mateo.waitForURL(/done=approved/);
    expect(await mateo.getByRole('status').innerText()).toBe(
      'Aprobada: FY2022 INCLE. Ya cuenta en las páginas de financiamiento.',
    );
    expect(await seriousViolations(mateo)).toEqual([]);
    await mateo.context().close();
    expect(await publicFy2022()).toMatch(/FY2022\s+—\s+\$2,500,000\s+\$0/);
  }, 90_000);
});
