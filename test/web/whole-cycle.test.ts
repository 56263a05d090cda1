/**
 * The whole monitoring cycle in Chromium, in English and in Spanish, as issue 13 asks: a U.S. reporter
 * signs in, enters a result with a PDF attachment and submits it; the anonymous scorecard does not count
 * it; a Mexican approver finds it in the queue and returns it with a comment; the reporter sees the
 * comment, corrects the result and resubmits it; the approver approves it, and the anonymous scorecard
 * now counts it; an admin locks the period, and the reporter can no longer edit; the audit chain verifies,
 * and the result's history page shows every step. A screenshot of each step is saved under
 * `test-artifacts/cycle/`.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { listResults } from '../../src/records/result-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { workspace } from '../fixtures/workspace.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const SHOTS = 'test-artifacts/cycle';
const RITA: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };

const TEXT = {
  en: {
    indicator: 'Mexican penitentiary institutions accredited by the ACA',
    period: 'Period',
    value: /^Value/,
    files: 'Evidence files',
    submit: 'Submit for approval',
    comment: 'Comment for the reporter (required to return)',
    returnButton: 'Return to the reporter',
    correct: 'Correct and resubmit',
    approve: 'Approve',
    lock: (period: string) => `Lock ${period}`,
    locked: 'is locked',
    notEditable: 'cannot be changed here',
    steps: [
      'Entered',
      'Evidence file attached',
      'Returned with a comment',
      'Submitted for approval',
      'Approved',
      'Locked with its period',
    ],
  },
  es: {
    indicator: 'Instituciones penitenciarias mexicanas acreditadas por la ACA',
    period: 'Periodo',
    value: /^Valor/,
    files: 'Archivos de evidencia',
    submit: 'Enviar para aprobación',
    comment: 'Comentario para quien reporta (obligatorio para devolver)',
    returnButton: 'Devolver a quien reporta',
    correct: 'Corregir y reenviar',
    approve: 'Aprobar',
    lock: (period: string) => `Cerrar ${period}`,
    locked: 'está cerrado',
    notEditable: 'no se puede cambiar aquí',
    steps: [
      'Capturado',
      'Archivo de evidencia adjuntado',
      'Devuelto con un comentario',
      'Enviado para aprobación',
      'Aprobado',
      'Cerrado con su periodo',
    ],
  },
} as const;

(haveChromium ? describe : describe.skip)('the whole monitoring cycle in Chromium', () => {
  let site: ExampleSite;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    site = await openExampleSite([
      ['rita', 'US', 'INL', ['reporter']],
      ['mateo', 'MX', 'SSPC', ['approver']],
      ['ada', 'US', 'INL', ['admin']],
    ]);
    // INL's admins declare the months of the 2018 accreditation counts.
    await loadWorkspace(
      site.records,
      workspace({ periods: [{ code: '2018-07' }, { code: '2018-08' }] }, { country: 'US', agency: 'INL' }),
      { actor: 'ada' },
    );
  }, 120_000);
  afterAll(() => site?.close());

  /** How many results the anonymous scorecard counts for the program's FY2018, and its actual. */
  async function anonymousFY2018() {
    const card = (await (await fetch(`${site.base}/api/v1/scorecards?program=EX-CORRECTIONS`)).json()) as {
      programs: { indicators: { periods: { period: string; results: number; actual: number | null }[] }[] }[];
    };
    const fy = card.programs[0]!.indicators[0]!.periods.find((p) => p.period === 'FY2018')!;
    return { results: fy.results, actual: fy.actual };
  }

  for (const [lang, period, first, corrected] of [
    ['en', '2018-07', '95', '96'],
    ['es', '2018-08', '97', '98'],
  ] as const) {
    it(`runs enter, return, correct, approve and lock in ${lang === 'en' ? 'English' : 'Spanish'}`, async () => {
      const text = TEXT[lang];
      let step = 0;
      const shot = (page: Page, name: string) =>
        page.screenshot({ path: `${SHOTS}/${lang}-${++step}-${name}.png`, fullPage: true });

      // 1. The U.S. reporter enters the result, with a PDF, and submits it.
      const rita = await site.signedIn('rita', lang, '/results/new');
      await rita.getByRole('link', { name: text.indicator }).click();
      await rita.getByLabel(text.period).selectOption(period);
      await rita.getByLabel(text.value).fill(first);
      const report = await (await rita.context().newPage()).pdf();
      await rita
        .getByLabel(text.files)
        .setInputFiles({ name: `aca-${period}.pdf`, mimeType: 'application/pdf', buffer: report });
      await shot(rita, 'entry');
      const counted = await anonymousFY2018();
      await rita.getByRole('button', { name: text.submit }).click();
      await rita.waitForURL(/done=submitted/);
      const [result] = (
        await listResults(site.records, RITA, { indicator: 'EX-ACA-ACCREDITED', period, place: 'MX' })
      ).results;
      expect(result).toMatchObject({ status: 'submitted', value: Number(first) });
      const id = result!.id;
      await shot(rita, 'submitted');

      // 2. The anonymous scorecard does not count it.
      expect(await anonymousFY2018()).toEqual(counted);

      // 3. The Mexican approver finds it and returns it with a comment.
      const mateo = await site.signedIn('mateo', lang, '/review');
      const row = mateo.locator(`#result-${id}`);
      expect(await row.getByRole('link', { name: `aca-${period}.pdf` }).count()).toBe(1);
      const reason =
        lang === 'en' ? 'The ACA list of July has one more.' : 'La lista de la ACA de agosto tiene una más.';
      await row.getByLabel(text.comment).fill(reason);
      await shot(mateo, 'review');
      await row.getByRole('button', { name: text.returnButton }).click();
      await mateo.waitForURL(/done=returned/);
      await shot(mateo, 'returned');

      // 4. The reporter sees the comment, corrects the value and resubmits.
      await rita.goto(`${site.base}/review`);
      expect(await rita.locator(`#result-${id}`).innerText()).toContain(reason);
      await rita.locator(`#result-${id}`).getByRole('link', { name: text.correct }).click();
      expect(await rita.getByRole('note').innerText()).toContain(reason);
      await rita.getByLabel(text.value).fill(corrected);
      await shot(rita, 'correct');
      await rita.getByRole('button', { name: text.submit }).click();
      await rita.waitForURL(/done=submitted/);

      // 5. The approver approves it; the anonymous scorecard now counts it.
      await mateo.goto(`${site.base}/review`);
      await mateo.locator(`#result-${id}`).getByRole('button', { name: text.approve }).click();
      await mateo.waitForURL(/done=approved/);
      await shot(mateo, 'approved');
      // The count is a level: the scorecard's FY2018 actual is the latest approved month's, now this one.
      const now = await anonymousFY2018();
      expect(now).not.toEqual(counted);
      expect(now.actual).toBe(Number(corrected));

      // 6. An admin locks the period; the reporter can no longer edit.
      const ada = await site.signedIn('ada', lang, '/admin/periods');
      expect(await seriousViolations(ada)).toEqual([]);
      await ada.getByRole('button', { name: text.lock(period) }).click();
      await ada.waitForURL(/done=locked/);
      expect(await ada.getByRole('status').innerText()).toContain(text.locked);
      await shot(ada, 'locked');
      await rita.goto(`${site.base}/results/${id}/edit`);
      expect(await rita.locator('form.result-edit').count()).toBe(0);
      expect(await rita.locator('main').innerText()).toContain(text.notEditable);
      await shot(rita, 'no-edit');

      // 7. The audit chain verifies, and the history shows every step.
      expect((await verifyAudit(site.records)).tampered).toBe(false);
      await rita.goto(`${site.base}/results/${id}/history`);
      expect(await seriousViolations(rita)).toEqual([]);
      const steps = await rita.locator('ol.history > li strong').allInnerTexts();
      expect(steps).toEqual(text.steps);
      expect(await rita.locator('ol.history').innerText()).toContain(reason);
      await shot(rita, 'history');
      for (const page of [rita, mateo, ada]) await page.context().close();
    }, 180_000);
  }
});
