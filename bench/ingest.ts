/**
 * Section 1 of `npm run bench`: how long Marco takes to import `inegi-homicides-municipal` into a fresh
 * on-disk store, against plain DuckDB `read_csv` → `CREATE TABLE` of the same file into a fresh on-disk
 * database. The reference is the floor any importer built on DuckDB could reach, so the ratio is the price
 * of what Marco adds (validation, vintages, coverage), and the goal caps that price.
 * @module
 */
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { VERSION } from '../src/package.js';
import { importFile } from '../src/stats/importer.js';
import { sqlString } from '../src/stats/source.js';
import { sourceById } from '../src/stats/sources/index.js';
import { openStats } from '../src/stats/stats-store.js';
import { fmtInt, fmtMB, fmtS, fmtX, table, verdict } from './print.js';
import {
  bytesOnDisk,
  isSkipped,
  median,
  MUNICIPAL,
  now,
  section,
  tempDir,
  type BenchContext,
  type Goal,
  type Section,
  type Skipped,
} from './runner.js';

export const GOAL_INGEST_RATIO = 1.5;

interface IngestRun {
  seconds: number;
  /** Marco only: importFile + close (the close writes the checkpoint, as the reference's does). */
  importCloseSeconds?: number;
  /** Marco only: open + importFile + close. */
  endToEndSeconds?: number;
  rows: number;
  bytesOnDisk: number;
}

export interface IngestResult {
  file: string;
  repeat: number;
  reference: { what: string; medianSeconds: number; rowsPerSecond: number; runs: IngestRun[] };
  marco: {
    what: string;
    medianSeconds: number;
    rowsPerSecond: number;
    medianImportCloseSeconds: number;
    medianEndToEndSeconds: number;
    runs: IngestRun[];
  };
  /** importFile median ÷ reference median. */
  importRatio: number;
  /** (importFile + close) median ÷ reference median: the goal's figure, both sides ending on disk. */
  ratio: number;
  /** (open + importFile + close) median ÷ reference median. */
  endToEndRatio: number;
}

/**
 * Plain DuckDB: a new database file, `create table t as select * from <readCsv>`, closed, all timed, so
 * the checkpoint to disk is paid as Marco pays it. Also the reference of the victims ingest.
 */
export async function plainDuckdbLoad(db: string, readCsv: string): Promise<number> {
  const t0 = now();
  const instance = await DuckDBInstance.create(db);
  const con = await instance.connect();
  await con.run(`create table t as select * from ${readCsv}`);
  con.closeSync();
  instance.closeSync();
  return (now() - t0) / 1000;
}

async function referenceIngest(file: string): Promise<IngestRun> {
  const dir = await tempDir('ref');
  try {
    const db = path.join(dir, 'reference.duckdb');
    const seconds = await plainDuckdbLoad(db, `read_csv(${sqlString(file)}, delim='|', header=true)`);
    const bytes = await bytesOnDisk(dir);
    // Untimed: reopen to check what was written.
    const check = await DuckDBInstance.create(db);
    const checkCon = await check.connect();
    const rows = Number((await checkCon.runAndReadAll('select count(*) from t')).getRows()[0]![0]);
    checkCon.closeSync();
    check.closeSync();
    return { seconds, rows, bytesOnDisk: bytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Marco: a new store (opened untimed), `importFile` timed alone and with open and close. */
async function marcoIngest(file: string): Promise<IngestRun> {
  const dir = await tempDir('ingest');
  try {
    const t0 = now();
    const stats = await openStats({ dataDir: dir });
    let t1 = 0;
    let t2 = 0;
    let rows = 0;
    try {
      t1 = now();
      const report = await importFile(stats, sourceById('inegi-homicides-municipal')!, file, {
        version: VERSION,
      });
      t2 = now();
      rows = report.rowsLoaded;
    } finally {
      stats.close();
    }
    const t3 = now();
    return {
      seconds: (t2 - t1) / 1000,
      importCloseSeconds: (t3 - t1) / 1000,
      endToEndSeconds: (t3 - t0) / 1000,
      rows,
      bytesOnDisk: await bytesOnDisk(dir),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureIngest({ options, data, progress }: BenchContext): Promise<IngestResult | Skipped> {
  const absent = data.missing([MUNICIPAL]);
  if (absent) return absent;
  const file = data.file(MUNICIPAL);
  const repeat = options.repeat;
  progress('ingest: warm-up (one untimed run of each)');
  await referenceIngest(file);
  await marcoIngest(file);
  const reference: IngestRun[] = [];
  const marco: IngestRun[] = [];
  for (let i = 0; i < repeat; i++) {
    // Alternate which side goes first, so neither always runs on a warmer machine.
    if (i % 2 === 0) {
      reference.push(await referenceIngest(file));
      marco.push(await marcoIngest(file));
    } else {
      marco.push(await marcoIngest(file));
      reference.push(await referenceIngest(file));
    }
    progress(
      `ingest ${i + 1}/${repeat}: reference ${fmtS(reference.at(-1)!.seconds)}, Marco ${fmtS(marco.at(-1)!.seconds)}`,
    );
  }
  const refMedian = median(reference.map((r) => r.seconds));
  const marcoMedian = median(marco.map((r) => r.seconds));
  const e2eMedian = median(marco.map((r) => r.endToEndSeconds!));
  const closeMedian = median(marco.map((r) => r.importCloseSeconds!));
  const rows = marco[0]!.rows;
  return {
    file: MUNICIPAL,
    repeat,
    reference: {
      what: "DuckDB: new instance on a new file, create table t as select * from read_csv(file, delim='|', header=true), close",
      medianSeconds: refMedian,
      rowsPerSecond: reference[0]!.rows / refMedian,
      runs: reference,
    },
    marco: {
      what: 'importFile(inegi-homicides-municipal) into a new on-disk store (validation, vintage, coverage, commit)',
      medianSeconds: marcoMedian,
      rowsPerSecond: rows / marcoMedian,
      medianImportCloseSeconds: closeMedian,
      medianEndToEndSeconds: e2eMedian,
      runs: marco,
    },
    importRatio: marcoMedian / refMedian,
    ratio: closeMedian / refMedian,
    endToEndRatio: e2eMedian / refMedian,
  };
}

function printIngest(r: IngestResult | Skipped): string[] {
  const title = '1. Ingest of inegi-homicides-municipal';
  if (isSkipped(r)) return [title, `  skipped: ${r.skipped}`];
  const spread = (runs: IngestRun[], pick: (x: IngestRun) => number) => {
    const xs = runs.map(pick);
    return [fmtS(Math.min(...xs)), fmtS(Math.max(...xs))];
  };
  const rowsOf = (runs: IngestRun[]) => fmtInt(runs[0]!.rows);
  const disk = (runs: IngestRun[]) => fmtMB(median(runs.map((x) => x.bytesOnDisk)));
  return [
    `${title}: ${r.file}, ${r.repeat} repetitions (+1 warm-up), a fresh on-disk database each`,
    ...table(
      ['measurement', ' median', ' min', ' max', ' rows', ' rows/s', ' on disk', ' vs reference'],
      [
        [
          'reference: DuckDB open + read_csv → CREATE TABLE + close',
          fmtS(r.reference.medianSeconds),
          ...spread(r.reference.runs, (x) => x.seconds),
          rowsOf(r.reference.runs),
          fmtInt(r.reference.rowsPerSecond),
          disk(r.reference.runs),
          fmtX(1),
        ],
        [
          'Marco importFile (store already open)',
          fmtS(r.marco.medianSeconds),
          ...spread(r.marco.runs, (x) => x.seconds),
          rowsOf(r.marco.runs),
          fmtInt(r.marco.rowsPerSecond),
          disk(r.marco.runs),
          fmtX(r.importRatio),
        ],
        [
          'Marco importFile + close (the goal: both end on disk)',
          fmtS(r.marco.medianImportCloseSeconds),
          ...spread(r.marco.runs, (x) => x.importCloseSeconds!),
          rowsOf(r.marco.runs),
          fmtInt(r.reference.runs[0]!.rows / r.marco.medianImportCloseSeconds),
          disk(r.marco.runs),
          fmtX(r.ratio),
        ],
        [
          'Marco openStats + importFile + close',
          fmtS(r.marco.medianEndToEndSeconds),
          ...spread(r.marco.runs, (x) => x.endToEndSeconds!),
          rowsOf(r.marco.runs),
          fmtInt(r.reference.runs[0]!.rows / r.marco.medianEndToEndSeconds),
          disk(r.marco.runs),
          fmtX(r.endToEndRatio),
        ],
      ],
    ),
    `  goal: importFile + close ≤ ${GOAL_INGEST_RATIO}× the reference → ${fmtX(r.ratio)} ${verdict(r.ratio <= GOAL_INGEST_RATIO)}`,
  ];
}

const ingestGoals = (r: IngestResult): Goal[] => [
  {
    goal: `ingest of inegi-homicides-municipal ≤ ${GOAL_INGEST_RATIO}× plain DuckDB`,
    value: r.ratio,
    display: fmtX(r.ratio),
    met: r.ratio <= GOAL_INGEST_RATIO,
  },
];

export function benchIngest(ctx: BenchContext): Promise<Section<IngestResult>> {
  return section(ctx, 'ingest', () => measureIngest(ctx), printIngest, ingestGoals);
}
