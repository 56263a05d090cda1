/**
 * Golden HTML of the built-in reports, in English and Spanish: the framework performance report on the
 * example workspace for FY2017 (the public edition), and, on the real data of ../shared/data, the place
 * brief of Juárez (the public edition), the evaluation report of the saved state evaluation and the
 * data-quality annex. Hashes (run hashes, checksums, the audit head) are replaced by placeholders;
 * everything else is compared byte for byte.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { runReport } from '../../src/reports/report-run.js';
import { loadTemplate } from '../../src/reports/report-templates.js';
import { renderReportHtml } from '../../src/web/reports/report-document.js';
import type { StatsStore } from '../../src/stats/stats-store.js';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
import { loadReportRecords, reportFiles, reportStats } from '../reports/report-stores.js';
import { golden } from './golden-file.js';

/** The report with its run hash and audit head replaced: they name the store's history, not the report. */
const normalised = (page: string) =>
  page.replace(/\b[0-9a-f]{64}\b/g, '<hash>').replace(/\b[0-9a-f]{16}…/g, '<head>…');

describe('golden reports', () => {
  let store: RecordsStore;
  beforeAll(async () => {
    store = await openRecords({ memory: true });
    await loadBuiltins(store, 'test');
    await loadWorkspace(store, (await exampleWorkspace()) as never, { actor: 'loader', now: clock });
  }, 120_000);
  afterAll(() => store?.close());

  it.each(['en', 'es'] as const)('framework-performance, FY2017, public, in %s', async (locale) => {
    const run = await runReport(store, undefined, null, await loadTemplate('framework-performance'), {
      period: 'FY2017',
      locale,
    });
    await golden(`report-framework-performance-${locale}.html`, normalised(renderReportHtml(run)));
  });

  describe.runIf(reportFiles())('on the shared data', () => {
    let stats: StatsStore;
    let records: RecordsStore;
    beforeAll(async () => {
      stats = await reportStats(reportFiles()!);
      records = await openRecords({ memory: true });
      await loadReportRecords(records, stats);
    }, 300_000);
    afterAll(async () => {
      await records?.close();
      stats?.close();
    });

    it.each([
      ['place-brief', { place: '08037' }],
      ['evaluation-report', { evaluation: '1' }],
      ['data-quality-annex', {}],
    ] as const)('%s, public, in English and Spanish', async (template, request) => {
      for (const locale of ['en', 'es'] as const) {
        const run = await runReport(records, stats, null, await loadTemplate(template), {
          locale,
          ...request,
        });
        await golden(`report-${template}-${locale}.html`, normalised(renderReportHtml(run)));
      }
    });
  });
});
