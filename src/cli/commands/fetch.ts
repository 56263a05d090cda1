/**
 * `marco fetch SOURCE [--url URL]` and `marco fetch --all`: downloads publishers' files into
 * `<data dir>/downloads/<source>/` and imports them. Without `--url`, a source's files come from the
 * data directory's `fetch.json` when it names the source, else from the catalogue of pinned addresses
 * (`config/catalogue.json`, or `--catalogue FILE`), each checked against its sha256. `--all` downloads
 * every file of the catalogue that a source imports, and imports them only when every download has
 * succeeded, in import order (places, population, then the rest), so a failed download changes nothing.
 * @module
 */
import path from 'node:path';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { defaultUrl, fetchFile, type FetchResult } from '../../stats/fetch.js';
import { entryUrl, isCompanion, readCatalogue, type CatalogueEntry } from '../../stats/fetch-catalogue.js';
import { inImportOrder } from '../../stats/import-order.js';
import { type ImportReport } from '../../stats/import-report.js';
import { resolveParams } from '../../stats/importer.js';
import { importAudited } from '../../custody/statistics-custody.js';
import type { Source } from '../../stats/source.js';
import { sourceById } from '../../stats/sources/index.js';
import { paramsFromFlags, share } from '../flags.js';
import { printReport } from './import.js';
import { progressOf, type Terminal } from '../progress.js';
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
  all?: boolean;
  mirror?: string;
  catalogue?: string;
}

/** One file to download: where from, for which source, and the sha256 it must have when known. */
interface Target {
  source: Source;
  url: string;
  sha256?: string;
  /** Whether it is imported itself: a shapefile's companions travel with its `.shp`. */
  imported: boolean;
}

function count(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new CliError({ key: 'cli.errors.count', values: { flag, given: JSON.stringify(value), max } });
  return Number(value);
}

/** A catalogue entry as a download target of `source` (a companion file is downloaded, not imported). */
function catalogued(e: CatalogueEntry, source: Source, mirror: string | undefined) {
  return {
    file: e.file,
    source,
    ...(e.layout ? { layout: e.layout } : {}),
    url: entryUrl(e, mirror),
    sha256: e.sha256,
    imported: !isCompanion(e.url),
  };
}

/** What to download: the `--url`, the data directory's `fetch.json`, or the catalogue's entries. */
async function targetsOf(
  config: Config,
  sourceId: string | undefined,
  opts: FetchCliOptions,
): Promise<Target[]> {
  const t = translator(config.locale);
  if (opts.all) {
    if (sourceId || opts.url || opts.sha256) throw new CliError(t('fetch.allAlone'));
    const entries = (await readCatalogue(opts.catalogue)).filter((e) => e.source !== null);
    const targets = entries.map((e) => {
      const source = sourceById(e.source!);
      if (!source) throw new CliError(t('stats.unknownSource', { source: e.source! }));
      return catalogued(e, source, opts.mirror);
    });
    return inImportOrder(targets);
  }
  if (!sourceId) throw new CliError(t('fetch.noSource'));
  const source = sourceById(sourceId);
  if (!source) throw new CliError(t('stats.unknownSource', { source: sourceId }));
  if (opts.url)
    return [{ source, url: opts.url, ...(opts.sha256 ? { sha256: opts.sha256 } : {}), imported: true }];
  const configured = await defaultUrl(config.dataDir, source.id);
  if (configured.url && configured.from === path.join(config.dataDir, 'fetch.json'))
    return [
      {
        source,
        url: configured.url,
        ...(configured.sha256 ? { sha256: configured.sha256 } : {}),
        imported: true,
      },
    ];
  const entries = (await readCatalogue(opts.catalogue)).filter((e) => e.source === source.id);
  if (entries.length > 0)
    // In import order: a network's groups before the ties between them.
    return inImportOrder(entries.map((e) => catalogued(e, source, opts.mirror)));
  if (configured.url)
    return [
      {
        source,
        url: configured.url,
        ...(configured.sha256 ? { sha256: configured.sha256 } : {}),
        imported: true,
      },
    ];
  throw new CliError(
    t('fetch.noUrl', { source: source.id, landing: source.landing, note: configured.note ?? '' }),
  );
}

export async function runFetch(
  config: Config,
  sourceId: string | undefined,
  opts: FetchCliOptions & { terminal?: Terminal },
  out: (text: string) => void,
) {
  const err = (text: string) => void (opts.terminal?.quiet || opts.terminal?.write(text));
  const t = translator(config.locale);
  const params = paramsFromFlags(opts.param);
  if (opts.all && Object.keys(params).length) throw new CliError(t('fetch.allAlone'));
  const maxRejectShare = share('--max-rejects', opts.maxRejects);
  const maxBytes = count('--max-bytes', opts.maxBytes, 1e12);
  const retries = count('--retries', opts.retries, 20);
  if (opts.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(opts.sha256))
    throw new CliError({ key: 'cli.errors.sha256', values: { given: JSON.stringify(opts.sha256) } });
  if (opts.mirror !== undefined && !/^https?:\/\/\S+$/.test(opts.mirror))
    throw new CliError({ key: 'fetch.badMirror', values: { value: JSON.stringify(opts.mirror) } });
  const targets = await targetsOf(config, sourceId, opts);
  for (const target of targets) resolveParams(target.source, params);

  // Every download first; nothing is imported unless all of them succeeded.
  const downloads: { target: Target; result: FetchResult }[] = [];
  for (const target of targets) {
    // The bar redraws in place on a terminal; elsewhere (logs, CI), with --progress, a line every tenth.
    const bar = opts.terminal
      ? progressOf({
          stream: opts.terminal,
          locale: config.locale,
          // The file's name, read from the address before fetchFile checks it.
          label: /([^/?#]+)(?:[?#].*)?$/.exec(target.url)?.[1] ?? target.source.id,
          progress: opts.progress,
          quiet: opts.json,
          unit: 'bytes',
        })
      : undefined;
    const result = await fetchFile({
      url: target.url,
      dir: path.join(config.dataDir, 'downloads', target.source.id),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      ...(retries !== undefined ? { retries } : {}),
      ...(target.sha256 ? { sha256: target.sha256 } : {}),
      onProgress: (done, total) => bar?.update(done, total),
      onRetry: (attempt, reason, delay) =>
        err(
          `${t('fetch.retry', { attempt, reason: t(reason.key, reason.values), seconds: formatNumber(config.locale, delay / 1000) })}\n`,
        ),
    });
    bar?.stop();
    downloads.push({ target, result });
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
  }
  const reports: ImportReport[] = [];
  if (opts.import !== false)
    await withStatsAndRecords(
      config,
      async (stats, records) => {
        for (const { target, result } of downloads) {
          if (!target.imported) continue;
          const report = await importAudited(stats, records, target.source, result.file, {
            version: VERSION,
            params,
            importedBy: config.actor,
            origin: result.url,
            ...(maxRejectShare !== undefined ? { maxRejectShare } : {}),
          });
          reports.push(report);
          if (!opts.json) printReport(t, config.locale, report, out);
        }
      },
      { write: true },
    );
  if (opts.json) {
    // One file asked by source and address keeps the one-download answer.
    if (!opts.all && downloads.length === 1)
      return out(json({ download: downloads[0]!.result, import: reports[0] ?? null }));
    return out(json({ downloads: downloads.map((d) => d.result), imports: reports }));
  }
}
