/**
 * `marco report TEMPLATE --period P [--format html|pdf] [-o FILE] [--audience public|operator]`: a report
 * from live data, in the language of `--lang`. A built-in template is named (`framework-performance`),
 * an office's own is a YAML file's path. HTML goes to standard output without `-o`; a PDF needs `-o`. A
 * file is written beside its destination and renamed, so a killed run leaves no half-written report.
 * @module
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OPERATOR } from '../../access/viewer.js';
import type { Config } from '../../config.js';
import { EvaluationId, PeriodCode, Place } from '../../domain/common-schema.js';
import { CliError, ValidationError, textIssue } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { runReport } from '../../reports/report-run.js';
import { loadTemplate } from '../../reports/report-templates.js';
import { renderReportHtml } from '../../web/reports/report-document.js';
import { printReportPdf } from '../../web/reports/report-pdf.js';
import type { JobView } from '../../jobs/job-requests.js';
import { callApi, type Via } from '../api-client.js';
import type { Terminal } from '../progress.js';
import { downloadJob, jobEnded, serverJobs, waitForJob } from './jobs.js';
import { json, withStatsAndRecords } from './open-stores.js';
import { remote, type RemoteOptions } from './tokens.js';

export interface ReportOptions extends RemoteOptions {
  period?: string;
  place?: string;
  evaluation?: string;
  format?: 'html' | 'pdf';
  output?: string;
  audience?: 'public' | 'operator';
  /** Through a server: follow the job to its end (and download it with `-o`). */
  wait?: boolean;
  progress?: boolean;
  json?: boolean;
  quiet?: boolean;
  terminal?: Terminal;
}

/** The subject's parameters given on the command line. */
const subjectOptions = (opts: ReportOptions) => ({
  ...(opts.period !== undefined ? { period: opts.period } : {}),
  ...(opts.place !== undefined ? { place: opts.place } : {}),
  ...(opts.evaluation !== undefined ? { evaluation: opts.evaluation } : {}),
});

export async function runReportCommand(
  config: Config,
  name: string,
  opts: ReportOptions,
  out: (text: string) => void,
  say: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const flagIssues = [
    opts.period !== undefined && !PeriodCode.safeParse(opts.period).success
      ? textIssue('--period', 'validation.schema.period')
      : undefined,
    opts.place !== undefined && !Place.safeParse(opts.place).success
      ? textIssue('--place', 'validation.schema.place')
      : undefined,
    opts.evaluation !== undefined && !EvaluationId.safeParse(opts.evaluation).success
      ? textIssue('--evaluation', 'validation.schema.evaluationId')
      : undefined,
  ].filter((i) => i !== undefined);
  if (flagIssues.length) throw new ValidationError(flagIssues, 'report');
  const format = opts.format ?? 'html';
  if (format === 'pdf' && (!opts.output || opts.output === '-'))
    throw new CliError({ key: 'cli.report.pdfNeedsOutput' });
  const toStdout = !opts.output || opts.output === '-';
  const via = remote(opts, t);
  // --json describes what was made (or, through a server without --wait, the job): the report itself
  // then goes to a file.
  if (opts.json && toStdout && (!via || opts.wait)) throw new CliError({ key: 'cli.report.jsonNeedsOutput' });
  if (via) return reportThroughServer(config, { ...via, locale: config.locale }, name, opts, out, say);
  const template = await loadTemplate(name);
  await withStatsAndRecords(config, async (stats, store) => {
    const viewer = opts.audience === 'public' ? null : OPERATOR;
    const run = await runReport(store, stats, viewer, template, {
      locale: config.locale,
      ...subjectOptions(opts),
    });
    const page = renderReportHtml(run);
    if (format === 'html' && (!opts.output || opts.output === '-')) return out(page.replace(/\n$/, ''));
    const bytes = format === 'pdf' ? await printReportPdf(run, page) : page;
    const tmp = `${opts.output}.tmp-${process.pid}`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, opts.output!);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const written = { file: opts.output, classification: run.report.classification, hash: run.runHash };
    if (opts.json)
      return out(json({ ...written, format, template: template.source, ...subjectOptions(opts) }));
    say(t('cli.report.written', written));
  });
}

/**
 * `marco report … --server URL`: the report is asked of a running server, made there with the token's
 * rights (`POST /api/v1/reports`), and, with `--wait`, followed with a progress bar and downloaded to
 * `-o` once checked against its SHA-256. Without `--wait` it prints the job to follow.
 */
async function reportThroughServer(
  config: Config,
  via: Via,
  name: string,
  opts: ReportOptions,
  out: (text: string) => void,
  say: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  if (opts.audience === 'public') throw new CliError({ key: 'cli.report.audienceServer' });
  const client = serverJobs(via);
  let job = (await callApi(via, 'POST', '/reports', {
    template: name,
    ...subjectOptions(opts),
    lang: config.locale,
    format: opts.format ?? 'html',
  })) as JobView;
  if (!opts.wait) {
    if (opts.json) return out(json(job));
    return out(t('cli.jobs.queued', { id: job.id, server: via.server }));
  }
  job = await waitForJob(client, job, config, opts.terminal ?? { write: () => true }, opts);
  if (job.status !== 'succeeded') throw jobEnded(t, job);
  if (opts.output && opts.output !== '-') {
    await downloadJob(client, job, opts.output);
    say(t('cli.jobs.written', { id: job.id, file: opts.output, sha256: job.output!.sha256 }));
  } else {
    // HTML to standard output (a PDF needs -o, checked before anything was asked).
    const tmp = path.join(os.tmpdir(), `marco-report-${process.pid}-${job.id}`);
    try {
      await downloadJob(client, job, tmp);
      out((await readFile(tmp, 'utf8')).replace(/\n$/, ''));
    } finally {
      await rm(tmp, { force: true });
    }
  }
  if (opts.json) out(json(job));
}
