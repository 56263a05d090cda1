/**
 * A report's run: its content for the requester, and what it was made from: the template, the request,
 * the records version and the statistics vintages, hashed into a run hash. The same inputs give the same
 * hash and the same document, byte for byte (no clock is read: a report says what data it shows, not
 * when it was printed). What a request must name depends on the template's subject: a period for a
 * framework report, a place (and perhaps a period) for a place brief, a saved run for an evaluation
 * report, nothing for the data annex; a parameter the subject does not use is refused, not ignored.
 * @module
 */
import { createHash } from 'node:crypto';
import { isOperator, type Viewer } from '../access/viewer.js';
import { SUBJECT_PARAMETERS, type Subject } from '../domain/reports/template-schema.js';
import { ValidationError, textIssue, type Issue } from '../error.js';
import type { Locale } from '../i18n/index.js';
import { canonicalJson } from '../records/canonical-json.js';
import type { RecordsStore } from '../records/database.js';
import { contentVersion } from '../records/records-version.js';
import type { StatsStore } from '../stats/stats-store.js';
import { dataAnnex, type DataAnnex } from './data-annex.js';
import { evaluationReport, type EvaluationReport } from './evaluation-report.js';
import { frameworkReport, type FrameworkReport } from './framework-report.js';
import { placeBrief, type PlaceBrief } from './place-brief.js';
import type { LoadedTemplate } from './report-templates.js';

export interface ReportRequest {
  locale: Locale;
  /** A period code (`FY2021`): required by framework reports, optional for place briefs. */
  period?: string;
  /** A place code (`08`, `08037`, `MX`): the subject of a place brief. */
  place?: string;
  /** A saved evaluation run's id: the subject of an evaluation report. */
  evaluation?: string;
}

export interface ReportVintage {
  source: string;
  file: string;
  sha256: string;
}

export type ReportContent = FrameworkReport | PlaceBrief | EvaluationReport | DataAnnex;

export interface ReportRun {
  template: LoadedTemplate;
  request: ReportRequest;
  report: ReportContent;
  /** Who it was made for: `public`, `operator`, or an official's country and agency. */
  audience: string;
  /** The records' content version: the last audit entry that is not bookkeeping (`contentVersion`). */
  recordsVersion: string;
  /** The statistics it shows: the vintages in force, or, for an evaluation, those its run used. */
  vintages: ReportVintage[];
  runHash: string;
}

function audienceOf(viewer: Viewer): string {
  if (viewer === null) return 'public';
  if (isOperator(viewer)) return 'operator';
  return `${viewer.country}/${viewer.agency}`;
}

/** What is wrong with `request` for a template about `subject` (each issue at the parameter's name). */
export function requestIssues(
  subject: Subject,
  request: Pick<ReportRequest, 'period' | 'place' | 'evaluation'>,
): Issue[] {
  const { needs, takes } = SUBJECT_PARAMETERS[subject];
  const issues: Issue[] = [];
  for (const key of needs)
    if (request[key] === undefined) issues.push(textIssue(key, `reports.needs.${key}`, { subject }));
  for (const key of ['period', 'place', 'evaluation'] as const)
    if (request[key] !== undefined && !takes.includes(key))
      issues.push(textIssue(key, 'reports.notUsed', { subject, parameter: key }));
  return issues;
}

/** The content `template` asks for, as `viewer` may read it. */
async function contentOf(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  template: LoadedTemplate,
  request: ReportRequest,
): Promise<ReportContent> {
  switch (template.template.subject) {
    case 'framework':
      return frameworkReport(store, stats, viewer, request.period!);
    case 'place':
      if (!stats) throw new ValidationError([textIssue('place', 'reports.noStatistics')], 'report');
      return placeBrief(store, stats, viewer, request.place!, request.period);
    case 'evaluation':
      return evaluationReport(store, request.evaluation!);
    case 'data':
      return dataAnnex(store, stats);
  }
}

/** The report `template` asks for, as `viewer` may read it. */
export async function runReport(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  template: LoadedTemplate,
  request: ReportRequest,
): Promise<ReportRun> {
  const issues = requestIssues(template.template.subject, request);
  if (issues.length) throw new ValidationError(issues, 'report');
  const [report, version, meta] = await Promise.all([
    contentOf(store, stats, viewer, template, request),
    contentVersion(store),
    stats ? stats.metadata() : undefined,
  ]);
  const used =
    report.subject === 'evaluation'
      ? report.run.panel.vintages
      : (meta?.vintages ?? []).map((v) => ({ source: v.source, file_name: v.file_name, sha256: v.sha256 }));
  const vintages = used
    .map((v) => ({ source: v.source, file: v.file_name, sha256: v.sha256 }))
    .sort((a, b) => a.source.localeCompare(b.source) || a.sha256.localeCompare(b.sha256));
  const audience = audienceOf(viewer);
  const runHash = createHash('sha256')
    .update(
      canonicalJson({
        template: template.text,
        request,
        audience,
        records: version,
        vintages,
        ...(report.subject === 'evaluation' ? { run: report.run.hash } : {}),
      }),
    )
    .digest('hex');
  return { template, request, report, audience, recordsVersion: version, vintages, runHash };
}
