/**
 * Approving a framework benchmark's target on its node page, in Chromium: a U.S. approver approves the
 * illustrative homicide-rate target in English and the page says Mexico's approval is still awaited; a
 * Mexican approver approves it in Spanish and the target is in effect. A reporter sees no button; axe
 * finds no serious violation. The public sees both approvals with their dates, not the approvers' names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBenchmarkDocument } from '../../src/benchmarks/benchmark-file.js';
import { EXAMPLE_BENCHMARKS } from '../../src/cli/commands/init.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { readDocumentFile } from '../../src/records/builtin.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

(haveChromium ? describe : describe.skip)('benchmark approval on the node page', () => {
  let site: ExampleSite;
  beforeAll(async () => {
    site = await openExampleSite([
      ['abe', 'US', 'INL', ['approver']],
      ['mateo', 'MX', 'SSPC', ['approver']],
      ['rita', 'US', 'INL', ['reporter']],
    ]);
    const doc = await readDocumentFile(PACKAGE_ROOT + EXAMPLE_BENCHMARKS);
    await loadBenchmarkDocument(site.records, doc.data, { actor: 'test' });
  }, 120_000);
  afterAll(() => site?.close());

  /** Signed in (through a page that asks), then at the node page. */
  const atNode = async (user: string, lang: 'en' | 'es') => {
    const page = await site.signedIn(user, lang, '/inbox');
    await page.goto(`${site.base}/nodes/bicentennial:1?lang=${lang}`);
    return page;
  };

  it('takes both countries’ approvals before the target counts', async () => {
    const reporter = await atNode('rita', 'en');
    expect(await reporter.getByRole('button', { name: /Approve the 2022 target/ }).count()).toBe(0);
    await reporter.context().close();

    const us = await atNode('abe', 'en');
    expect(await seriousViolations(us)).toEqual([]);
    const card = us.locator('#benchmark-BF-HOMICIDE-RATE-MX');
    expect(await card.innerText()).toContain('awaiting United States and Mexico');
    await card.getByRole('button', { name: 'Approve the 2022 target for United States' }).click();
    await us.waitForURL(/done=approved/);
    expect(await us.getByRole('status').innerText()).toBe(
      'Approved for United States: the 2022 target of BF-HOMICIDE-RATE-MX.',
    );
    expect(await card.innerText()).toContain('awaiting Mexico');
    expect(await card.innerText()).toContain('Not in effect');
    expect(await card.getByRole('button').count()).toBe(0);
    await us.context().close();

    const mx = await atNode('mateo', 'es');
    const tarjeta = mx.locator('#benchmark-BF-HOMICIDE-RATE-MX');
    await tarjeta.getByRole('button', { name: 'Aprobar la meta 2022 por México' }).click();
    await mx.waitForURL(/done=approved/);
    expect(await seriousViolations(mx)).toEqual([]);
    const text = await tarjeta.innerText();
    // In effect; this site has no statistics store, so there is no actual to judge it by.
    expect(text).toContain('Una meta vigente, ninguna cumplida.');
    expect(text).toContain('Sin datos');
    expect(text).not.toContain('falta');
    expect(text).toContain('aprobada por mateo');
    await mx.context().close();

    // The public sees both approvals and their dates, not the officials who gave them.
    const anonymous = await site.browser.newPage();
    await anonymous.goto(`${site.base}/nodes/bicentennial:1?lang=en`);
    const publicCard = await anonymous.locator('#benchmark-BF-HOMICIDE-RATE-MX').innerText();
    expect(publicCard).toMatch(/United States: approved on .+; Mexico: approved on /);
    expect(publicCard).not.toMatch(/abe|mateo/);
    await anonymous.close();
  }, 60_000);
});
