/**
 * The organisations and statistics-vintages administration pages in Chromium. An admin adds an agency
 * of Mexico (a code with a space is refused beside its field, changing nothing), renames it, and
 * a rename made meanwhile by someone else is refused as stale, not lost. A data steward rolls back a
 * real import only once the confirmation is ticked, and the page and the audit log say so. axe finds no
 * serious violation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveOrganisationAs } from '../../src/accounts/organisation-admin.js';
import { importAudited } from '../../src/custody/statistics-custody.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { countRows } from '../records/stores.js';
import { sharedFile } from '../stats/shared-data.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const STATES = sharedFile('geo/cve_nom_estados.csv');

(haveChromium && STATE && STATES ? describe : describe.skip)('organisations and vintages pages', () => {
  let site: ExampleSite;
  let stats: StatsStore;
  let dir: string;
  let vintage = 0;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-admin-records-'));
    stats = await openStats({ dataDir: dir });
    site = await openExampleSite(
      [
        ['ada', 'MX', 'SSPC', ['admin']],
        ['dora', 'MX', 'SSPC', ['data_steward']],
      ],
      { stats },
    );
    await importFile(stats, sourceById('inegi-geo-catalog')!, STATES!, { version: 'test' });
    vintage = (
      await importAudited(stats, site.records, sourceById('inegi-homicides-state')!, STATE!, {
        version: 'test',
        importedBy: 'dora',
        origin: 'test',
      })
    ).vintage;
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds and renames an agency, refusing a missing name and a stale change', async () => {
    const page = await site.signedIn('ada', 'en', '/admin/organisations');
    expect(await seriousViolations(page)).toEqual([]);
    const before = await countRows(site.records);
    // A code with a space: refused by the server, in the page's language, beside the field.
    await page.getByLabel('Code').fill('SSPC GN');
    await page.getByLabel('Name in English').fill('National Guard');
    await page.getByLabel('Name in Spanish').fill('Guardia Nacional');
    await page.getByLabel('Part of').selectOption('SSPC');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add the organisation' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    expect(await page.locator('#code-error').innerText()).not.toBe('');
    expect(await page.getByLabel('Name in English').inputValue()).toBe('National Guard');
    expect(await countRows(site.records)).toEqual(before);
    await page.getByLabel('Code').fill('SSPC-GN');
    await page.getByRole('button', { name: 'Add the organisation' }).click();
    await page.waitForURL(/done=saved/);
    expect(await page.getByRole('status').innerText()).toBe('Organisation SSPC-GN was saved.');
    expect(await page.locator('#org-SSPC-GN').innerText()).toContain('National Guard');

    // Renamed; then a second tab's rename of the version it read is refused.
    await page.getByRole('link', { name: 'Change National Guard' }).click();
    await page.getByLabel('Name in English').fill('National Guard of Mexico');
    await page.getByRole('button', { name: 'Save the change' }).click();
    await page.waitForURL(/done=saved/);
    await page.getByRole('link', { name: 'Change National Guard of Mexico' }).click();
    await saveOrganisationAs(
      site.records,
      { user: 'ada', country: 'MX', agency: 'SSPC', roles: ['admin'] },
      {
        code: 'SSPC-GN',
        name: { en: 'Guardia', es: 'Guardia Nacional' },
        kind: 'government',
        parent: 'SSPC',
        country: 'MX',
        version: 2,
      },
      { actor: 'ada' },
    );
    await page.getByLabel('Name in English').fill('GN');
    const [stale] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save the change' }).click(),
    ]);
    expect(stale.status()).toBe(409);
    expect(await page.getByRole('alert').innerText()).toContain('changed by someone else');
    expect(await page.locator('#org-SSPC-GN').innerText()).toContain('Guardia');
    await page.context().close();
  }, 60_000);

  it('rolls back an import only with the confirmation ticked, in Spanish', async () => {
    const page = await site.signedIn('dora', 'es', '/admin/vintages');
    expect(await seriousViolations(page)).toEqual([]);
    const row = page.locator(`#vintage-${vintage}`);
    expect(await row.innerText()).toContain('mexico-state-month-homicide-rates-2000-2022.csv');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      row.getByRole('button', { name: `Revertir la versión ${vintage}` }).click(),
    ]);
    expect(refused.status()).toBe(422);
    expect(await page.locator(`#confirm-${vintage}-error`).innerText()).toContain('Marque la confirmación');
    const [found] = await stats.all<{ withdrawn: string | null }>(
      `select withdrawn_at::varchar as withdrawn from vintages where id = $1`,
      [vintage],
    );
    expect(found?.withdrawn).toBeNull();
    await page.getByLabel(`Confirmo revertir la versión ${vintage}`).check();
    await page.getByRole('button', { name: `Revertir la versión ${vintage}` }).click();
    await page.waitForURL(/done=rolledBack/);
    expect(await page.getByRole('status').innerText()).toMatch(
      new RegExp(`^Se revirtió la versión ${vintage}: [\\d,]+ filas retiradas`),
    );
    expect(await page.locator(`#vintage-${vintage}`).innerText()).toContain('Revertida por dora');
    const log = await site.records.db
      .selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('entity', '=', 'statistics vintage')
      .where('entity_key', '=', String(vintage))
      .orderBy('id')
      .execute();
    expect(log.map((l) => l.actor)).toEqual(['dora', 'dora']);
    await page.context().close();
  }, 60_000);
});
