/**
 * `marco import-dir DIR`: every file below DIR that a source recognises by its content.
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { VERSION } from '../../package.js';
import type { ImportReport } from '../../stats/import-report.js';
import { importAudited } from '../../custody/statistics-custody.js';
import { recogniseFile } from '../../stats/recognise.js';
import { inImportOrder } from '../../stats/import-order.js';
import { SOURCES } from '../../stats/sources/index.js';
import { share } from '../flags.js';
import { printReport } from './import.js';
import { progressOf, type Terminal } from '../progress.js';
import { json, withStatsAndRecords } from './open-stores.js';

/**
 * `marco import-dir DIR`: every file below DIR whose header matches a source is imported, the geography
 * catalogue first, then population, then the rest; the files no source recognises are listed.
 */
export async function runImportDir(
  config: Config,
  dir: string,
  opts: { json?: boolean; maxRejects?: string; progress?: boolean; terminal?: Terminal },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const maxRejectShare = share('--max-rejects', opts.maxRejects);
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).map(String).sort();
  } catch {
    throw new CliError({ key: 'files.notADirectory', values: { dir } });
  }
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if ((await stat(file)).isFile()) files.push(file);
  }
  const recognised: { file: string; source: (typeof SOURCES)[number]; layout: string }[] = [];
  const unrecognised: string[] = [];
  // A shapefile's companion files (.dbf, .shx, .prj, …) travel with its .shp.
  const shapefiles = new Set(
    files.filter((f) => /\.shp$/i.test(f)).map((f) => f.replace(/\.shp$/i, '').toLowerCase()),
  );
  const companion = (f: string) =>
    /\.(dbf|shx|prj|cpg|sbn|sbx|qix|xml)$/i.test(f) &&
    shapefiles.has(f.replace(/\.[^.]+$/, '').toLowerCase());
  for (const file of files) {
    if (companion(file)) continue;
    const match = await recogniseFile(file, SOURCES);
    if (match) recognised.push({ file, source: match.source, layout: match.layout.name });
    else unrecognised.push(file);
  }
  const ordered = inImportOrder(recognised);
  const bar = opts.terminal
    ? progressOf({
        stream: opts.terminal,
        locale: config.locale,
        label: t('cli.progressLabel.files'),
        progress: opts.progress,
        quiet: opts.json,
      })
    : undefined;
  await withStatsAndRecords(
    config,
    async (stats, records) => {
      const reports: ImportReport[] = [];
      bar?.update(0, ordered.length);
      for (const { file, source } of ordered) {
        const report = await importAudited(stats, records, source, file, {
          version: VERSION,
          importedBy: config.actor,
          origin: path.resolve(file),
          ...(maxRejectShare !== undefined ? { maxRejectShare } : {}),
        });
        reports.push(report);
        bar?.update(reports.length, ordered.length);
        if (!opts.json) printReport(t, config.locale, report, out);
      }
      bar?.stop();
      if (opts.json) return out(json({ imported: reports, unrecognised }));
      if (unrecognised.length)
        out(t('stats.unrecognised', { count: unrecognised.length, files: unrecognised.join('\n  ') }));
    },
    { write: true },
  );
}
