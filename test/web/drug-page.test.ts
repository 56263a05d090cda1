/**
 * The drug-supply page in Chromium, in English and Spanish, over the starter statistics and CBP's shared
 * seizure files: both charts, the caveat on causality and the 12-month rule, and the correlation at each
 * lag; axe finds no serious violation. Without seizures the page says how to import them. With
 * `MARCO_SHOTS` set, each page's screenshot is written there.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { byState, drugSupply } from '../../src/drugs/drug-supply.js';
import { ensureStarter } from '../../src/stats/starter.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from '../stats/shared-data.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const shots = process.env.MARCO_SHOTS;
const FILES = ['cbp/nationwide-drugs-fy19-fy22.csv', 'cbp/nationwide-drugs-fy23-fy26-dec.csv'].map(
  sharedFile,
);

describe.runIf(haveChromium && FILES.every(Boolean))('the drug-supply page', () => {
  let site: ExampleSite;
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await ensureStarter(stats, 'test');
    site = await openExampleSite([], { stats });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    stats?.close();
  });

  it('says how to import seizures before there are any', async () => {
    const page = await site.browser.newPage();
    await page.goto(`${site.base}/drug-supply?lang=en`);
    expect(await page.locator('main').innerText()).toContain('marco fetch cbp-drug-seizures');
    await page.close();
  });

  for (const lang of ['en', 'es'] as const)
    it(`shows seizures, the 12-month comparison and its correlations (${lang})`, async () => {
      if (!(await stats.all(`select 1 from vintages where source = 'cbp-drug-seizures'`)).length)
        for (const f of FILES)
          await importFile(stats, sourceById('cbp-drug-seizures')!, f!, { version: 'test' });
      const page = await site.browser.newPage();
      await page.goto(`${site.base}/drug-supply?lang=${lang}`);
      const text = await page.locator('main').innerText();
      expect(text).toContain(lang === 'en' ? 'not that one caused the other' : 'no que una causara la otra');
      expect(await page.locator('svg[role="img"]').count()).toBe(3);
      const areas = page.getByRole('table').first();
      expect(await areas.locator('caption').innerText()).toContain('FY2025');
      expect(await areas.locator('tbody tr').first().innerText()).toMatch(/^TUCSON FIELD OFFICE\s+AZ\s/);
      // The map puts each area in its state: Arizona's tile sums the Tucson field office and the
      // Tucson and Yuma sectors, as the service adds them up.
      const supply = await drugSupply(stats);
      const arizona = byState(supply.areas!.rows).find((st) => st.state === 'AZ')!;
      expect(arizona.areas.sort()).toEqual(['TUCSON FIELD OFFICE', 'TUCSON SECTOR', 'YUMA SECTOR']);
      const pounds = new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'es-MX', {
        maximumFractionDigits: 0,
      }).format(arizona.pounds.Fentanyl);
      const tiles = await page
        .locator('svg.tiles g > title')
        .evaluateAll((ts) => ts.map((x) => x.textContent));
      expect(tiles.find((x) => x?.startsWith('AZ:'))).toContain(pounds);
      expect(tiles.filter((x) => /^(AK|HI):/.test(x ?? '')).every((x) => !/\d/.test(x!))).toBe(true);
      const table = page.getByRole('table').last();
      expect(await table.locator('tbody tr').count()).toBe(4);
      expect(await table.locator('tbody tr').first().innerText()).toMatch(
        lang === 'en'
          ? /^the same month\s+0\.56\s+76\s+2019-09 – 2025-12$/
          : /^el mismo mes\s+0.56\s+76\s+2019-09 – 2025-12$/,
      );
      expect(await seriousViolations(page)).toEqual([]);
      if (shots) await page.screenshot({ path: path.join(shots, `drug-supply-${lang}.png`), fullPage: true });
      await page.close();
    }, 60_000);
});
