/**
 * The framework performance report on the example workspace, on both record stores: its figures are the
 * workspace file's own (the ACA accreditations of FY2017: target 75, actual 70, 93% of the way from the
 * baseline of 23); a restricted Mexican program is in the report of a Mexican official, under a
 * RESTRICTED banner, and never in the public one nor a U.S. official's; a period without targets makes
 * a report that says so in each section; and the same inputs give the same bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { runReport } from '../../src/reports/report-run.js';
import { loadTemplate } from '../../src/reports/report-templates.js';
import { renderReportHtml } from '../../src/web/reports/report-document.js';
import { clock, exampleWorkspace, indicator } from '../fixtures/workspace.js';
import { STORE_KINDS, freshStore } from '../records/stores.js';

const MX_OFFICIAL: Official = { user: 'ana', country: 'MX', agency: 'SSPC', roles: ['reporter'] };
const US_OFFICIAL: Official = { user: 'bob', country: 'US', agency: 'INL', roles: ['reporter'] };

/** A restricted Mexican program with a FY2017 target and an approved result. */
const SECRET = {
  code: 'MX-SECRET-OPS',
  title: { en: 'Restricted operations support', es: 'Apoyo a operaciones reservado' },
  status: 'active',
  start: '2016-01-01',
  serves: ['merida:1'],
  country: 'MX',
  agency: 'SSPC',
  classification: 'restricted',
  indicators: [
    indicator('MX-SECRET-ARRESTS', {
      level: 'output',
      direction: 'increase',
      aggregation: 'sum',
      baseline: { value: 0, period: '2016' },
      targets: [{ period: 'FY2017', value: 40, country: 'MX', agency: 'SSPC', classification: 'restricted' }],
      country: 'MX',
      agency: 'SSPC',
      classification: 'restricted',
    }),
  ],
};

describe.each(STORE_KINDS)('the framework performance report on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    const ws = (await exampleWorkspace()) as { programs: unknown[]; results: unknown[]; periods: unknown[] };
    ws.programs.push(SECRET);
    ws.periods.push({ code: '2017-03', country: 'MX', agency: 'SSPC' });
    ws.results.push({
      indicator: 'MX-SECRET-ARRESTS',
      period: '2017-03',
      place: 'MX',
      value: 37,
      status: 'approved',
      country: 'MX',
      agency: 'SSPC',
      classification: 'restricted',
    });
    await loadWorkspace(store, ws as never, { actor: 'loader', now: clock });
  }, 120_000);
  afterAll(() => store?.dispose());

  const make = async (viewer: Official | null, period = 'FY2017', locale: 'en' | 'es' = 'en') => {
    const run = await runReport(store, undefined, viewer, await loadTemplate('framework-performance'), {
      period,
      locale,
    });
    if (run.report.subject !== 'framework') throw new Error('a framework report was expected');
    return { ...run, report: run.report };
  };

  it('scores the period’s targets as the workspace file gives them', async () => {
    const run = await make(null);
    const aca = run.report.programs
      .find((p) => p.code === 'EX-CORRECTIONS')!
      .indicators.find((i) => i.code === 'EX-ACA-ACCREDITED')!;
    expect(aca.scores).toHaveLength(1);
    // FY2017 (October 2016 – September 2017): the latest count inside it is August 2017's 70.
    expect(aca.scores[0]).toMatchObject({ period: 'FY2017', target: 75, actual: 70, status: 'green' });
    expect(aca.scores[0]!.percentMet).toBeCloseTo((70 - 23) / (75 - 23), 6);
    const page = renderReportHtml(run);
    expect(page).toContain('90%');
    expect(page).toContain('Framework performance report');
    // The lesson of February 2018 is in FY2018's report, not FY2017's.
    expect(run.report.programs.flatMap((p) => p.lessons)).toEqual([]);
    const fy18 = await make(null, 'FY2018');
    expect(fy18.report.programs.flatMap((p) => p.lessons.map((l) => l.code))).toEqual(['L1']);
  });

  it('shows a restricted program to its own country’s official only, under a RESTRICTED banner', async () => {
    const pub = await make(null);
    const us = await make(US_OFFICIAL);
    const mx = await make(MX_OFFICIAL, 'FY2017', 'es');
    for (const run of [pub, us]) {
      expect(run.report.programs.map((p) => p.code)).not.toContain('MX-SECRET-OPS');
      expect(renderReportHtml(run)).not.toMatch(/MX-SECRET|Restricted operations|reservado/);
      expect(run.report.classification).not.toBe('restricted');
    }
    expect(pub.report.classification).toBe('public');
    const secret = mx.report.programs.find((p) => p.code === 'MX-SECRET-OPS')!;
    expect(secret.indicators[0]!.scores[0]).toMatchObject({ target: 40, actual: 37 });
    expect(mx.report.classification).toBe('restricted');
    const page = renderReportHtml(mx);
    expect(page).toContain('<div class="banner restricted" role="note">RESTRINGIDA</div>');
    expect(page).toContain('Apoyo a operaciones reservado');
  });

  it('says in each section that a period without targets has none, and is not an error', async () => {
    const run = await make(null, 'FY2030');
    expect(run.report.counts.total).toBe(0);
    expect(run.report.funding).toBeNull();
    const page = renderReportHtml(run);
    expect(page).toContain('No indicator has a target inside FY2030');
    expect(page).toContain('No approved funding is recorded for a fiscal year overlapping FY2030.');
    expect(page).toContain('No lesson was recorded inside FY2030.');
  });

  it('gives the same bytes for the same inputs, and another run hash for another period', async () => {
    const [a, b, c] = [await make(null), await make(null), await make(null, 'FY2018')];
    expect(renderReportHtml(a)).toBe(renderReportHtml(b));
    expect(a.runHash).toBe(b.runHash);
    expect(c.runHash).not.toBe(a.runHash);
  });
});
