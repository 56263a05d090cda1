/**
 * Saves the screenshots of the design pass (docs/screenshots/): the home page, a place profile, the
 * statistics explorer, a program, an evaluation and the funding pages, in English and Spanish, from a
 * running Marco (`--pages` for some of them).
 *
 *   npx tsx scripts/screenshots.ts --base http://127.0.0.1:8080 --out docs/screenshots/after
 *
 * The server must hold the municipal homicides, populations and boundaries and the two example
 * evaluations (see docs/web.md#screenshots for the commands). Uses Debian's Chromium (MARCO_CHROMIUM).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'http://127.0.0.1:8080' },
    out: { type: 'string', default: 'docs/screenshots/after' },
    evaluation: { type: 'string', default: '1' },
    /** Only these pages, by name (comma-separated): `--pages funding,funding-program`. */
    pages: { type: 'string' },
  },
});

const PAGES: [string, string][] = [
  ['home', '/'],
  ['profile-08037', '/places/08037'],
  ['explorer', '/explore?measure=homicides&level=state&from=2015-01&to=2021-12&by=year'],
  ['program', '/programs/EX-CHIHUAHUA-PREVENTION'],
  ['evaluation', `/evaluations/${values.evaluation}`],
  ['funding', '/funding'],
  ['funding-program', '/programs/EX-CORRECTIONS/funding?dollars=constant'],
].filter(([name]) => !values.pages || values.pages.split(',').includes(name)) as [string, string][];

const browser = await chromium.launch({ executablePath: process.env.MARCO_CHROMIUM ?? '/usr/bin/chromium' });
try {
  await mkdir(values.out!, { recursive: true });
  for (const lang of ['en', 'es']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: lang });
    for (const [name, url] of PAGES) {
      const sep = url.includes('?') ? '&' : '?';
      const response = await page.goto(`${values.base}${url}${sep}lang=${lang}`);
      if (!response || response.status() !== 200)
        throw new Error(`${url}: HTTP ${response?.status() ?? 'no answer'}`);
      const file = path.join(values.out!, `${name}-${lang}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
