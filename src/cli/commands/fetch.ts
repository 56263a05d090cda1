/**
 * `marco fetch SOURCE [--url URL]`: downloads a publisher's file into `<data dir>/downloads/<source>/`
 * and imports it.
 * @module
 */
import { type ImportReport } from '../../stats/import-report.js';
import path from 'node:path';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { formatNumber, translator, type Locale } from '../../i18n/index.js';
import { defaultUrl, fetchFile, type FetchResult } from '../../stats/fetch.js';
import { resolveParams } from '../../stats/importer.js';
import { importAudited } from '../../custody/statistics-custody.js';
import { sourceById } from '../../stats/sources/index.js';
import { paramsFromFlags, share } from '../flags.js';
import { printReport } from './import.js';
import { json, withStatsAndRecords } from './open-stores.js';
import { VERSION } from '../../package.js';

export interface FetchCliOptions {
  url?: string;
  sha256?: string;
  maxBytes?: string;
  retries?: string;
  param?: string[];
  maxRejects?: string;
  import?: boolean;
  progress?: boolean;
  json?: boolean;
}

function count(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new CliError(`${flag} ${JSON.stringify(value)}: expected a whole number up to ${max}`);
  return Number(value);
}

/** `42%  1.2 MB of 2.9 MB` with a bar, or the bytes alone when the size is unknown. */
function progressLine(locale: Locale, done: number, total: number | null): string {
  const mb = (n: number) => `${formatNumber(locale, n / 1e6, { maximumFractionDigits: 1 })} MB`;
  if (total === null || total === 0) return mb(done);
  const share = Math.min(1, done / total);
  const width = 30;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${formatNumber(locale, share, { style: 'percent' })}  ${mb(done)} / ${mb(total)}`;
}

export async function runFetch(
  config: Config,
  sourceId: string,
  opts: FetchCliOptions,
  out: (text: string) => void,
  err: (text: string) => void,
  isTty: boolean,
) {
  const t = translator(config.locale);
  const source = sourceById(sourceId);
  if (!source) throw new CliError(t('stats.unknownSource', { source: sourceId }));
  const params = paramsFromFlags(opts.param);
  resolveParams(source, params);
  const maxRejectShare = share('--max-rejects', opts.maxRejects);
  const maxBytes = count('--max-bytes', opts.maxBytes, 1e12);
  const retries = count('--retries', opts.retries, 20);
  if (opts.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(opts.sha256))
    throw new CliError(`--sha256 ${JSON.stringify(opts.sha256)}: expected 64 hexadecimal digits`);
  const configured = await defaultUrl(config.dataDir, source.id);
  const url = opts.url ?? configured.url;
  if (!url)
    throw new CliError(
      t('fetch.noUrl', { source: source.id, landing: source.landing, note: configured.note ?? '' }),
    );
  const expected = opts.sha256 ?? (opts.url ? undefined : configured.sha256);

  // The bar redraws in place on a terminal; elsewhere (logs, CI) a line every tenth of the way.
  const show = opts.progress ?? isTty;
  let lastTenth = -1;
  const result: FetchResult = await fetchFile({
    url,
    dir: path.join(config.dataDir, 'downloads', source.id),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    ...(retries !== undefined ? { retries } : {}),
    ...(expected ? { sha256: expected } : {}),
    onProgress: (done, total) => {
      if (!show) return;
      if (isTty) return err(`\r${progressLine(config.locale, done, total)}`);
      const tenth = total ? Math.floor((10 * done) / total) : -1;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        err(`${progressLine(config.locale, done, total)}\n`);
      }
    },
    onRetry: (attempt, reason, delay) =>
      err(
        `${isTty && show ? '\n' : ''}${t('fetch.retry', { attempt, reason, seconds: formatNumber(config.locale, delay / 1000) })}\n`,
      ),
  });
  if (show && isTty) err('\n');
  if (!opts.json)
    out(
      t('fetch.done', {
        file: result.file,
        bytes: formatNumber(config.locale, result.bytes),
        sha256: result.sha256,
        resumed: result.resumedFrom,
        resumedBytes: formatNumber(config.locale, result.resumedFrom),
      }),
    );
  let report: ImportReport | null = null;
  if (opts.import !== false)
    report = await withStatsAndRecords(config, (stats, records) =>
      importAudited(stats, records, source, result.file, {
        version: VERSION,
        params,
        importedBy: config.actor,
        origin: result.url,
        ...(maxRejectShare !== undefined ? { maxRejectShare } : {}),
      }),
    );
  if (opts.json) return out(json({ download: result, import: report }));
  if (report) printReport(t, config.locale, report, out);
}
