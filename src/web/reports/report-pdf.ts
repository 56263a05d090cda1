/**
 * A report printed to PDF by Debian's Chromium through playwright-core (never a downloaded browser):
 * Letter pages with the classification banner and the report's title as a running header on every page,
 * "Page n of N" in the footer, table headers repeated and rows kept whole (the stylesheet), tagged for
 * accessibility with an outline of the headings. Every network request is refused: the HTML is
 * self-contained. The document's metadata then carries the run hash and the statistics vintages
 * (pdf-lib, pure JavaScript: Chromium writes only a title).
 * @module
 */
import { access } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import { HttpError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import type { ReportRun } from '../../reports/report-run.js';
import { html } from '../html.js';
import { bannerText, documentTitle } from './report-document.js';

/** Debian's Chromium, or the one `MARCO_CHROMIUM` names. */
export const chromiumPath = () => process.env.MARCO_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The margins' stylesheet: Chromium renders the header and footer apart from the page, without its
 * styles. Fixed text, placed before markup made by the escaping renderer.
 */
const MARGIN_CSS = `<style>
.m { font-family: "DejaVu Sans", sans-serif; font-size: 8px; width: 100%; margin: 0 15mm; color: #444; }
.b { text-align: center; font-weight: bold; letter-spacing: 0.08em; }
.public { color: #1d5f2f; } .official_use { color: #8a5300; } .restricted { color: #9b1c1c; }
.h { padding-top: 8mm; }
.f { display: flex; justify-content: space-between; padding-bottom: 7mm; }
</style>`;

/** The running header and footer (Chromium fills `pageNumber` and `totalPages`). */
function margins(run: ReportRun) {
  const locale = run.request.locale;
  const t = translator(locale);
  const level = run.report.classification;
  const header = html`<div class="m h">
    <div class="b ${level}">${bannerText(run, locale)}</div>
    <div>${documentTitle(run, t)}</div>
  </div>`;
  const [before, after] = t('web.report.pageOf', { page: '\u0000', pages: '\u0001' }).split('\u0000');
  const [between, end] = (after ?? '').split('\u0001');
  const footer = html`<div class="m f">
    <span class="b ${level}">${bannerText(run, locale)}</span>
    <span>${before ?? ''}<span class="pageNumber"></span>${between ?? ''}<span class="totalPages"></span>${end ?? ''}</span>
  </div>`;
  return { header: MARGIN_CSS + header.text, footer: MARGIN_CSS + footer.text };
}

/** The report `run`, whose HTML is `page`, as PDF bytes. */
export async function printReportPdf(run: ReportRun, page: string): Promise<Uint8Array> {
  const executable = chromiumPath();
  try {
    await access(executable);
  } catch {
    throw new HttpError(503, 'chromium_missing', { key: 'reports.noChromium', values: { path: executable } });
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: executable });
  let pdf: Buffer;
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    await context.route('**/*', (route) => route.abort());
    const tab = await context.newPage();
    await tab.setContent(page, { waitUntil: 'load' });
    const { header, footer } = margins(run);
    pdf = await tab.pdf({
      format: 'Letter',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: header,
      footerTemplate: footer,
      margin: { top: '22mm', bottom: '16mm', left: '15mm', right: '15mm' },
      tagged: true,
      outline: true,
    });
  } finally {
    await browser.close();
  }
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.setTitle(documentTitle(run, translator(run.request.locale)), { showInWindowTitleBar: true });
  doc.setSubject(`Marco report run ${run.runHash}`);
  doc.setKeywords([
    `marco-run-hash:${run.runHash}`,
    `classification:${run.report.classification}`,
    ...run.vintages.map((v) => `vintage:${v.source}:${v.sha256}`),
  ]);
  doc.setLanguage(run.request.locale);
  doc.setCreator('Marco');
  doc.setProducer('Marco (Chromium, pdf-lib)');
  return doc.save();
}
