/**
 * A saved run with synthetic DiD and synthetic control, on its page in Chromium, in English and Spanish:
 * the plots (treated against synthetic; the gap with the placebos' gaps; each method's gap) as named
 * images, their data and the donor weights as tables with the run's own numbers, the predictors' balance
 * and the leave-one-out fits; no console error or failed request, and no serious accessibility problem.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, type EvaluationResult } from '../../src/eval/evaluate.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { saveEvaluation } from '../../src/records/evaluation-repository.js';
import { createApp } from '../../src/server/app.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { EVENTS, POP, STATE, stateSpec, stateStatsStore } from '../eval/state-panel.js';
import { seriousViolations } from './axe.js';
import { CHROMIUM, haveChromium, listen } from './chromium.js';

const ARTIFACTS = path.join(PACKAGE_ROOT, 'test-artifacts');

(haveChromium && STATE && POP && EVENTS ? describe : describe.skip)('synthetic control and DiD pages', () => {
  const stats = stateStatsStore();
  let records: RecordsStore;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let result: EvaluationResult;
  let id: number;
  let staggered: EvaluationResult;
  let staggeredId: number;

  beforeAll(async () => {
    records = await openRecords({ memory: true });
    result = await evaluate(
      stats(),
      stateSpec({
        title: 'Joint operations, synthetic control',
        estimators: {
          sdid: { cohort: '2007', placebo: 20, seed: 3 },
          synth: {
            cohort: '2008',
            predictors: [
              { from: '2001', to: '2004' },
              { from: '2005', to: '2007' },
            ],
          },
        },
      }),
      'test',
    );
    id = await saveEvaluation(records, result, { actor: 'ana' });
    staggered = await evaluate(
      stats(),
      stateSpec({
        title: 'Joint operations, every cohort',
        estimators: { sdid: { cohort: 'all', placebo: 5 } },
      }),
      'test',
    );
    staggeredId = await saveEvaluation(records, staggered, { actor: 'ana' });
    server = await listen(createApp({ store: records, stats: stats() }));
    browser = await chromium.launch({ executablePath: CHROMIUM });
    await mkdir(ARTIFACTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await records?.close();
  });

  for (const [lang, locale] of [
    ['en', 'en-US'],
    ['es', 'es-MX'],
  ] as const)
    it(`shows both estimators' plots, weights and tables (${lang})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
      const response = await page.goto(`${server.base}/evaluations/${id}?lang=${lang}`);
      expect(response!.status()).toBe(200);
      const fmt = (v: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(v);
      const s = result.synth!;
      const headings = await page.locator('h2').allInnerTexts();
      expect(headings).toContain(lang === 'en' ? 'Synthetic control' : 'Control sintético');
      expect(headings).toContain(
        lang === 'en' ? 'Synthetic difference-in-differences' : 'Diferencias en diferencias sintéticas',
      );
      // Five images, each with its name: synthetic DiD's gaps and its weights' map, synthetic control's
      // path, gap and weights' map (the states' built-in boundaries).
      const svgs = page.locator('figure svg[role="img"]');
      expect(await svgs.count()).toBe(5);
      const maps = page.locator(
        'figure svg[role="img"][aria-label*="map"], figure svg[role="img"][aria-label*="mapa"]',
      );
      expect(await maps.count()).toBe(2);
      expect(await maps.last().locator('path').count()).toBeGreaterThanOrEqual(32);
      for (const name of await svgs.evaluateAll((l) => l.map((e) => e.getAttribute('aria-label'))))
        expect(name).toContain(result.title);
      // The gap plot draws one grey line per placebo kept for it, and the treated gap over them.
      const kept = s.placebos!.runs.filter((r) => r.gap).length;
      expect(kept).toBeGreaterThan(0);
      const gapPlot = svgs.nth(3);
      expect(await gapPlot.locator('path[stroke="#bbbbbb"], g[stroke="#bbbbbb"] path').count()).toBe(kept);
      const main = await page.locator('main').innerText();
      expect(main).toContain(fmt(s.estimate));
      expect(main).toContain(
        lang === 'en'
          ? `${s.placebos!.runs.length} donors fitted as if treated`
          : `${s.placebos!.runs.length} donantes ajustados como si fueran tratados`,
      );
      // Donor weights as the run computed them, and one leave-one-out row per weighted donor.
      const weights = page.locator('table', {
        has: page.locator('caption', {
          hasText: lang === 'en' ? /^Donor weights$/ : /^Pesos de los donantes$/,
        }),
      });
      expect(await weights.locator('tbody tr').count()).toBe(s.weights.length);
      expect(await weights.locator('tbody tr').first().innerText()).toContain(fmt(s.weights[0]!.weight));
      const loo = page.locator('table', {
        has: page.locator('caption', { hasText: lang === 'en' ? /Leave one out/ : /Dejando fuera/ }),
      });
      expect(await loo.locator('tbody tr').count()).toBe(s.leaveOneOut!.length);
      const balance = page.locator('table', {
        has: page.locator('caption', {
          hasText: lang === 'en' ? /Predictor balance/ : /Balance de los predictores/,
        }),
      });
      expect(await balance.locator('tbody tr').allInnerTexts()).toEqual([
        expect.stringContaining(lang === 'en' ? 'outcome 2001–2004' : 'resultado 2001–2004'),
        expect.stringContaining(lang === 'en' ? 'outcome 2005–2007' : 'resultado 2005–2007'),
      ]);
      // Synthetic DiD: each method's estimate in its table.
      for (const m of result.sdid!.methods) expect(main).toContain(fmt(m.estimate));
      await page.screenshot({ path: path.join(ARTIFACTS, `synth-evaluation-${lang}.png`), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });

  it('shows each cohort of a staggered synthetic DiD with its share and estimates', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    expect((await page.goto(`${server.base}/evaluations/${staggeredId}?lang=es`))!.status()).toBe(200);
    const table = page.locator('table', {
      has: page.locator('caption', { hasText: 'Cada cohorte frente a los donantes' }),
    });
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(staggered.sdid!.cohorts!.length);
    const first = staggered.sdid!.cohorts![0]!;
    const fmt = (v: number) => new Intl.NumberFormat('es-MX', { maximumFractionDigits: 3 }).format(v);
    expect(await rows.first().innerText()).toContain(fmt(first.estimates[0]!.estimate));
    expect(await page.locator('figure svg').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
