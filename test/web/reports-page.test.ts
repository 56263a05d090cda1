/**
 * The reports page in Chromium, in English and in Spanish: a U.S. reporter asks for a report (a wrong
 * period is refused beside its field and queues nothing), follows it, and downloads it; the file is the
 * one the job recorded, byte for byte (its SHA-256 shown on the page), and holds the report in the
 * language asked for. A Mexican approver asks for one in Spanish, cancels it, retries it and downloads
 * it, and cannot download the U.S. reporter's. axe finds no serious violation.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/jobs/job-worker.js';
import { getJob } from '../../src/records/job-repository.js';
import { jobHandlers } from '../../src/server/job-handlers.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

(haveChromium ? describe : describe.skip)('the reports page in Chromium', () => {
  let site: ExampleSite;
  let dir: string;
  let worker: Worker;
  let ritasJob = 0;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-reports-page-'));
    site = await openExampleSite(
      [
        ['rita', 'US', 'INL', ['reporter']],
        ['mateo', 'MX', 'SSPC', ['approver']],
      ],
      { jobsDir: dir },
    );
    // The worker runs when the test says, so each step is seen as it is.
    worker = await startWorker(
      site.records,
      { dir, handlers: jobHandlers(site.records, undefined, 'test') },
      false,
    );
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const jobCount = async () => (await site.records.db.selectFrom('jobs').select('id').execute()).length;

  it('asks for a report, follows it and downloads the file the job recorded, in English', async () => {
    const page = await site.signedIn('rita', 'en', '/reports');
    expect(await page.getByRole('link', { name: 'Reports' }).getAttribute('aria-current')).toBe('page');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.getByText('You have asked for no report yet.').count()).toBe(1);

    // A period that is not one: refused beside its field, nothing queued.
    await page.getByLabel('Period').fill('next year');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Make the report' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    expect(await page.locator('#period-error').innerText()).not.toBe('');
    expect(await page.getByLabel('Period').inputValue()).toBe('next year');
    expect(await jobCount()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Report', { exact: true }).selectOption('framework-performance');
    await page.getByLabel('Period').fill('FY2017');
    await page.getByLabel('HTML (one self-contained file)').check();
    await page.getByRole('button', { name: 'Make the report' }).click();
    await page.waitForURL(/done=queued/);
    ritasJob = (await site.records.db.selectFrom('jobs').select('id').executeTakeFirstOrThrow()).id;
    expect(await page.getByRole('status').innerText()).toContain(`Job ${ritasJob} is queued`);
    const row = page.locator(`#job-${ritasJob}`);
    expect(await row.innerText()).toContain('Framework performance report, FY2017, in English, as HTML');
    expect(await row.innerText()).toContain('queued');
    expect(await page.getByText('This page does not refresh by itself.').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    expect(await worker.runOnce()).toBe(true);
    await page.getByRole('link', { name: 'Check again' }).click();
    expect(await row.innerText()).toContain('done');
    const job = (await getJob(site.records, ritasJob))!;
    expect(await row.innerText()).toContain(job.output_sha256!);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Download job ${ritasJob}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`report-${ritasJob}.html`);
    const bytes = await readFile((await download.path())!);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(job.output_sha256);
    expect(bytes.toString('utf8')).toContain('<html lang="en"');
    expect(bytes.toString('utf8')).toContain('Framework performance report');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('cancels, retries and downloads a report in Spanish, and keeps another official’s report from them', async () => {
    const page = await site.signedIn('mateo', 'es', '/reports');
    expect(await seriousViolations(page)).toEqual([]);
    // Not theirs: as if it did not exist.
    const other = await page.request.get(`${site.base}/reports/jobs/${ritasJob}/output`);
    expect(other.status()).toBe(404);
    expect(await page.locator(`#job-${ritasJob}`).count()).toBe(0);

    await page.locator('select[name="template"]').selectOption('framework-performance');
    await page.getByLabel('Periodo').fill('FY2018');
    await page.getByLabel('HTML (un solo archivo autónomo)').check();
    await page.getByRole('button', { name: 'Generar el informe' }).click();
    await page.waitForURL(/done=queued/);
    const id = Math.max(
      ...(await site.records.db.selectFrom('jobs').select('id').execute()).map((j) => j.id),
    );
    const row = page.locator(`#job-${id}`);
    expect(await row.innerText()).toContain('Informe de desempeño del marco, FY2018, en español, como HTML');
    expect(await row.innerText()).toContain('en cola');

    await page.getByRole('button', { name: `Cancelar el trabajo ${id}` }).click();
    await page.waitForURL(/done=cancelled/);
    expect(await row.innerText()).toContain('cancelado');
    expect(await worker.runOnce()).toBe(false);
    await page.getByRole('button', { name: `Reintentar el trabajo ${id}` }).click();
    await page.waitForURL(/done=retried/);
    expect(await page.getByRole('status').innerText()).toContain(`El trabajo ${id} está otra vez en cola`);
    expect(await worker.runOnce()).toBe(true);
    await page.getByRole('link', { name: 'Consultar de nuevo' }).click();
    expect(await row.innerText()).toContain('terminado');
    expect(await seriousViolations(page)).toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Descargar el trabajo ${id}` }).click(),
    ]);
    const bytes = await readFile((await download.path())!);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      (await getJob(site.records, id))!.output_sha256,
    );
    expect(bytes.toString('utf8')).toContain('<html lang="es"');
    expect(bytes.toString('utf8')).toContain('Informe de desempeño del marco');
    // A retry of a finished job is refused, with the reason on the page.
    const token = await page.locator('input[name=_csrf]').first().inputValue();
    const again = await page.request.post(`${site.base}/reports/jobs/${id}/retry`, {
      form: { _csrf: token },
      headers: { origin: site.base },
    });
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain('solo se reintenta un trabajo fallido o cancelado');
  });
});
