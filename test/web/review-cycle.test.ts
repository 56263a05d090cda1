/**
 * The monitoring cycle in a real browser (Debian's Chromium) against a real server on loopback, in
 * English and in Spanish: a U.S. reporter corrects a result and submits it (a value that is not a number
 * is refused beside its field, with what was typed kept); the anonymous API does not publish it; the
 * Mexican approver finds it awaiting approval, is refused a return without a comment, returns it with
 * one; the reporter sees the comment, corrects and resubmits; the approver approves, and the anonymous
 * API now publishes the new value. A decision on a version someone else has changed is refused with
 * 409 and changes nothing. The audit chain holds every step and verifies; no serious accessibility
 * violation on the new pages; an anonymous reader is sent to sign in.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { createAccount } from '../../src/accounts/users.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import type { RecordsStore } from '../../src/records/database.js';
import { createToken } from '../../src/records/token-repository.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const TEXT = {
  en: {
    user: 'User name',
    password: 'Password',
    signIn: 'Sign in',
    value: 'Value',
    submit: 'Submit for approval',
    notNumber: 'expected a number such as 12.5',
    submitted: 'is submitted to the other country',
    awaiting: /^Awaiting your approval \(\d+\)$/,
    comment: 'Comment for the reporter (required to return)',
    returnButton: 'Return to the reporter',
    needsComment: 'comment',
    returned: 'is returned to its reporter',
    returnedTitle: 'Returned to you (1)',
    correct: 'Correct and resubmit',
    approve: 'Approve',
    approved: 'is approved',
    stale: 'version',
    stepSubmitted: 'Submitted for approval',
    stepReopened: 'Changed after approval: sent for approval again',
    stepReturned: 'Returned with a comment',
    stepApproved: 'Approved',
  },
  es: {
    user: 'Nombre de usuario',
    password: 'Contraseña',
    signIn: 'Iniciar sesión',
    value: 'Valor',
    submit: 'Enviar para aprobación',
    notNumber: 'se esperaba un número como 12.5',
    submitted: 'se envió al otro país',
    awaiting: /^Pendientes de su aprobación \(\d+\)$/,
    comment: 'Comentario para quien reporta (obligatorio para devolver)',
    returnButton: 'Devolver a quien reporta',
    needsComment: 'comentario',
    returned: 'se devolvió a quien lo reporta',
    returnedTitle: 'Devueltos a usted (1)',
    correct: 'Corregir y reenviar',
    approve: 'Aprobar',
    approved: 'está aprobado',
    stale: 'versión',
    stepSubmitted: 'Enviado para aprobación',
    stepReopened: 'Cambiado tras la aprobación: enviado de nuevo para aprobación',
    stepReturned: 'Devuelto con un comentario',
    stepApproved: 'Aprobado',
  },
} as const;

(haveChromium ? describe : describe.skip)('the review cycle in Chromium', () => {
  let site: ExampleSite;
  let records: RecordsStore;
  let browser: Browser;
  let server: { base: string };
  let usToken: string;

  beforeAll(async () => {
    site = await openExampleSite([
      ['rita', 'US', 'INL', ['reporter']],
      ['mateo', 'MX', 'SSPC', ['approver']],
    ]);
    ({ records, browser } = site);
    server = { base: site.base };
    usToken = (
      await createToken(records, { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] }, 'test')
    ).token;
  }, 120_000);
  afterAll(() => site?.close());

  /** A browser of its own, signed in as `user`, in `lang` (sent to sign in, and brought back). */
  async function signedIn(user: string, lang: 'en' | 'es'): Promise<{ context: BrowserContext; page: Page }> {
    const page = await site.signedIn(user, lang, '/review');
    return { context: page.context(), page };
  }

  /** The result as the anonymous API publishes it (approved or locked only), or undefined. */
  const published = async (id: number) => {
    const rows = (await (await fetch(`${server.base}/api/v1/results`)).json()) as {
      id: number;
      value: number;
    }[];
    return rows.find((r) => r.id === id);
  };

  const auditSteps = async (id: number) =>
    (
      await records.db
        .selectFrom('audit_log')
        .select(['actor', 'after'])
        .where('entity', '=', 'result')
        .orderBy('id')
        .execute()
    )
      .filter((e) => (e.after as { id?: number } | null)?.id === id)
      .map((e) => `${e.actor}:${(e.after as { status: string }).status}`);

  for (const [lang, id, first, corrected] of [
    ['en', 2, '61.5', '62'],
    ['es', 3, '71', '72.25'],
  ] as const) {
    it(`runs submit, return, resubmit and approve in ${lang === 'en' ? 'English' : 'Spanish'}`, async () => {
      const text = TEXT[lang];
      const before = await published(id);
      expect(before).toBeDefined();

      // 1. The U.S. reporter corrects the result: a value that is not a number is refused beside it.
      const rita = await signedIn('rita', lang);
      await rita.page.goto(`${server.base}/results/${id}/edit`);
      expect(await seriousViolations(rita.page)).toEqual([]);
      await rita.page.getByLabel(text.value, { exact: true }).fill('12,5x');
      const refused = await Promise.all([
        rita.page.waitForResponse((r) => r.request().method() === 'POST'),
        rita.page.getByRole('button', { name: text.submit }).click(),
      ]);
      expect(refused[0].status()).toBe(422);
      expect(await rita.page.locator('#value-error').innerText()).toContain(text.notNumber);
      expect(await rita.page.getByLabel(text.value, { exact: true }).inputValue()).toBe('12,5x');
      if (process.env.MARCO_SHOTS)
        await rita.page.screenshot({
          path: `${process.env.MARCO_SHOTS}/edit-refused-${lang}.png`,
          fullPage: true,
        });
      await rita.page.getByLabel(text.value, { exact: true }).fill(first);
      await rita.page.getByRole('button', { name: text.submit }).click();
      await rita.page.waitForURL(/\/review\?done=submitted/);
      expect(await rita.page.getByRole('status').innerText()).toContain(text.submitted);

      // 2. Not published while it awaits approval: the anonymous API still has the approved value.
      expect(await published(id)).toBeUndefined();

      // 3. The Mexican approver finds it; a return without a comment is refused, then made with one.
      const mateo = await signedIn('mateo', lang);
      if (process.env.MARCO_SHOTS)
        await mateo.page.screenshot({
          path: `${process.env.MARCO_SHOTS}/review-${lang}.png`,
          fullPage: true,
        });
      const awaiting = mateo.page.getByRole('region', { name: text.awaiting });
      expect(await awaiting.locator(`#result-${id}`).count()).toBe(1);
      expect(await seriousViolations(mateo.page)).toEqual([]);
      const row = mateo.page.locator(`#result-${id}`);
      const noComment = await Promise.all([
        mateo.page.waitForResponse((r) => r.request().method() === 'POST'),
        row.getByRole('button', { name: text.returnButton }).click(),
      ]);
      expect(noComment[0].status()).toBe(422);
      expect(await mateo.page.getByRole('alert').innerText()).toContain(text.needsComment);
      const reason =
        lang === 'en' ? 'The count misses two institutions.' : 'Faltan dos instituciones en la cuenta.';
      await mateo.page.locator(`#result-${id}`).getByLabel(text.comment).fill(reason);
      await mateo.page.locator(`#result-${id}`).getByRole('button', { name: text.returnButton }).click();
      await mateo.page.waitForURL(/\/review\?done=returned/);
      expect(await mateo.page.getByRole('status').innerText()).toContain(text.returned);

      // 4. The reporter sees the comment, corrects the value and resubmits.
      await rita.page.goto(`${server.base}/review`);
      const returned = rita.page.getByRole('region', { name: text.returnedTitle });
      expect(await returned.locator(`#result-${id}`).innerText()).toContain(reason);
      await rita.page.locator(`#result-${id}`).getByRole('link', { name: text.correct }).click();
      expect(await rita.page.getByRole('note').innerText()).toContain(reason);
      await rita.page.getByLabel(text.value, { exact: true }).fill(corrected);
      await rita.page.getByRole('button', { name: text.submit }).click();
      await rita.page.waitForURL(/\/review\?done=submitted/);

      // 5. The approver approves; the anonymous API now publishes the corrected value.
      await mateo.page.goto(`${server.base}/review`);
      await mateo.page.locator(`#result-${id}`).getByRole('button', { name: text.approve }).click();
      await mateo.page.waitForURL(/\/review\?done=approved/);
      expect(await mateo.page.getByRole('status').innerText()).toContain(text.approved);
      expect((await published(id))?.value).toBe(Number(corrected));

      // Every step is in the audit log, by whom, and the chain verifies.
      expect((await auditSteps(id)).slice(-4)).toEqual([
        'rita:submitted',
        'mateo:draft',
        'rita:submitted',
        'mateo:approved',
      ]);
      expect((await verifyAudit(records)).tampered).toBe(false);
      // The history page tells the same steps, from the same log, with the return's comment.
      await rita.page.goto(`${server.base}/results/${id}/history`);
      expect(await seriousViolations(rita.page)).toEqual([]);
      const steps = await rita.page.locator('ol.history > li').allInnerTexts();
      expect(steps.slice(-4).map((s) => s.split('\n')[0]!.split(' · ').slice(0, 2).join(' · '))).toEqual([
        // The result was approved: a new value sends it for approval again.
        `${text.stepReopened} · rita`,
        `${text.stepReturned} · mateo`,
        `${text.stepSubmitted} · rita`,
        `${text.stepApproved} · mateo`,
      ]);
      expect(steps.at(-3)).toContain(reason);
      expect(steps.at(-2)).toContain(
        `${Number(corrected).toLocaleString(lang === 'en' ? 'en-US' : 'es-MX')}`,
      );
      if (process.env.MARCO_SHOTS)
        await rita.page.screenshot({
          path: `${process.env.MARCO_SHOTS}/history-${lang}.png`,
          fullPage: true,
        });
      await rita.context.close();
      await mateo.context.close();
    }, 120_000);
  }

  it('refuses a decision on a version someone else has changed, and changes nothing', async () => {
    const id = 4; // the U.S. result the example submits
    const mateo = await signedIn('mateo', 'en');
    const row = mateo.page.locator(`#result-${id}`);
    expect(await row.count()).toBe(1);
    // Meanwhile the reporter edits it through the API.
    const current = (await (
      await fetch(`${server.base}/api/v1/results?limit=1000`, {
        headers: { authorization: `Bearer ${usToken}` },
      })
    ).json()) as { id: number; version: number }[];
    const version = current.find((r) => r.id === id)!.version;
    const edit = await fetch(`${server.base}/api/v1/results/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${usToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version, comment: 'Checked against the ACA register.' }),
    });
    expect(edit.status).toBe(200);
    const stale = await Promise.all([
      mateo.page.waitForResponse((r) => r.request().method() === 'POST'),
      row.getByRole('button', { name: 'Approve' }).click(),
    ]);
    expect(stale[0].status()).toBe(409);
    expect(await mateo.page.getByRole('alert').innerText()).toContain(TEXT.en.stale);
    expect(await published(id)).toBeUndefined();
    await mateo.context.close();
  }, 60_000);

  it('tells a signed-in official without the role which roles the page needs', async () => {
    await createAccount(
      records,
      { user: 'vera', name: 'Vera', country: 'US', agency: 'INL', roles: ['viewer'] },
      PASSWORD,
      'test',
      USER_FIELDS,
    );
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.base}/login?next=%2Freview`);
    await page.getByLabel('User name').fill('vera');
    await page.getByLabel('Password').fill(PASSWORD);
    const answer = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/review'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(answer[0].status()).toBe(403);
    expect(await page.getByRole('alert').innerText()).toContain('reporter, approver');
    await context.close();
  }, 60_000);
});
