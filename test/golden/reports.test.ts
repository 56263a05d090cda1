/**
 * Golden HTML of the built-in framework performance report on the example workspace, in English and
 * Spanish, for FY2017 (the public edition). The run hash and the audit head change with the clock of
 * the load, so they are replaced by placeholders; everything else is compared byte for byte.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { runReport } from '../../src/reports/report-run.js';
import { loadTemplate } from '../../src/reports/report-templates.js';
import { renderReportHtml } from '../../src/web/reports/report-document.js';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
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
});
