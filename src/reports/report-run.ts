/**
 * A report's run: its content for the requester, and what it was made from: the template, the request,
 * the records version and the statistics vintages, hashed into a run hash. The same inputs give the same
 * hash and the same document, byte for byte (no clock is read: a report says what data it shows, not
 * when it was printed).
 * @module
 */
import { createHash } from 'node:crypto';
import { isOperator, type Viewer } from '../access/viewer.js';
import type { Locale } from '../i18n/index.js';
import { canonicalJson } from '../records/canonical-json.js';
import type { RecordsStore } from '../records/database.js';
import { contentVersion } from '../records/records-version.js';
import type { StatsStore } from '../stats/stats-store.js';
import { frameworkReport, type FrameworkReport } from './framework-report.js';
import type { LoadedTemplate } from './report-templates.js';

export interface ReportRequest {
  period: string;
  locale: Locale;
}

export interface ReportVintage {
  source: string;
  file: string;
  sha256: string;
}

export interface ReportRun {
  template: LoadedTemplate;
  request: ReportRequest;
  report: FrameworkReport;
  /** Who it was made for: `public`, `operator`, or an official's country and agency. */
  audience: string;
  /** The records' content version: the last audit entry that is not bookkeeping (`contentVersion`). */
  recordsVersion: string;
  vintages: ReportVintage[];
  runHash: string;
}

function audienceOf(viewer: Viewer): string {
  if (viewer === null) return 'public';
  if (isOperator(viewer)) return 'operator';
  return `${viewer.country}/${viewer.agency}`;
}

/** The report `template` asks for, as `viewer` may read it. */
export async function runReport(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  template: LoadedTemplate,
  request: ReportRequest,
): Promise<ReportRun> {
  const [report, version, meta] = await Promise.all([
    frameworkReport(store, stats, viewer, request.period),
    contentVersion(store),
    stats ? stats.metadata() : undefined,
  ]);
  const vintages = (meta?.vintages ?? [])
    .map((v) => ({ source: v.source, file: v.file_name, sha256: v.sha256 }))
    .sort((a, b) => a.source.localeCompare(b.source) || a.sha256.localeCompare(b.sha256));
  const audience = audienceOf(viewer);
  const runHash = createHash('sha256')
    .update(canonicalJson({ template: template.text, request, audience, records: version, vintages }))
    .digest('hex');
  return { template, request, report, audience, recordsVersion: version, vintages, runHash };
}
