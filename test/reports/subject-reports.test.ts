/**
 * The place brief, the evaluation report and the data-quality annex on real data (../shared/data) and
 * both record stores. The brief's homicide counts are the raw INEGI file's own sums; a restricted
 * program located in Chihuahua is in a Mexican official's brief under a RESTRICTED banner and never in
 * the public one nor a U.S. official's; a municipality's brief shows its state's SESNSP lights and the
 * state's programs; a period before the data makes a brief that says so; an unknown place is refused
 * with the nearest codes. The evaluation report is its saved run's, with the vintages the run used. The
 * annex lists every vintage in force with its checksum, the damaged line an import rejected, each claim
 * check, and the audit chain's head. The same inputs give the same bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { ValidationError } from '../../src/error.js';
import { auditHead } from '../../src/records/audit.js';
import { programReach } from '../../src/reports/place-brief.js';
import { runReport, type ReportRequest } from '../../src/reports/report-run.js';
import { loadTemplate } from '../../src/reports/report-templates.js';
import { checkClaims } from '../../src/stats/claims.js';
import type { StatsStore } from '../../src/stats/stats-store.js';
import { renderReportHtml } from '../../src/web/reports/report-document.js';
import { STORE_KINDS, freshStore } from '../records/stores.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';
import {
  DAMAGED,
  SECRET_IN_CHIHUAHUA,
  loadReportRecords,
  reportFiles,
  reportStats,
} from './report-stores.js';

const MX_OFFICIAL: Official = { user: 'ana', country: 'MX', agency: 'SSPC', roles: ['reporter'] };
const US_OFFICIAL: Official = { user: 'bob', country: 'US', agency: 'INL', roles: ['reporter'] };

const files = reportFiles();
if (!files) {
  if (process.env.CI === 'true') throw new Error('CI=true but ../shared/data lacks the report test files');
  console.warn('place brief, evaluation and data annex tests skipped: ../shared/data is missing files');
}

/** INEGI homicides of state `code` in `year`, summed from the raw monthly file. */
async function rawHomicides(code: string, year: string): Promise<number> {
  const lines = await sharedLines(sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv')!);
  return lines
    .map((l) => l.split('|'))
    .filter((f) => f[0] === code && f[1] === year)
    .reduce((sum, f) => sum + Number(f[3]), 0);
}

/** Text of a page without its markup, spaces collapsed. */
const text = (page: string) =>
  page
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('how a program reaches a place', () => {
  it('is there, its state as a whole, within it, or country-wide; never from another country', () => {
    expect(programReach(['08037'], '08037', '08')).toBe('place');
    expect(programReach(['08'], '08037', '08')).toBe('state');
    expect(programReach(['08037'], '08', '08')).toBe('within');
    expect(programReach(['MX'], '08037', '08')).toBe('country');
    expect(programReach(['08', '14'], 'MX', 'MX')).toBe('within');
    expect(programReach(['US', 'TX'], 'MX', 'MX')).toBeUndefined();
    expect(programReach(['14039'], '08', '08')).toBeUndefined();
  });
});

describe.runIf(files).each(STORE_KINDS)('place brief, evaluation report and data annex on %s', (kind) => {
  let stats: StatsStore;
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    stats = await reportStats(files!);
    store = await freshStore(kind);
    await loadReportRecords(store, stats);
  }, 300_000);
  afterAll(async () => {
    await store?.dispose();
    stats?.close();
  });

  const make = async (
    template: string,
    request: Omit<ReportRequest, 'locale'>,
    viewer: Official | null = null,
    locale: 'en' | 'es' = 'en',
  ) => runReport(store, stats, viewer, await loadTemplate(template), { locale, ...request });

  it('briefs Chihuahua with the raw file’s homicides, its own past, its lights and the programs there', async () => {
    const run = await make('place-brief', { place: '08' });
    if (run.report.subject !== 'place') throw new Error('a place brief was expected');
    const s = run.report.statistics;
    const own = s.rates!.series.find((x) => x.geo === '08')!;
    for (const year of ['2019', '2021', '2022'])
      expect(own.points.find((p) => p.period === year)!.value).toBe(await rawHomicides('08', year));
    expect(s.rates!.series.map((x) => x.geo)).toEqual(['08', 'MX']);
    // SESNSP counts states: Chihuahua's lights include its victims, with a status against 3 years.
    const victims = s.lights.find((l) => l.measure === 'homicide_victims')!;
    expect(victims.where).toBe('08');
    expect(victims.year).toBeGreaterThanOrEqual(2020);
    expect(victims.average).not.toBeNull();
    // The reconciliation's INEGI side is the raw file's too.
    const rec = s.reconciliation.find((r) => r.year === '2019')!;
    expect(rec.inegiHomicides).toBe(await rawHomicides('08', '2019'));
    expect(rec.sesnspTotal).toBeGreaterThan(0);
    expect(run.report.programs.map((p) => [p.code, p.reach])).toEqual([
      ['EX-CHIHUAHUA-PREVENTION', 'place'],
      ['EX-ARMS-TRACING', 'country'],
      ['EX-CORRECTIONS', 'country'],
    ]);
    expect(run.report.classification).toBe('public');
    const page = text(renderReportHtml(run));
    expect(page).toContain('Chihuahua’s homicide rate in 2022 was 53 per 100,000');
    expect(page).toContain('2,650');
    expect(page).toContain('PUBLIC');
    expect(page).not.toContain(SECRET_IN_CHIHUAHUA.code);
    expect(renderReportHtml(run)).toMatch(/<svg[^>]* role="img"/);
  });

  it('shows a restricted program in Chihuahua to a Mexican official, under RESTRICTED, and never to others', async () => {
    const mx = await make('place-brief', { place: '08' }, MX_OFFICIAL, 'es');
    if (mx.report.subject !== 'place') throw new Error('a place brief was expected');
    expect(mx.report.programs.map((p) => p.code)).toContain(SECRET_IN_CHIHUAHUA.code);
    expect(mx.report.classification).toBe('restricted');
    const page = renderReportHtml(mx);
    expect(page).toContain('RESTRINGIDA');
    expect(page).toContain(SECRET_IN_CHIHUAHUA.title.es);
    for (const viewer of [null, US_OFFICIAL]) {
      const other = renderReportHtml(await make('place-brief', { place: '08' }, viewer));
      expect(other).not.toContain(SECRET_IN_CHIHUAHUA.code);
      expect(other).not.toContain('RESTRICTED');
    }
  });

  it('briefs Juárez with its state’s SESNSP lights and the state’s programs', async () => {
    const run = await make('place-brief', { place: '08037' });
    if (run.report.subject !== 'place') throw new Error('a place brief was expected');
    expect(run.report.statistics.level).toBe('municipality');
    expect(run.report.statistics.rates!.series.map((x) => x.geo)).toEqual(['08037', '08', 'MX']);
    expect(run.report.statistics.lights.find((l) => l.measure === 'homicide_victims')!.where).toBe('08');
    expect(run.report.statistics.lights.find((l) => l.measure === 'homicides')!.where).toBe('08037');
    expect(run.report.programs.find((p) => p.code === 'EX-CHIHUAHUA-PREVENTION')!.reach).toBe('state');
  });

  it('briefs the country with its programs, those of its states and municipalities within it', async () => {
    const run = await make('place-brief', { place: 'MX' });
    if (run.report.subject !== 'place') throw new Error('a place brief was expected');
    expect(run.report.statistics.level).toBe('country');
    expect(run.report.programs.map((p) => [p.code, p.reach])).toEqual([
      ['EX-ARMS-TRACING', 'place'],
      ['EX-CORRECTIONS', 'place'],
      ['EX-CHIHUAHUA-PREVENTION', 'within'],
    ]);
  });

  it('says there is no data for a period before the data, in each section, instead of failing', async () => {
    const run = await make('place-brief', { place: '08', period: '1995' });
    const page = text(renderReportHtml(run));
    expect(page).toContain('No data up to 1995: Homicides');
    expect(page).toContain('No data up to 1995: Crime against its own recent past');
    // Programs that began later were not active then.
    expect(page).toContain('No program the reader may see is active in Chihuahua');
  });

  it('refuses a place the store does not know with the nearest codes, and a request its subject cannot use', async () => {
    const unknown = await make('place-brief', { place: '33' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ValidationError);
    expect((unknown as ValidationError).issues[0]).toMatchObject({ path: 'place' });
    expect((unknown as ValidationError).issues[0]!.message).toContain('32 Zacatecas');
    const municipality = await make('place-brief', { place: '08999' }).catch((e: unknown) => e);
    // A municipality's nearest codes are its state's.
    expect((municipality as ValidationError).issues[0]!.message).toMatch(
      /nearest codes: 08\d{3} [^,]+, 08\d{3}/,
    );
    const missing = await make('place-brief', {}).catch((e: unknown) => e);
    expect((missing as ValidationError).issues).toMatchObject([{ path: 'place' }]);
    const unused = await make('data-quality-annex', { period: 'FY2019' }).catch((e: unknown) => e);
    expect((unused as ValidationError).issues).toMatchObject([{ path: 'period' }]);
  });

  it('reports a saved evaluation run with its estimates, p-values and the vintages it used', async () => {
    const run = await make('evaluation-report', { evaluation: '1' });
    if (run.report.subject !== 'evaluation') throw new Error('an evaluation report was expected');
    const r = run.report.run;
    expect(run.vintages.map((v) => v.sha256).sort()).toEqual(r.panel.vintages.map((v) => v.sha256).sort());
    const page = text(renderReportHtml(run));
    expect(page).toContain(r.hash);
    expect(page).toContain(`Evaluation run 1: ${r.title}`);
    // The overall effect on the log scale, as a percentage and as β, and its randomisation p-value.
    expect(page).toContain(`${r.cs!.simple.att.toFixed(3).replace(/0+$/, '')} (+`);
    expect(page).toContain(`${r.cs!.randomization!.permutations} times`);
    expect(page).toContain('the pre-trend test rejects');
    expect(renderReportHtml(run)).toMatch(/<svg[^>]* role="img"/);
    const missing = await make('evaluation-report', { evaluation: '99' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });
  });

  it('annexes every vintage in force with its checksum, the rejected line, each claim check and the audit head', async () => {
    const run = await make('data-quality-annex', {});
    if (run.report.subject !== 'data') throw new Error('a data annex was expected');
    const meta = await stats.metadata();
    const annexed = new Set(run.report.vintages.map((v) => v.sha256));
    for (const v of meta.vintages) expect(annexed.has(v.sha256), v.file_name).toBe(true);
    const cdc = run.report.rejects.find((v) => v.source === 'cdc-vsrr-overdose')!;
    expect(cdc.rejected).toBe(1);
    expect(cdc.reasons[0]!.examples).toEqual([
      { line: DAMAGED.line, column: DAMAGED.column, value: DAMAGED.value },
    ]);
    const claims = await checkClaims(stats);
    expect(claims.length).toBeGreaterThan(0);
    expect(run.report.claims.map((c) => [c.figure, c.verdict])).toEqual(
      claims.map((c) => [c.figure, c.verdict]),
    );
    expect(run.report.reconciliation.national.length).toBeGreaterThan(0);
    expect(run.report.reconciliation.states).toHaveLength(32);
    const head = await auditHead(store.db);
    expect(run.report.audit).toMatchObject({ entries: head.entries, head: head.head, tampered: false });
    const page = text(renderReportHtml(run));
    expect(page).toContain(head.head!);
    expect(page).toContain(`line ${DAMAGED.line}, ${DAMAGED.column}: ${DAMAGED.value}`);
    const es = text(renderReportHtml(await make('data-quality-annex', {}, null, 'es')));
    expect(es).toContain(`línea ${DAMAGED.line}, ${DAMAGED.column}: ${DAMAGED.value}`);
    expect(es).toContain('La cadena de auditoría está íntegra');
  });

  it('gives the same bytes for the same inputs', async () => {
    for (const [template, request] of [
      ['place-brief', { place: '08037', period: 'FY2019' }],
      ['evaluation-report', { evaluation: '1' }],
      ['data-quality-annex', {}],
    ] as const) {
      const a = renderReportHtml(await make(template, request, MX_OFFICIAL, 'es'));
      const b = renderReportHtml(await make(template, request, MX_OFFICIAL, 'es'));
      expect(a).toBe(b);
    }
  });
});
