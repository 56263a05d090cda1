/**
 * Notices in Chromium, in English and in Spanish. A reporter sets an e-mail address and follows a place
 * (a wrong setting is refused beside its field, changing nothing), and makes a private feed address;
 * a Mexican approver sees the count of unread notices in the navigation, reads the notice of a U.S.
 * submission in Spanish, follows it to the review page and marks it read. The private feed and the
 * program's public feed validate as Atom (xmllint against RFC 4287's schema); a wrong feed key is a
 * 404. An admin adds a webhook (the secret shown once) and disables it. axe finds no serious violation.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { resultCreator } from '../../src/monitoring/result-creator.js';
import { resultEditor } from '../../src/monitoring/result-editor.js';
import { createResult } from '../../src/records/result-entry.js';
import { updateResult } from '../../src/records/result-repository.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';
import { countRows } from '../records/stores.js';

const run = promisify(execFile);
const ATOM_SCHEMA = new URL('../fixtures/atom/atom.rng', import.meta.url).pathname;
const haveXmllint = await run('xmllint', ['--version']).then(
  () => true,
  () => false,
);
if (!haveXmllint && process.env.CI === 'true') throw new Error('CI=true but xmllint is missing');

/** xmllint's verdict on an Atom document, against RFC 4287's schema. */
async function validateAtom(dir: string, xml: string): Promise<string> {
  const file = path.join(dir, `feed-${Math.random().toString(36).slice(2)}.xml`);
  await writeFile(file, xml);
  const out = await run('xmllint', ['--noout', '--relaxng', ATOM_SCHEMA, file]).catch(
    (e: { stderr: string }) => ({ stderr: e.stderr }),
  );
  return out.stderr.trim().split('\n').at(-1)!;
}

const rita: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };
const mateo: Official = { user: 'mateo', country: 'MX', agency: 'SSPC', roles: ['approver'] };

(haveChromium && haveXmllint ? describe : describe.skip)('notices in Chromium', () => {
  let site: ExampleSite;
  let dir: string;
  let result = 0;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-feeds-'));
    site = await openExampleSite([
      ['rita', 'US', 'INL', ['reporter']],
      ['mateo', 'MX', 'SSPC', ['approver']],
      ['ada', 'MX', 'SSPC', ['admin']],
    ]);
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a reporter’s settings, refusing a wrong one beside its field, in English', async () => {
    const page = await site.signedIn('rita', 'en', '/settings/notifications');
    expect(await seriousViolations(page)).toEqual([]);
    // E-mail on without an address: refused, nothing written.
    const before = await countRows(site.records);
    await page.getByLabel('Also send me each notice by e-mail').check();
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    expect(await page.locator('#email-error').innerText()).toContain('Give an e-mail address');
    expect(await countRows(site.records)).toEqual(before);
    await page.getByLabel('E-mail address').fill('rita@state.example');
    await page.getByLabel('Spanish').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=saved/);
    expect(await page.getByRole('status').innerText()).toBe('Your settings were saved.');
    expect(await page.getByLabel('E-mail address').inputValue()).toBe('rita@state.example');
    expect(await page.getByLabel('Spanish').isChecked()).toBe(true);
    // A place that is not a place code; then Chihuahua.
    await page.getByLabel('Place code').fill('Chihuahua!');
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    expect(await page.locator('#place-error').innerText()).not.toBe('');
    await page.getByLabel('Place code').fill('08');
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.waitForURL(/done=followed/);
    expect(await page.getByRole('button', { name: 'Stop following 08' }).count()).toBe(1);
    const users = await site.records.db
      .selectFrom('users')
      .select(['email', 'language', 'email_notifications'])
      .where('user_name', '=', 'rita')
      .executeTakeFirstOrThrow();
    expect(users).toEqual({ email: 'rita@state.example', language: 'es', email_notifications: true });
    const audited = await site.records.db
      .selectFrom('audit_log')
      .select('entity')
      .where('actor', '=', 'rita')
      .execute();
    expect(audited.map((a) => a.entity)).toEqual(expect.arrayContaining(['user', 'followed place']));
    await page.context().close();
  }, 60_000);

  it('shows a Mexican approver the notice of a U.S. submission, in Spanish, and a feed that validates as Atom', async () => {
    result = (
      await createResult(
        site.records,
        { indicator: 'EX-ACA-ACCREDITED', period: '2018-01', place: '08', value: 4, status: 'submitted' },
        { actor: 'rita' },
        resultCreator(rita),
      )
    ).id;
    const page = await site.signedIn('mateo', 'es', '/settings/notifications');
    await page.getByRole('button', { name: 'Crear la dirección del canal' }).click();
    const feedUrl = await page.locator('code.secret').innerText();
    expect(feedUrl).toMatch(/\/feeds\/inbox\.atom\?key=mfk_/);
    await page.goto(`${site.base}/inbox`);
    expect(await seriousViolations(page)).toEqual([]);
    const notice = page.locator('li.notice.unread').first();
    expect(await notice.innerText()).toContain('enviado a su aprobación por rita');
    // The example workspace's own submissions await him too: the navigation counts them all.
    const unread = await page.locator('li.notice.unread').count();
    expect(unread).toBeGreaterThan(1);
    expect(await page.getByRole('link', { name: `Avisos, ${unread} sin leer` }).count()).toBe(1);

    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(feed.headers.get('cache-control')).toBe('private, no-store');
    const xml = await feed.text();
    expect(await validateAtom(dir, xml)).toMatch(/validates$/);
    expect(xml).toContain('enviado a su aprobación por rita');
    expect(xml).toContain('xml:lang="es"');
    // Change the key's first character to one it is not, so the key is surely wrong.
    const wrongKey = feedUrl.replace(/key=mfk_(.)/, (_m, c: string) => `key=mfk_${c === 'x' ? 'y' : 'x'}`);
    expect(wrongKey).not.toBe(feedUrl);
    const wrong = await fetch(wrongKey);
    expect(wrong.status).toBe(404);

    await notice.getByRole('link').click();
    // One notice read by itself, then the rest at once.
    await page.waitForURL(new RegExp(`/review/${result}$`));
    await page.goto(`${site.base}/inbox`);
    await page.locator('li.notice.unread').first().getByRole('button', { name: 'Marcar como leído' }).click();
    await page.waitForURL(/done=read/);
    expect(await page.getByRole('status').innerText()).toBe('Un aviso marcado como leído.');
    await page.getByRole('button', { name: 'Marcar todo como leído' }).click();
    await page.waitForURL(/done=read/);
    expect(await page.getByRole('status').innerText()).toBe(`${unread - 1} avisos marcados como leídos.`);
    expect(await page.locator('li.notice.unread').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Avisos', exact: true }).count()).toBe(1);
    await page.context().close();
  }, 60_000);

  it('publishes a program’s approved results as an Atom feed, counting none before approval', async () => {
    const url = `${site.base}/programs/EX-CORRECTIONS/results.atom?lang=en`;
    const before = await (await fetch(url)).text();
    expect(await validateAtom(dir, before)).toMatch(/validates$/);
    expect(before).not.toContain(`/results/${result}<`);
    const { version } = await site.records.db
      .selectFrom('results')
      .select('version')
      .where('id', '=', result)
      .executeTakeFirstOrThrow();
    const patch = { version, status: 'approved' as const };
    await updateResult(
      site.records,
      result,
      patch,
      { actor: 'mateo' },
      resultEditor(mateo, patch, String(result)),
    );
    const after = await (await fetch(url)).text();
    expect(await validateAtom(dir, after)).toMatch(/validates$/);
    expect(after).toContain(`<id>${site.base}/results/${result}</id>`);
    // Anonymous: no official's name.
    expect(after).not.toContain('mateo');
    expect(after).not.toContain('rita');
    expect((await fetch(`${site.base}/programs/NO-SUCH/results.atom`)).status).toBe(404);
  });

  it('lets an admin add a webhook, showing its secret once, and disable it', async () => {
    const page = await site.signedIn('ada', 'es', '/admin/webhooks');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Dirección (https://…)').fill('ftp://receiver.example/marco');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Agregar webhook' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    expect(await page.locator('#url-error').innerText()).toContain('http:// o https://');
    expect(await site.records.db.selectFrom('webhooks').selectAll().execute()).toEqual([]);
    await page.getByLabel('Dirección (https://…)').fill('https://receiver.example/marco');
    await page.getByRole('button', { name: 'Agregar webhook' }).click();
    const secret = await page.locator('code.secret').innerText();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.goto(`${site.base}/admin/webhooks`);
    expect(await page.content()).not.toContain(secret);
    const log = await site.records.db
      .selectFrom('audit_log')
      .select(['after'])
      .where('entity', '=', 'webhook')
      .execute();
    expect(JSON.stringify(log)).not.toContain(secret);
    const row = page.locator('tbody tr').first();
    const id = Number((await row.getAttribute('id'))!.replace('webhook-', ''));
    await row.getByRole('button', { name: `Desactivar el webhook ${id}` }).click();
    await page.waitForURL(/done=disabled/);
    expect(await page.getByRole('status').innerText()).toBe(`Se desactivó el webhook ${id}.`);
    await page.context().close();
  }, 60_000);
});
