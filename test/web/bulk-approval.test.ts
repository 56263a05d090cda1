/**
 * Approving a program's period in Chromium, in English and in Spanish: the Mexican approver filters the
 * review page by program and period, is offered to approve them all, confirms on a page that lists each
 * result, and the anonymous API then publishes them all. A result changed between the confirmation page
 * and the click stops the batch with 409, naming it, and nothing is approved. No serious accessibility
 * violation on the confirmation page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { resultCreator } from '../../src/monitoring/result-creator.js';
import { createResult } from '../../src/records/result-entry.js';
import { listResults, updateResult } from '../../src/records/result-repository.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const reporterUS: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };

const TEXT = {
  en: {
    apply: 'Apply',
    offer: /^Approve all 3 of this program and period/,
    confirm: 'Approve these 3 results',
    done: '3 results are approved',
    stopped: 'Nothing was approved',
  },
  es: {
    apply: 'Aplicar',
    offer: /^Aprobar los 4 de este programa y periodo/,
    confirm: 'Aprobar estos 4 resultados',
    done: '4 resultados están aprobados',
    stopped: 'no se aprobó nada',
  },
} as const;

(haveChromium ? describe : describe.skip)('bulk approval in Chromium', () => {
  let site: ExampleSite;
  beforeAll(async () => {
    site = await openExampleSite([['mateo', 'MX', 'SSPC', ['approver']]]);
    // Counts of three states for two months, submitted beside the national ones.
    for (const period of ['2017-08', '2018-01'])
      for (const place of ['08', '02', '19'])
        await createResult(
          site.records,
          { indicator: 'EX-ACA-ACCREDITED', period, place, value: 2, status: 'submitted' },
          { actor: 'rita' },
          resultCreator(reporterUS),
        );
  }, 120_000);
  afterAll(() => site?.close());

  const publishedPlaces = async (period: string) =>
    (
      (await (
        await fetch(`${site.base}/api/v1/results?indicator=EX-ACA-ACCREDITED&period=${period}`)
      ).json()) as {
        place: string;
      }[]
    )
      .map((r) => r.place)
      .sort();

  it('stops the batch when a result changed after the page was shown, approving nothing', async () => {
    const page = await site.signedIn('mateo', 'es', '/review');
    await page.goto(`${site.base}/review/approve-all?program=EX-CORRECTIONS&period=2018-01`);
    expect(await page.getByRole('row').count()).toBe(5); // the header and 4 results
    // Meanwhile the reporter corrects one of them.
    const [one] = (await listResults(site.records, reporterUS, { place: '19', period: '2018-01' })).results;
    await updateResult(site.records, one!.id, { version: one!.version, value: 3 }, { actor: 'rita' });
    const answer = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: TEXT.es.confirm }).click(),
    ]);
    expect(answer[0].status()).toBe(409);
    expect(await page.getByRole('alert').innerText()).toContain(
      `${TEXT.es.stopped}: el resultado ${one!.id}`,
    );
    expect(await publishedPlaces('2018-01')).toEqual([]);
    await page.context().close();
  }, 60_000);

  for (const [lang, period] of [
    ['en', '2017-08'],
    ['es', '2018-01'],
  ] as const) {
    it(`approves a program's period after confirming, in ${lang === 'en' ? 'English' : 'Spanish'}`, async () => {
      const text = TEXT[lang];
      const page = await site.signedIn('mateo', lang, '/review');
      await page.locator('select[name=program]').selectOption('EX-CORRECTIONS');
      await page.locator('select[name=period]').selectOption(period);
      await page.getByRole('button', { name: text.apply }).click();
      await page.getByRole('link', { name: text.offer }).click();
      await page.waitForURL(/\/review\/approve-all/);
      expect(await seriousViolations(page)).toEqual([]);
      if (process.env.MARCO_SHOTS)
        await page.screenshot({ path: `${process.env.MARCO_SHOTS}/approve-all-${lang}.png`, fullPage: true });
      await page.getByRole('button', { name: text.confirm }).click();
      await page.waitForURL(/done=approvedAll/);
      expect(await page.getByRole('status').innerText()).toContain(text.done);
      // The national count of August 2017 was approved already; January 2018's is approved with the rest.
      expect(await publishedPlaces(period)).toEqual(['02', '08', '19', 'MX']);
      await page.context().close();
    }, 60_000);
  }
});
