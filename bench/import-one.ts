/**
 * One import in a process of its own, so its peak memory can be read: opens a fresh statistics store in a
 * temporary directory, imports one file, closes the store and prints one JSON line with the import's
 * figures and the process's peak resident set size. Without arguments it only opens (and closes) an empty
 * store: the reference for the memory figures in `bench/memory.ts`.
 *
 *   node --import tsx bench/import-one.ts [SOURCE FILE]
 * @module
 */
import { peakRss } from './peak-rss.js';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFile } from '../src/stats/importer.js';
import { sourceById } from '../src/stats/sources/index.js';
import { openStats } from '../src/stats/stats-store.js';

export interface ImportOneResult {
  source: string | null;
  file: string | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** `importFile` wall time, in seconds. */
  importSeconds: number;
  /** From the first line of this script to the store being closed, in seconds. */
  wallSeconds: number;
  /** Peak resident set size of this process, in bytes. */
  peakRssBytes: number;
  peakRssFrom: 'VmHWM' | 'maxRSS';
  /** Time spent decompressing (bzip2, zip), inside `importSeconds`. */
  decompressSeconds: number;
  /**
   * Peak of the child process that decompressed a large bzip2 file on several cores, in bytes (0 when
   * none ran), and this process's resident set size just before the import started.
   */
  decompressChildPeakBytes: number;
  rssBeforeImportBytes: number;
  /**
   * The most memory the import held at once, this process and its decompression child together: the
   * larger of this process's peak and its size before the import plus the child's peak (the child ran
   * and exited before the import read the file, while this process held little more than before).
   */
  footprintBytes: number;
}

const started = performance.now();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;
const [sourceId, file] = process.argv.slice(2);
if (sourceId !== undefined && file === undefined) {
  process.stderr.write('usage: node --import tsx bench/import-one.ts [SOURCE FILE]\n');
  process.exit(2);
}
const source = sourceId === undefined ? undefined : sourceById(sourceId);
if (sourceId !== undefined && !source) {
  process.stderr.write(`unknown source: ${sourceId}\n`);
  process.exit(2);
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-bench-one-'));
try {
  const stats = await openStats({ dataDir: dir });
  let rows = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };
  let importSeconds = 0;
  let decompressSeconds = 0;
  let decompressChildPeakBytes = 0;
  const rssBeforeImportBytes = process.memoryUsage().rss;
  try {
    if (source && file) {
      const t0 = performance.now();
      const report = await importFile(stats, source, path.resolve(file), { version });
      importSeconds = (performance.now() - t0) / 1000;
      rows = { rowsRead: report.rowsRead, rowsLoaded: report.rowsLoaded, rowsRejected: report.rowsRejected };
      decompressSeconds = report.decompressSeconds;
      decompressChildPeakBytes = (report.decompressPeakMb ?? 0) * 1024 * 1024;
    }
  } finally {
    stats.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const peak = peakRss();
  const result: ImportOneResult = {
    source: source?.id ?? null,
    file: file ?? null,
    ...rows,
    importSeconds,
    wallSeconds,
    peakRssBytes: peak.bytes,
    peakRssFrom: peak.from,
    decompressSeconds,
    decompressChildPeakBytes,
    rssBeforeImportBytes,
    footprintBytes: Math.max(peak.bytes, rssBeforeImportBytes + decompressChildPeakBytes),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
