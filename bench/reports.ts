/**
 * Section 12 of `npm run bench` (before the unzip memory): the reports of issue 16. The framework performance report of the
 * example workspace for FY2017, made as `marco report` makes it (content gathered, HTML rendered, printed
 * by Chromium with its metadata written), `--repeat` times, against the reference of the same report
 * rendered to HTML only in the same run: what printing adds.
 * @module
 */
import { existsSync } from 'node:fs';
import { OPERATOR } from '../src/access/viewer.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../src/records/builtin.js';
import { openRecords } from '../src/records/database.js';
import { loadWorkspace } from '../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../src/package.js';
import { runReport } from '../src/reports/report-run.js';
import { loadTemplate } from '../src/reports/report-templates.js';
import { renderReportHtml } from '../src/web/reports/report-document.js';
import { chromiumPath } from '../src/web/reports/pdf-printer.js';
import { printReportPdf } from '../src/web/reports/report-pdf.js';
import { fmtS, fmtX, table } from './print.js';
import { median, now, section, type BenchContext, type Section } from './runner.js';

export const GOAL_REPORT_PDF_SECONDS = 10;

interface ReportsBench {
  pdfSeconds: number[];
  htmlSeconds: number[];
  bytes: number;
}

async function measureReports({
  options,
  progress,
}: BenchContext): Promise<ReportsBench | { skipped: string }> {
  if (!existsSync(chromiumPath()))
    return { skipped: `no Chromium at ${chromiumPath()} (apt-get install chromium)` };
  const store = await openRecords({ memory: true });
  try {
    await loadBuiltins(store, 'bench');
    const doc = await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE);
    await loadWorkspace(store, doc.data as never, { actor: 'bench' });
    const template = await loadTemplate('framework-performance');
    const request = { period: 'FY2017', locale: 'en' as const };
    const result: ReportsBench = { pdfSeconds: [], htmlSeconds: [], bytes: 0 };
    for (let i = 0; i < options.repeat; i++) {
      progress(`reports: framework performance report as PDF (${i + 1}/${options.repeat})`);
      let t0 = now();
      const run = await runReport(store, undefined, OPERATOR, template, request);
      renderReportHtml(run);
      result.htmlSeconds.push((now() - t0) / 1000);
      t0 = now();
      const again = await runReport(store, undefined, OPERATOR, template, request);
      const pdf = await printReportPdf(again, renderReportHtml(again));
      result.pdfSeconds.push((now() - t0) / 1000);
      result.bytes = pdf.byteLength;
    }
    return result;
  } finally {
    await store.close();
  }
}

export function benchReports(ctx: BenchContext): Promise<Section<ReportsBench>> {
  return section(
    ctx,
    'reports',
    () => measureReports(ctx),
    (r) => {
      const title = 'Reports (issue 16): the framework performance report of the example workspace, FY2017';
      if ('skipped' in r) return [title, `  skipped: ${r.skipped}`];
      const ref = median(r.htmlSeconds);
      return [
        title,
        ...table(
          ['figure', ' median', ' runs', ' reference'],
          [
            [
              `PDF, ${(r.bytes / 1024).toFixed(0)} KB (content, HTML, Chromium, metadata)`,
              fmtS(median(r.pdfSeconds)),
              r.pdfSeconds.map(fmtS).join(', '),
              `${fmtS(ref)} the same report as HTML`,
            ],
          ],
        ),
        `  ratio: PDF ${fmtX(median(r.pdfSeconds) / ref)} the HTML reference`,
      ];
    },
    (r) => [
      {
        goal: `framework performance report as PDF, example workspace < ${GOAL_REPORT_PDF_SECONDS} s`,
        value: median(r.pdfSeconds),
        display: fmtS(median(r.pdfSeconds)),
        met: median(r.pdfSeconds) < GOAL_REPORT_PDF_SECONDS,
      },
    ],
  );
}
