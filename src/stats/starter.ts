/**
 * Real data on the first start: the compact snapshot in `starter/` (four publisher files as published,
 * gzipped: INEGI's state catalogue, CONAPO's state population, INEGI homicides by state and month, and
 * the CDC's synthetic-opioid deaths) is imported into a statistics store that holds no observations yet.
 * Each file is checked against the sha256 its manifest pins before it is read, and becomes a vintage
 * whose origin says `starter` and the publisher's address; any later import of the same source replaces
 * its periods as usual. `scripts/build-starter.ts` builds the snapshot from the shared data.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CliError } from '../error.js';
import { PACKAGE_ROOT } from '../package.js';
import type { ImportReport } from './import-report.js';
import { importFile } from './importer.js';
import { sourceById } from './sources/index.js';
import type { StatsStore } from './stats-store.js';

export const STARTER_DIR = path.join(PACKAGE_ROOT, 'starter');

export interface StarterFile {
  source: string;
  file: string;
  original: string;
  url: string;
  sha256: string;
  bytes: number;
  publisher: string;
  licence: string;
  attribution: string;
}

/** The snapshot's manifest. */
export async function starterManifest(dir = STARTER_DIR): Promise<StarterFile[]> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as {
    files: StarterFile[];
  };
  return manifest.files;
}

/** The origin recorded on a starter vintage. */
export const starterOrigin = (f: Pick<StarterFile, 'url'>) => `starter: ${f.url}`;

/**
 * Imports the snapshot when the store holds no observations (only built-in documented figures, or
 * nothing); otherwise does nothing. Returns the reports of the imports made, for the audit log.
 */
export async function ensureStarter(
  stats: StatsStore,
  version: string,
  dir = STARTER_DIR,
): Promise<{ file: StarterFile; report: ImportReport }[]> {
  const meta = await stats.metadata();
  if (meta.coverage.length > 0) return [];
  const done: { file: StarterFile; report: ImportReport }[] = [];
  for (const f of await starterManifest(dir)) {
    const source = sourceById(f.source);
    if (!source) throw new CliError({ key: 'imports.starter.unknownSource', values: { source: f.source } });
    const file = path.join(dir, f.file);
    // The snapshot must be the published bytes: a damaged or edited file is refused, not imported.
    const sha256 = createHash('sha256')
      .update(gunzipSync(await readFile(file)))
      .digest('hex');
    if (sha256 !== f.sha256)
      throw new CliError({ key: 'imports.starter.checksum', values: { file, sha256, expected: f.sha256 } });
    const report = await importFile(stats, source, file, {
      version,
      importedBy: 'marco',
      origin: starterOrigin(f),
    });
    done.push({ file: f, report });
  }
  return done;
}
