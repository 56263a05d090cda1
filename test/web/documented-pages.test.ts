/**
 * The documented series' topic pages in Chromium, in English and Spanish, over the reference data Marco
 * ships: arms flows with the ATF and GAO figures, their qualifiers and confidence levels; extraditions;
 * the National Guard with its conflicting figures side by side. axe finds no serious violation; an
 * unknown topic is a 404 page. With `MARCO_SHOTS` set, each page's screenshot is written there.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFigures } from '../../src/stats/claims.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const shots = process.env.MARCO_SHOTS;

describe.runIf(haveChromium)('documented series by topic', () => {
  let site: ExampleSite;
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await ensureFigures(stats, 'test');
    site = await openExampleSite([], { stats });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    stats?.close();
  });

  const TOPICS = [
    ['firearms', 'Arms flows', 'Flujos de armas', 'firearms_traced_us_sourced_pct'],
    ['extraditions', 'Extraditions', 'Extradiciones', 'extraditions_mx_to_us'],
    [
      'national-guard',
      'National Guard and military deployment',
      'Guardia Nacional y despliegue militar',
      'national_guard_personnel',
    ],
  ] as const;

  for (const [topic, en, es, measure] of TOPICS)
    for (const lang of ['en', 'es'] as const)
      it(`lists the ${topic} figures with their sources (${lang})`, async () => {
        const page = await site.browser.newPage();
        const res = await page.goto(`${site.base}/documented/${topic}?lang=${lang}`);
        expect(res?.status()).toBe(200);
        expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(lang === 'en' ? en : es);
        const text = await page.locator('main').innerText();
        expect(text).toContain(measure);
        // Only this topic's measures.
        for (const [other, , , otherMeasure] of TOPICS)
          if (other !== topic) expect(text).not.toContain(otherMeasure);
        expect(await page.locator('tbody tr').count()).toBeGreaterThan(3);
        expect(await seriousViolations(page)).toEqual([]);
        if (shots)
          await page.screenshot({
            path: path.join(shots, `documented-${topic}-${lang}.png`),
          });
        await page.close();
      }, 60_000);

  it('shows the GAO share of U.S.-sourced firearms with its qualifier, and the Guard’s conflicts side by side', async () => {
    const page = await site.browser.newPage();
    await page.goto(`${site.base}/documented/firearms?lang=en`);
    const gao = page.getByRole('row').filter({ hasText: 'GAO-21-322' }).first();
    expect(await gao.innerText()).toMatch(/approximate|exact|at least/);
    await page.goto(`${site.base}/documented/national-guard?lang=es`);
    const conflicts = page.locator('tr.conflict');
    expect(await conflicts.count()).toBeGreaterThan(1);
    expect(await page.locator('main').innerText()).toMatch(/\d+ cifras que no coinciden|grupos aquí/);
    const missing = await page.goto(`${site.base}/documented/cartels?lang=es`);
    expect(missing?.status()).toBe(404);
    await page.close();
  }, 60_000);
});
