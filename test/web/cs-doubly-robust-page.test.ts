/**
 * A saved Callaway–Sant'Anna run with covariates and a restricted placebo pool, on its page in Chromium,
 * in English and Spanish: the doubly robust estimator's covariates, the pool and the placebos that could
 * not be estimated are said next to the overall effect, with the run's own numbers; the warning is
 * listed; no console error or failed request, and no serious accessibility problem.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluate, type EvaluationResult, type EvaluationSpec } from '../../src/eval/evaluate.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { saveEvaluation } from '../../src/records/evaluation-repository.js';
import { createApp } from '../../src/server/app.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { EVENTS, POP, STATE, stateStatsStore } from '../eval/state-panel.js';
import { seriousViolations } from './axe.js';
import { CHROMIUM, haveChromium, listen } from './chromium.js';

const EXAMPLE = path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-doubly-robust.yaml');

(haveChromium && STATE && POP && EVENTS ? describe : describe.skip)('a doubly robust run’s page', () => {
  const stats = stateStatsStore();
  let records: RecordsStore;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let run: EvaluationResult;
  let id: number;

  beforeAll(async () => {
    records = await openRecords({ memory: true });
    // Fewer draws than the file's, for speed: the texts are the same.
    const spec = parse(await readFile(EXAMPLE, 'utf8')) as EvaluationSpec & { estimators: { cs: object } };
    spec.estimators.cs = { ...spec.estimators.cs, draws: 199, permutations: 199 };
    run = await evaluate(stats(), spec, 'test');
    id = await saveEvaluation(records, run, { actor: 'ana' });
    server = await listen(createApp({ store: records, stats: stats() }));
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await records?.close();
  });

  for (const lang of ['en', 'es'] as const)
    it(`says the covariates, the pool and the failed placebos (${lang})`, async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
      expect((await page.goto(`${server.base}/evaluations/${id}?lang=${lang}`))!.status()).toBe(200);
      const main = await page.locator('main').innerText();
      const ri = run.cs!.randomization!;
      expect(ri.failed).toBeGreaterThan(0);
      if (lang === 'en') {
        expect(main).toContain(
          'Doubly robust (Sant’Anna and Zhao 2020), 2 covariates: outcome 2001–2005; population, count, 2001–2005.',
        );
        expect(main).toContain(
          'Placebo pool: each cohort moves within its size band (one of 2 of equal count)',
        );
        expect(main).toContain(`${ri.failed} reassignments could not be estimated`);
        expect(main).toContain(`${ri.failed} of 199 reassignments could not be estimated`);
      } else {
        expect(main).toContain(
          'Doblemente robusto (Sant’Anna y Zhao 2020), 2 covariables: resultado 2001–2005;',
        );
        expect(main).toContain('Conjunto de placebos: cada cohorte se mueve dentro de su banda de tamaño');
        expect(main).toContain(`${ri.failed} reasignaciones no pudieron estimarse`);
      }
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
});
