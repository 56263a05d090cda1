/**
 * Section 1b of `npm run bench`: the import of `sesnsp-victims` (bzip2, 927,360 rows), the largest and
 * slowest file Marco reads. It reports rows/s and the share of the time spent decompressing, because
 * bzip2 in JavaScript, not validation, is where that import's time goes. The reference is plain DuckDB
 * `read_csv` → `CREATE TABLE` of the already decompressed CSV, on disk, so the ratio shows the whole cost
 * of starting from the published archive. One run: the import alone takes several seconds.
 * @module
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Bunzip from 'seek-bzip';
import { VERSION } from '../src/package.js';
import { importFile } from '../src/stats/importer.js';
import { sqlString } from '../src/stats/source.js';
import { sourceById } from '../src/stats/sources/index.js';
import { openStats } from '../src/stats/stats-store.js';
import { plainDuckdbLoad } from './ingest.js';
import { fmtInt, fmtS, fmtX, table } from './print.js';
import { isSkipped, section, tempDir, type BenchContext, type Section, type Skipped } from './runner.js';

const VICTIMS = 'sesnsp/db_victimas_delitos_ent_long.csv.bz2';

export interface VictimsBench {
  file: string;
  rows: number;
  seconds: number;
  decompressSeconds: number;
  /** Plain DuckDB reading the already decompressed CSV into a table (same run). */
  referenceSeconds: number;
}

async function measureVictims({ data, progress }: BenchContext): Promise<VictimsBench | Skipped> {
  const absent = data.missing([VICTIMS]);
  if (absent) return absent;
  const file = data.file(VICTIMS);
  progress('victims: one Marco import and one reference run');
  const dir = await tempDir('victims');
  try {
    const stats = await openStats({ dataDir: dir });
    let report;
    try {
      report = await importFile(stats, sourceById('sesnsp-victims')!, file, { version: VERSION });
    } finally {
      stats.close();
    }
    // Decompressed untimed: the reference starts where Marco's decompression ends.
    const csv = path.join(dir, 'victims.csv');
    await writeFile(csv, Bunzip.decode(await readFile(file)));
    const referenceSeconds = await plainDuckdbLoad(
      path.join(dir, 'reference.duckdb'),
      `read_csv(${sqlString(csv)}, header=true)`,
    );
    return {
      file: VICTIMS,
      rows: report.rowsLoaded,
      seconds: report.seconds,
      decompressSeconds: report.decompressSeconds,
      referenceSeconds,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function printVictims(v: VictimsBench | Skipped): string[] {
  if (isSkipped(v)) return ['1b. Ingest of sesnsp-victims: skipped (' + v.skipped + ')', ''];
  return [
    `1b. Ingest of sesnsp-victims: ${v.file}, one run`,
    ...table(
      ['measurement', '  seconds', '   rows/s', 'decompressing', 'vs reference'],
      [
        [
          'reference: DuckDB read_csv → CREATE TABLE of the decompressed CSV',
          fmtS(v.referenceSeconds),
          fmtInt(v.rows / v.referenceSeconds),
          '',
          '1.00×',
        ],
        [
          'Marco importFile (bzip2 → temp CSV → staged, validated, written)',
          fmtS(v.seconds),
          fmtInt(v.rows / v.seconds),
          `${fmtS(v.decompressSeconds)} (${((100 * v.decompressSeconds) / v.seconds).toFixed(0)}%)`,
          fmtX(v.seconds / v.referenceSeconds),
        ],
      ],
    ),
    '',
  ];
}

export function benchVictims(ctx: BenchContext): Promise<Section<VictimsBench>> {
  return section(ctx, 'victims', () => measureVictims(ctx), printVictims);
}
