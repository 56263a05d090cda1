/**
 * Two versions of an indicator reference sheet side by side, in Chromium, in English and in Spanish:
 * after SSPC revises the baseline and the definition of Chihuahua's homicide rate, with the reason a change
 * of baseline needs, the indicator page links to its versions, and the comparison marks exactly those
 * three fields, in words; an unknown
 * version is a 404 page; axe finds no serious violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { exampleWorkspace } from '../fixtures/workspace.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

type Doc = { programs: { code: string; indicators?: Record<string, unknown>[] }[] };

(haveChromium ? describe : describe.skip)('reference sheet versions in Chromium', () => {
  let site: ExampleSite;
  beforeAll(async () => {
    site = await openExampleSite([]);
    const doc = (await exampleWorkspace()) as Doc;
    const ind = doc.programs.find((p) => p.code === 'EX-CHIHUAHUA-PREVENTION')!.indicators![0]!;
    ind.baseline = { ...(ind.baseline as object), value: 48.7 };
    ind.definition = { ...(ind.definition as object), en: 'Homicides per 100,000 inhabitants of Chihuahua.' };
    // The indicator has results: moving its baseline needs a reason, which the versions show too.
    ind.change_reason = 'INEGI revised the 2016 deaths.';
    await loadWorkspace(site.records, doc, { actor: 'sspc-editor' });
  }, 120_000);
  afterAll(() => site?.close());

  for (const [lang, text] of [
    [
      'en',
      {
        link: 'Compare the 2 versions',
        changed: '(changed)',
        baseline: 'Baseline',
        definition: 'Definition (English)',
        reason: 'Reason for changing the baseline or targets',
        summary: '3 fields differ',
      },
    ],
    [
      'es',
      {
        link: 'Comparar las 2 versiones',
        changed: '(cambió)',
        baseline: 'Línea base',
        definition: 'Definición (inglés)',
        reason: 'Motivo del cambio de la línea base o de las metas',
        summary: '3 campos difieren',
      },
    ],
  ] as const) {
    it(`marks the changed fields of two versions, in ${lang === 'en' ? 'English' : 'Spanish'}`, async () => {
      const page = await (await site.browser.newContext()).newPage();
      await page.goto(`${site.base}/indicators/EX-HOM-RATE-08?lang=${lang}`);
      await page.getByRole('link', { name: text.link }).click();
      await page.waitForURL(/\/versions/);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await page.locator('main').innerText()).toContain(text.summary);
      const changed = await page.locator('tbody tr.changed th').allInnerTexts();
      expect(changed.map((c) => c.replace(` ${text.changed}`, '').trim())).toEqual([
        text.definition,
        text.baseline,
        text.reason,
      ]);
      const baseline = await page.locator('tbody tr.changed').nth(1).locator('td').allInnerTexts();
      expect(baseline).toEqual(lang === 'en' ? ['48.66', '48.7'] : ['48.66', '48.7']);
      // Anonymous readers see when, not who.
      expect(await page.locator('thead').innerText()).not.toContain('sspc-editor');
      const missing = await page.goto(`${site.base}/indicators/EX-HOM-RATE-08/versions?a=1&b=9`);
      expect(missing?.status()).toBe(404);
      await page.context().close();
    }, 60_000);
  }
});
