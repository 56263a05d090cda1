/**
 * `marco report TEMPLATE --period P [--format html|pdf] [-o FILE] [--audience public|operator]`: a report
 * from live data, in the language of `--lang`. A built-in template is named (`framework-performance`),
 * an office's own is a YAML file's path. HTML goes to standard output without `-o`; a PDF needs `-o`. A
 * file is written beside its destination and renamed, so a killed run leaves no half-written report.
 * @module
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { OPERATOR } from '../../access/viewer.js';
import type { Config } from '../../config.js';
import { PeriodCode } from '../../domain/common-schema.js';
import { CliError, ValidationError, textIssue } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { runReport } from '../../reports/report-run.js';
import { loadTemplate } from '../../reports/report-templates.js';
import { renderReportHtml } from '../../web/reports/report-document.js';
import { printReportPdf } from '../../web/reports/report-pdf.js';
import { withStatsAndRecords } from './open-stores.js';

export interface ReportOptions {
  period: string;
  format?: 'html' | 'pdf';
  output?: string;
  audience?: 'public' | 'operator';
}

export async function runReportCommand(
  config: Config,
  name: string,
  opts: ReportOptions,
  out: (text: string) => void,
  say: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  if (!PeriodCode.safeParse(opts.period).success)
    throw new ValidationError([textIssue('--period', 'validation.schema.period')], 'report');
  const format = opts.format ?? 'html';
  if (format === 'pdf' && (!opts.output || opts.output === '-'))
    throw new CliError({ key: 'cli.report.pdfNeedsOutput' });
  const template = await loadTemplate(name);
  await withStatsAndRecords(config, async (stats, store) => {
    const viewer = opts.audience === 'public' ? null : OPERATOR;
    const run = await runReport(store, stats, viewer, template, {
      period: opts.period,
      locale: config.locale,
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
    say(
      t('cli.report.written', {
        file: opts.output,
        classification: run.report.classification,
        hash: run.runHash,
      }),
    );
  });
}
