/**
 * The funding pages in Chromium, over the example workspace's illustrative lines and the starter
 * snapshot (which holds USAID's Foreign Aid Explorer file, so constant dollars are offered): the
 * country, a program and a framework node, in English and Spanish, pass axe-core with no serious
 * violation and are saved as screenshots; the share and the pipeline are charted, each chart with its
 * table; a bad `dollars` is a 400 page in the reader's language. The CSV and XLSX downloads carry the
 * same columns and cells, approved lines only, and a note that a spreadsheet would read as a formula is
 * neutralised in both.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { saveFundingLines } from '../../src/funding/funding-service.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { ensureStarter } from '../../src/stats/starter.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const ARTIFACTS = path.join(PACKAGE_ROOT, 'test-artifacts');

(haveChromium ? describe : describe.skip)('funding pages in Chromium', () => {
  let site: ExampleSite;
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await ensureStarter(stats, 'test');
    site = await openExampleSite([], { stats });
    // An approved line whose note a spreadsheet would evaluate, for the downloads' formula guard.
    await saveFundingLines(
      site.records,
      'operator',
      [
        {
          fiscal_year: 'FY2019',
          account: 'NADR',
          stage: 'obligation',
          node: 'merida:1',
          amount: 250_000,
          source: 'Illustrative figure, not an official record',
          note: '=HYPERLINK("http://example.invalid","x")',
          status: 'approved',
        } as never,
      ],
      { country: 'US', agency: 'STATE', classification: 'public' },
      { actor: 'test' },
    );
    await site.records.db
      .updateTable('funding_lines')
      .set({ status: 'approved' })
      .where('account', '=', 'NADR')
      .execute();
    await mkdir(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await site?.close();
    stats?.close();
  });

  const open = async (url: string, shot: string, status = 200) => {
    const page = await site.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const response = await page.goto(site.base + url);
    expect(response!.status(), url).toBe(status);
    expect(await seriousViolations(page), url).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, `${shot}.png`), fullPage: true });
    return page;
  };

  it('charts the country’s money, its pipeline and its security share, in English and Spanish', async () => {
    const en = await open('/funding?lang=en', 'funding-en');
    expect(await en.locator('h1').innerText()).toBe('Funding for U.S.–Mexico security cooperation');
    for (const name of [
      /Budget, obligations and disbursements by fiscal year/,
      /Obligated and not yet disbursed, by fiscal year and account/,
      /Security and development shares by fiscal year, obligation stage/,
      /Obligations of the Mérida Initiative by top-level node/,
    ])
      expect(await en.getByRole('img', { name }).count(), String(name)).toBe(1);
    // Each chart's data is in a table: FY2017's security share is 14.6M of 18.6M obligated.
    const share = en.locator('table', {
      has: en.locator('caption', { hasText: 'Security and development shares' }),
    });
    expect(await share.locator('tr', { hasText: 'FY2017' }).innerText()).toMatch(
      /\$14,600,000\s+\$4,000,000\s+78%/,
    );
    expect(await en.locator('.takeaway').innerText()).toMatch(
      /^From FY2016 to FY2019, \$[\d,]+ was obligated/,
    );
    await en.getByRole('link', { name: 'constant dollars of FY2021' }).click();
    expect(en.url()).toContain('dollars=constant');
    expect(await en.locator('main').innerText()).toContain("USAID's Foreign Aid Explorer");
    expect(await seriousViolations(en)).toEqual([]);
    await en.close();

    const es = await open('/funding?lang=es&dollars=constant', 'funding-es');
    expect(await es.locator('h1').innerText()).toBe(
      'Financiamiento de la cooperación en seguridad México–Estados Unidos',
    );
    expect(await es.getByRole('img', { name: /Proporciones de seguridad y desarrollo/ }).count()).toBe(1);
    expect(
      await es.getByRole('heading', { name: 'Pendiente de desembolso y tasa de ejecución' }).count(),
    ).toBe(1);
    await es.close();
  }, 120_000);

  it('shows a program’s and a node’s funding beside results, and refuses a bad dollars', async () => {
    const program = await open('/programs/EX-CORRECTIONS/funding?lang=es', 'funding-program-es');
    // The output indicator's cost per unit: approved disbursements over the institutions accredited.
    const aca = program.locator('tr', { hasText: 'Instituciones penitenciarias' }).first();
    expect(await aca.locator('td').last().innerText()).toMatch(
      /^USD\s[\d,]+\s+desembolsado por instituciones$/,
    );
    expect(await program.locator('table', { hasText: 'Costo por unidad' }).innerText()).toMatch(
      /por instituciones/,
    );
    await program.close();
    const node = await open('/nodes/merida:1/funding?lang=en', 'funding-node-en');
    expect(await node.locator('h1').innerText()).toBe(
      'Funding: Disrupt the capacity of organised crime to operate',
    );
    await node.close();
    const bad = await open('/funding?lang=es&dollars=euros', 'funding-bad-es', 400);
    expect(await bad.getByRole('alert').innerText()).toContain('dollars es current o constant, no euros');
    await bad.close();
    const missing = await site.browser.newPage();
    expect((await missing.goto(`${site.base}/programs/NO-SUCH/funding`))!.status()).toBe(404);
    await missing.close();
  }, 60_000);

  it('downloads the same columns and cells as CSV and XLSX, approved lines only, formulas neutralised', async () => {
    const csvResponse = await fetch(`${site.base}/funding/lines.csv?node=merida:1`);
    expect(csvResponse.headers.get('content-disposition')).toContain('marco-funding-merida-1.csv');
    const csv = parse(await csvResponse.text(), { relax_column_count: false }) as string[][];
    const xlsxResponse = await fetch(`${site.base}/funding/lines.xlsx?node=merida:1`);
    expect(xlsxResponse.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsxResponse.arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    const xlsx: string[][] = [];
    sheet.eachRow((r) =>
      xlsx.push(
        Array.from((r.values as unknown[]).slice(1), (v) => (v === null || v === undefined ? '' : String(v))),
      ),
    );
    // Trailing empty cells are not stored in a sheet: pad to the header's width.
    const width = csv[0]!.length;
    expect(xlsx.map((r) => [...r, ...Array(width - r.length).fill('')])).toEqual(csv);
    expect(csv[0]).toEqual(expect.arrayContaining(['fiscal_year', 'account', 'stage', 'amount', 'status']));
    const status = csv[0]!.indexOf('status');
    expect(csv.slice(1).every((r) => r[status] === 'approved')).toBe(true);
    expect(
      csv
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(['FMF', 'FMF', 'FMF', 'IMET', 'IMET', 'NADR']);
    const note = csv[0]!.indexOf('note');
    expect(csv.find((r) => r[1] === 'NADR')![note]).toBe(`'=HYPERLINK("http://example.invalid","x")`);
    // A number stays a number in the workbook.
    const amount = csv[0]!.indexOf('amount') + 1;
    expect(typeof sheet.getRow(2).getCell(amount).value).toBe('number');
    expect((await fetch(`${site.base}/funding/lines.csv?program=A&node=merida:1`)).status).toBe(400);
    expect((await fetch(`${site.base}/funding/lines.xlsx?program=NO-SUCH`)).status).toBe(404);
  }, 60_000);
});
