/**
 * `marco import SOURCE FILE…`: official-statistics files into the data directory's store, or into a
 * running server's with `--server`; and the text of an import report, which `marco fetch` and
 * `marco import-dir` print too.
 * @module
 */
import path from 'node:path';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { formatNumber, translator, type Locale, type Translate } from '../../i18n/index.js';
import { VERSION } from '../../package.js';
import type { ImportReport } from '../../stats/import-report.js';
import { resolveParams } from '../../stats/importer.js';
import { rejectReasonIn } from '../../stats/reject-reasons.js';
import { importAudited } from '../../custody/statistics-custody.js';
import { sourceById } from '../../stats/sources/index.js';
import { paramsFromFlags, share } from '../flags.js';
import { uploadImport } from '../upload.js';
import { json, withStatsAndRecords } from './open-stores.js';
import { progressOf, type Terminal } from '../progress.js';

/** The options of `marco import`. */
export interface ImportOptions {
  json?: boolean;
  maxRejects?: string;
  progress?: boolean;
  param?: string[];
  server?: string;
  token?: string;
}

/** The stages of one file's import, in order: each is a step of the progress bar. */
const STAGES = ['reading', 'validating', 'writing', 'committing'] as const;

export async function runImport(
  config: Config,
  sourceId: string,
  files: string[],
  opts: ImportOptions & { env?: NodeJS.ProcessEnv; terminal?: Terminal },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const source = sourceById(sourceId);
  if (!source) throw new CliError(t('stats.unknownSource', { source: sourceId }));
  const maxRejectShare = share('--max-rejects', opts.maxRejects);
  const params = paramsFromFlags(opts.param);
  // Checked before the store opens, so a wrong parameter changes nothing.
  resolveParams(source, params);
  const server = opts.server ?? opts.env?.MARCO_SERVER;
  if (server) {
    const token = opts.token ?? opts.env?.MARCO_TOKEN;
    if (!token) throw new CliError(t('stats.needToken'));
    const reports: ImportReport[] = [];
    for (const file of files) {
      const report = await uploadImport(
        { server, token, locale: config.locale },
        source.id,
        file,
        params,
        opts.maxRejects,
      );
      reports.push(report);
      if (!opts.json) printReport(t, config.locale, report, out);
    }
    if (opts.json) out(json(reports));
    return;
  }
  // A bar of each file's four stages on a terminal; with --progress, a line per stage elsewhere.
  const steps = files.length * STAGES.length;
  const bar = opts.terminal
    ? progressOf({
        stream: opts.terminal,
        locale: config.locale,
        label: t('cli.progressLabel.import'),
        progress: opts.progress,
        quiet: opts.json,
        // Off a terminal, each stage's own line (`08.csv: validating…`), and none at the end.
        line: (_done, _total, note) => note,
      })
    : undefined;
  await withStatsAndRecords(
    config,
    async (stats, records) => {
      const reports: ImportReport[] = [];
      for (const [index, file] of files.entries()) {
        const report = await importAudited(stats, records, source, file, {
          version: VERSION,
          params,
          importedBy: config.actor,
          origin: path.resolve(file),
          ...(maxRejectShare !== undefined ? { maxRejectShare } : {}),
          onProgress: (stage) =>
            bar?.update(
              index * STAGES.length + STAGES.indexOf(stage),
              steps,
              t(`stats.stage.${stage}`, { file }),
            ),
        });
        reports.push(report);
        if (!opts.json) printReport(t, config.locale, report, out);
      }
      bar?.update(steps, steps);
      bar?.stop();
      if (opts.json) out(json(reports));
    },
    { write: true },
  );
}

/** One import's outcome as text: the summary line, replaced vintages, unknown places and rejects. */
export function printReport(t: Translate, locale: Locale, report: ImportReport, out: (text: string) => void) {
  const { file, source } = report;
  if (report.status === 'unchanged')
    return out(t('stats.unchanged', { file, vintage: report.vintage, source }));
  out(
    t('stats.imported', {
      file,
      source,
      layout: report.layout,
      vintage: report.vintage,
      loaded: formatNumber(locale, report.rowsLoaded),
      rejected: formatNumber(locale, report.rowsRejected),
      from: report.periodFrom ?? '—',
      to: report.periodTo ?? '—',
      seconds: formatNumber(locale, report.seconds, { maximumFractionDigits: 2 }),
    }),
  );
  if (report.rowsSkipped) out(t('stats.skipped', { count: report.rowsSkipped }));
  if (report.replaced.length)
    out(t('stats.replaced', { count: report.replaced.length, ids: report.replaced.join(', ') }));
  if (report.unknownPlaces.count)
    out(
      t('stats.unknownPlaces', {
        count: report.unknownPlaces.count,
        examples: report.unknownPlaces.examples.join(', '),
      }),
    );
  for (const r of report.rejects)
    out(
      t('stats.rejectLine', {
        ...r,
        value: JSON.stringify(r.value),
        reason: rejectReasonIn(locale, r.reason),
      }),
    );
}
