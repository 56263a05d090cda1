/**
 * Removing an evidence file attached by mistake, in Chromium: a U.S. reporter opens her result, gives
 * the reason in Spanish and removes the file; the review page says so, the file no longer lists or
 * downloads, the history shows the removal with its reason, and the audit chain is intact. A reason too
 * short (posted past the browser's own check) is refused on the page, changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { evidenceEditor, inspectEvidence } from '../../src/monitoring/evidence.js';
import { resultCreator } from '../../src/monitoring/result-creator.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { attachEvidence } from '../../src/records/evidence-repository.js';
import { createResult } from '../../src/records/result-entry.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const rita: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };
const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

(haveChromium ? describe : describe.skip)('removing an evidence file in Chromium', () => {
  let site: ExampleSite;
  let id = 0;
  let sha = '';

  beforeAll(async () => {
    site = await openExampleSite([['rita', 'US', 'INL', ['reporter']]]);
    id = (
      await createResult(
        site.records,
        { indicator: 'EX-ACA-ACCREDITED', period: '2018-01', place: '08', value: 2, status: 'draft' },
        { actor: 'rita' },
        resultCreator(rita),
      )
    ).id;
    const files = await inspectEvidence([{ name: 'informe-equivocado.pdf', bytes: pdf }], 'attachments');
    sha = files[0]!.sha256;
    await attachEvidence(site.records, id, files, { actor: 'rita' }, evidenceEditor(rita, id));
  }, 60_000);
  afterAll(() => site?.close());

  it('removes the file with its reason, and the history and the audit log keep it', async () => {
    const page = await site.signedIn('rita', 'es', `/results/${id}/edit`);
    expect(await seriousViolations(page)).toEqual([]);
    // A reason too short, posted past the browser's own `minlength`: refused on the page, nothing changed.
    const csrf = await page.locator('details.remove input[name="_csrf"]').first().inputValue();
    const short = await page.request.post(`${site.base}/results/${id}/evidence/${sha}/remove?lang=es`, {
      form: { _csrf: csrf, reason: 'x' },
      headers: { origin: site.base },
    });
    expect(short.status()).toBe(422);
    expect(await short.text()).toContain('informe-equivocado.pdf');

    await page.getByText('Quitar este archivo').click();
    await page
      .getByLabel('¿Por qué quitar informe-equivocado.pdf?')
      .fill('Es el informe de 2017, no el de 2018');
    await page.getByRole('button', { name: 'Quitar el archivo' }).click();
    await page.waitForURL(/\/review\?done=removed/);
    expect(await page.locator('[role=status]').innerText()).toContain(
      `Se quitó un archivo del resultado ${id}`,
    );
    const download = await page.request.get(`${site.base}/results/${id}/evidence/${sha}`);
    expect(download.status()).toBe(404);

    await page.goto(`${site.base}/results/${id}/history?lang=es`);
    expect(await page.locator('main').innerText()).toContain('Es el informe de 2017, no el de 2018');
    expect(await seriousViolations(page)).toEqual([]);
    expect((await verifyAudit(site.records)).tampered).toBe(false);
  });
});
