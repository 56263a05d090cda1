/**
 * Section 1b of `npm run bench`: the import of `sesnsp-victims` (bzip2, 927,360 rows), the largest and
 * slowest file Marco reads. The reference is plain DuckDB `read_csv` → `CREATE TABLE` of the already
 * decompressed CSV, on disk, so the ratio shows the whole cost of starting from the published archive
 * (issue 12's goal: at most 3×). Marco's import runs in a child process of its own
 * (`bench/import-one.ts`), so that its peak memory is its own (goal: at most 400 MB, the import process
 * and its bzip2 child together). Medians of `--victims-runs` runs (default 3) of each.
 * @module
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Bunzip from 'seek-bzip';
import { sqlString } from '../src/stats/source.js';
import { plainDuckdbLoad } from './ingest.js';
import { runChild } from './memory.js';
import { fmtInt, fmtMB, fmtS, fmtX, table } from './print.js';
import {
  isSkipped,
  median,
  section,
  tempDir,
  type BenchContext,
  type Goal,
  type Section,
  type Skipped,
} from './runner.js';

const VICTIMS = 'sesnsp/db_victimas_delitos_ent_long.csv.bz2';
const RUNS = 3;

export interface VictimsBench {
  file: string;
  rows: number;
  runs: number;
  /** Median `importFile` seconds, in a child process each. */
  seconds: number;
  decompressSeconds: number;
  /** Largest peak of the runs: import process and bzip2 child together. */
  peakBytes: number;
  /** Plain DuckDB reading the already decompressed CSV into a table (same run), median. */
  referenceSeconds: number;
}

async function measureVictims({ data, progress }: BenchContext): Promise<VictimsBench | Skipped> {
  const absent = data.missing([VICTIMS]);
  if (absent) return absent;
  const file = data.file(VICTIMS);
  const dir = await tempDir('victims');
  try {
    const imports = [];
    const references = [];
    // Decompressed untimed: the reference starts where Marco's decompression ends.
    const csv = path.join(dir, 'victims.csv');
    await writeFile(csv, Bunzip.decode(await readFile(file)));
    for (let run = 1; run <= RUNS; run++) {
      progress(`victims: Marco import ${run} of ${RUNS} (child process) and reference`);
      const row = await runChild(['sesnsp-victims', file]);
      if (row.error) return { skipped: `the import failed: ${row.error}` };
      imports.push(row);
      const db = path.join(dir, `reference-${run}.duckdb`);
      references.push(await plainDuckdbLoad(db, `read_csv(${sqlString(csv)}, header=true)`));
      await rm(db, { force: true });
    }
    return {
      file: VICTIMS,
      rows: imports[0]!.rows,
      runs: RUNS,
      seconds: median(imports.map((r) => r.importSeconds)),
      decompressSeconds: median(imports.map((r) => r.decompressSeconds)),
      peakBytes: Math.max(...imports.map((r) => r.footprintBytes)),
      referenceSeconds: median(references),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function printVictims(v: VictimsBench | Skipped): string[] {
  if (isSkipped(v)) return ['1b. Ingest of sesnsp-victims: skipped (' + v.skipped + ')', ''];
  const ratio = v.seconds / v.referenceSeconds;
  return [
    `1b. Ingest of sesnsp-victims: ${v.file}, medians of ${v.runs} runs`,
    ...table(
      ['measurement', '  seconds', '   rows/s', 'decompressing', 'vs reference', 'peak memory'],
      [
        [
          'reference: DuckDB read_csv → CREATE TABLE of the decompressed CSV',
          fmtS(v.referenceSeconds),
          fmtInt(v.rows / v.referenceSeconds),
          '',
          '1.00×',
          '',
        ],
        [
          'Marco importFile (bzip2 on every core → staged, validated, written)',
          fmtS(v.seconds),
          fmtInt(v.rows / v.seconds),
          `${fmtS(v.decompressSeconds)} (${((100 * v.decompressSeconds) / v.seconds).toFixed(0)}%)`,
          fmtX(ratio),
          fmtMB(v.peakBytes),
        ],
      ],
    ),
    `  goals: ≤ 3× the reference (${ratio <= 3 ? 'met' : 'missed'}: ${fmtX(ratio)}); peak memory ≤ 400 MB (${v.peakBytes <= 400 * 1024 * 1024 ? 'met' : 'missed'}: ${fmtMB(v.peakBytes)}, the largest of the runs)`,
    '',
  ];
}

const victimsGoals = (v: VictimsBench): Goal[] => {
  const ratio = v.seconds / v.referenceSeconds;
  return [
    {
      goal: 'ingest of sesnsp-victims ≤ 3× plain DuckDB on the decompressed CSV',
      value: ratio,
      display: fmtX(ratio),
      met: ratio <= 3,
    },
    {
      goal: 'ingest of sesnsp-victims peak memory ≤ 400 MB',
      value: v.peakBytes,
      display: fmtMB(v.peakBytes),
      met: v.peakBytes <= 400 * 1024 * 1024,
    },
  ];
};

export function benchVictims(ctx: BenchContext): Promise<Section<VictimsBench>> {
  return section(ctx, 'victims', () => measureVictims(ctx), printVictims, victimsGoals);
}
