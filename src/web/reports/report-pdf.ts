/**
 * A report printed to PDF by Debian's Chromium (`pdf-printer.ts`): Letter pages with the classification
 * banner and the report's title as a running header on every page, "Page n of N" in the footer, table
 * headers repeated and rows kept whole (the stylesheet), tagged for accessibility with an outline of the
 * headings. The document's metadata carries the run hash and the statistics vintages.
 * @module
 */
import { translator } from '../../i18n/index.js';
import type { ReportRun } from '../../reports/report-run.js';
import { html } from '../html.js';
import { openPdfPrinter, type PdfPrinter } from './pdf-printer.js';
import { bannerText, documentTitle } from './report-document.js';

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

/**
 * The report `run`, whose HTML is `page`, as PDF bytes whose metadata carries the run hash and the
 * statistics vintages; printed by `printer` (kept open by a worker between reports), or by a Chromium
 * started for this report alone and closed after.
 */
export async function printReportPdf(
  run: ReportRun,
  page: string,
  printer?: PdfPrinter,
): Promise<Uint8Array> {
  const own = printer ?? openPdfPrinter();
  const { header, footer } = margins(run);
  try {
    return await own.print(page, {
      headerTemplate: header,
      footerTemplate: footer,
      metadata: {
        title: documentTitle(run, translator(run.request.locale)),
        subject: `Marco report run ${run.runHash}`,
        keywords: [
          `marco-run-hash:${run.runHash}`,
          `classification:${run.report.classification}`,
          ...run.vintages.map((v) => `vintage:${v.source}:${v.sha256}`),
        ],
        language: run.request.locale,
        creator: 'Marco',
        producer: 'Marco (Chromium, pdf-lib)',
      },
    });
  } finally {
    if (!printer) await own.close();
  }
}
