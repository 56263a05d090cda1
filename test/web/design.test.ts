/**
 * The design pass, in Debian's Chromium on real data: each statistics page, program and evaluation
 * opens with a takeaway computed from the stores (in English and Spanish); names come before codes; the
 * explorer's table is a place × period grid with sticky headers and sorting by plain links; charts use
 * the content width and name their lines; evaluations give effects as percentages and never print
 * "p = 0"; a print stylesheet; a skip link for keyboard users; no serious accessibility violation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { saveEvaluation } from '../../src/records/evaluation-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from '../stats/shared-data.js';
import { seriousViolations } from './axe.js';
import { CHROMIUM, haveChromium, listen } from './chromium.js';

const FILES: [string, string | undefined][] = [
  ['inegi-geo-catalog', sharedFile('geo/cve_nom_estados.csv')],
  ['inegi-geo-catalog', sharedFile('geo/cve_nom_municipios.csv')],
  ['inegi-homicides-state', sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv')],
  ['inegi-homicides-municipal', sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz')],
  ['conapo-population-state', sharedFile('conapo/conapo_pob_ent_gender_1950_2070.csv')],
  ['conapo-population-municipal', sharedFile('conapo/municipio-population1990-2009.csv')],
  ['conapo-population-municipal', sharedFile('conapo/municipio-population2010-2030.csv')],
];
const haveData = FILES.every(([, f]) => f);
if (!haveData && process.env.CI === 'true') throw new Error('CI=true but the shared data files are missing');
const space = (s: string) => s.replace(/\s+/g, ' ').trim();

(haveChromium && haveData ? describe : describe.skip)('the design pass in Chromium', () => {
  let dir: string;
  let stats: StatsStore;
  let records: RecordsStore;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let evaluationId: number;
  let result: Awaited<ReturnType<typeof evaluate>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-design-'));
    stats = await openStats({ dataDir: dir });
    for (const [id, file] of FILES) await importFile(stats, sourceById(id)!, file!, { version: 'test' });
    records = await openRecords({ memory: true });
    await loadBuiltins(records, 'test');
    await loadWorkspace(records, (await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE)).data, {
      actor: 'test',
    });
    const spec = path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-states.yaml');
    result = await evaluate(stats, (await readDocumentFile(spec)).data, 'test');
    evaluationId = await saveEvaluation(records, result, { actor: 'test' });
    server = await listen(createApp({ store: records, stats }));
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    stats?.close();
    await records?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens a page, expecting `status` and no serious or critical axe-core violation. */
  async function open(url: string, status = 200): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const response = await page.goto(server.base + url);
    expect(response!.status(), url).toBe(status);
    expect(await seriousViolations(page), url).toEqual([]);
    return page;
  }

  it('a place profile opens with its takeaway, computed from the store, in English and Spanish', async () => {
    const rates = await querySeries(stats, {
      measure: 'homicides',
      geo: ['08037', 'MX'],
      by: 'year',
      from: '2000',
      per: 100_000,
    });
    const points = (geo: string) =>
      rates.series.find((s) => s.geo === geo)!.points.filter((p) => p.rate !== null && !p.partial);
    const juarez = points('08037');
    const latest = juarez.at(-1)!;
    const peak = juarez.reduce((a, b) => (b.rate! > a.rate! ? b : a));
    const national = points('MX').find((p) => p.period === latest.period)!;
    // The figures of the example, recomputed from INEGI's deaths and CONAPO's population.
    expect(latest.period).toBe('2021');
    expect(latest.rate!.toFixed(1)).toBe('98.9');
    expect(peak.period).toBe('2010');
    expect(Math.round((1 - latest.rate! / peak.rate!) * 100)).toBe(64);
    expect((latest.rate! / national.rate!).toFixed(1)).toBe('3.7');

    const en = await open('/places/08037?lang=en');
    expect(space(await en.locator('p.takeaway').innerText())).toBe(
      'Juárez’s homicide rate in 2021 was 98.9 per 100,000, 64% below its 2010 peak and 3.7 times the national rate.',
    );
    // The chart spans the content column and names each line at its end.
    const main = (await en.locator('main').boundingBox())!;
    const chart = (await en.locator('figure svg.chart').first().boundingBox())!;
    expect(chart.width).toBeGreaterThan(main.width * 0.9);
    const labels = await en.locator('figure svg.chart text').allTextContents();
    for (const name of ['Juárez', 'Chihuahua', 'Mexico']) expect(labels).toContain(name);
    await en.close();

    const es = await open('/places/08037?lang=es');
    expect(space(await es.locator('p.takeaway').innerText())).toBe(
      'En 2021, la tasa de homicidios de Juárez fue de 98.9 por cada 100 000 habitantes, un 64% por debajo de su máximo de 2010 y 3.7 veces la tasa nacional.',
    );
    await es.close();
  });

  it('the explorer shows a place × period grid with sticky headers, sorted by its column links', async () => {
    const query = 'measure=homicides&level=state&by=year&from=2015&to=2021&per=100000';
    const api = await querySeries(stats, {
      measure: 'homicides',
      level: 'state',
      by: 'year',
      from: '2015',
      to: '2021',
      per: 100_000,
    });
    const rate2020 = api.series
      .map((s) => ({
        geo: s.geo,
        name: s.name,
        rate: s.points.find((p) => p.period === '2020')?.rate ?? null,
      }))
      .filter((x) => x.rate !== null)
      .sort((a, b) => b.rate! - a.rate!);
    const page = await open(`/explore?${query}&lang=en`);
    const grid = page.locator('table.grid-table');
    expect(await grid.locator('tbody tr').count()).toBe(api.series.length);
    expect(await grid.locator('thead th').allInnerTexts()).toEqual([
      'Place ▲',
      ...['2015', '2016', '2017', '2018', '2019', '2020', '2021'],
    ]);
    // The takeaway names the highest and lowest place of the latest year.
    const rate2021 = api.series
      .map((s) => ({ name: s.name, rate: s.points.find((p) => p.period === '2021')!.rate! }))
      .sort((a, b) => b.rate - a.rate);
    const takeaway = space(await page.locator('p.takeaway').innerText());
    expect(takeaway).toContain(
      `In 2021, ${rate2021[0]!.name} had the highest value of the ${api.series.length} places shown`,
    );
    expect(takeaway).toContain(`and ${rate2021.at(-1)!.name} the lowest`);

    // Sorting by 2020: the highest rate first, then, clicked again, the lowest.
    await grid.locator('thead th a', { hasText: '2020' }).click();
    await page.waitForURL(/sort=2020&order=desc/);
    expect(await page.locator('th[aria-sort="descending"]').innerText()).toBe('2020 ▼');
    expect(await page.locator('table.grid-table tbody tr').first().getAttribute('data-geo')).toBe(
      rate2020[0]!.geo,
    );
    await page.locator('table.grid-table thead th a', { hasText: '2020' }).click();
    await page.waitForURL(/sort=2020&order=asc/);
    expect(await page.locator('table.grid-table tbody tr').first().getAttribute('data-geo')).toBe(
      rate2020.at(-1)!.geo,
    );

    // Sticky headers: scrolled down inside its frame, the grid's header row stays at the frame's top.
    const wrap = page.locator('.grid-wrap');
    await wrap.evaluate((e) => ((e as unknown as { scrollTop: number }).scrollTop = 400));
    const frameTop = (await wrap.boundingBox())!.y;
    const headTop = (await page.locator('table.grid-table thead th').nth(3).boundingBox())!.y;
    expect(Math.abs(headTop - frameTop)).toBeLessThan(3);
    await page.close();

    // A malformed sort is refused with the parameter named, in the reader's language.
    const bad = await open(`/explore?${query}&sort=nonsense&lang=es`, 400);
    expect(await bad.locator('[role=alert]').innerText()).toContain('no es una columna por la que ordenar');
    await bad.close();
  });

  it('an evaluation gives its effect as a percentage, and prints p < 0.001, never p = 0', async () => {
    const att = result.cs!.simple.att;
    const percent = Math.round(Math.expm1(att) * 100);
    for (const lang of ['en', 'es'] as const) {
      const page = await open(`/evaluations/${evaluationId}?lang=${lang}`);
      const takeaway = space(await page.locator('p.takeaway').innerText());
      expect(takeaway).toContain(
        lang === 'en' ? `on average ${percent}% higher` : `en promedio ${percent}% más alto`,
      );
      expect(takeaway).toMatch(lang === 'en' ? /pre-trend test rejects/ : /tendencias previas rechaza/);
      const text = await page.locator('main').innerText();
      expect(text).not.toMatch(/p = 0(?![.,]\d)/);
      // The Wald χ² of this panel is below a thousandth.
      expect(result.twfe!.pretrend.p).toBeLessThan(0.001);
      expect(text).toContain('p < 0.001');
      await page.close();
    }
  });

  it('names come first: the home page and a program name nodes and programs by title', async () => {
    const home = await open('/?lang=en');
    const node = home.locator('a[href="/nodes/bicentennial:1"]');
    expect(await node.innerText()).toBe('Protect Our People');
    expect(await home.locator('a[href="/programs/EX-CHIHUAHUA-PREVENTION"]').innerText()).toBe(
      'Illustrative: community violence prevention in Chihuahua',
    );
    // Status counts never wrap: each chip cell is one line high.
    const chips = home.locator('td.chips').first();
    const chip = (await chips.locator('.s').first().boundingBox())!;
    expect((await chips.boundingBox())!.height).toBeLessThan(chip.height * 2 + 16);
    await home.close();
    const program = await open('/programs/EX-CHIHUAHUA-PREVENTION?lang=es');
    expect(await program.locator('a[href="/nodes/bicentennial:1"]').innerText()).toBe(
      'Proteger a nuestra gente',
    );
    expect(space(await program.locator('p.takeaway').innerText())).toMatch(
      /^0 de 1 indicador con resultados alcanzó la meta en el último periodo informado\. Tasa de homicidios en Chihuahua: /,
    );
    await program.close();
  });

  it('keyboard users can skip to the content, and the print stylesheet drops the navigation', async () => {
    const page = await open('/places/08?lang=en');
    await page.keyboard.press('Tab');
    const skip = page.locator('a.skip');
    expect(
      await skip.evaluate(
        (e) =>
          e === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
      ),
    ).toBe(true);
    const box = (await skip.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    await page.waitForURL(/#main$/);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top nav').isVisible()).toBe(false);
    expect(await page.locator('p.takeaway').isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'Letter' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });
});
