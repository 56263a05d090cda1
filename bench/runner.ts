/**
 * What the benchmarks of `npm run bench` share: the context each one is given (options, data files,
 * progress), the shape of what each returns, the statistics they summarise timings with, the data-file
 * lookup with its skip rule, the fully loaded store that the series and web figures both measure, and
 * the machine description printed above every run. Keeping these in one place is what lets a figure from
 * one section be read next to another's: same percentiles, same data directory, same loaded store.
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { VERSION } from '../src/package.js';
import { importFile } from '../src/stats/importer.js';
import { sourceById } from '../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../src/stats/stats-store.js';

/** The project root: the memory benchmark's children run from there, and relative data paths start there. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The names `--only` selects, in the order the sections run and print. */
export const BENCHMARKS = [
  'ingest',
  'victims',
  'anomalies',
  'series',
  'memory',
  'web',
  'eval',
  'synth',
  'trust',
  'monitoring',
  'exchange',
  'funding',
  'reports',
  'jobs',
  'networks',
  'unzip',
  'scale',
] as const;
export type BenchName = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  /** Repetitions of each timed run (ingest, evaluation). */
  repeat: number;
  queries: number;
  warmupQueries: number;
  seed: number;
  only: Set<string>;
}

export interface BenchContext {
  options: BenchOptions;
  data: BenchData;
  /** Progress goes to stderr, so that stdout holds only the report (or the JSON). */
  progress: (message: string) => void;
}

/** Why a figure was not measured; it takes the figure's place in the report and the JSON. */
export interface Skipped {
  skipped: string;
}
export const isSkipped = (x: unknown): x is Skipped => typeof x === 'object' && x !== null && 'skipped' in x;

/** One row of the final Goals table; `display` is printed, `value` goes to the JSON. */
export interface Goal {
  goal: string;
  value: number;
  display: string;
  met: boolean;
}

/** What a benchmark hands back to the entry: its figures for the JSON, its printed lines and its goals. */
export interface Section<R> {
  result: R | Skipped;
  lines: string[];
  goals: Goal[];
}

/**
 * Measures a section when `--only` selects it, and prints it either way, so a run of one section still
 * shows which others were left out.
 */
export async function section<R>(
  ctx: BenchContext,
  name: BenchName,
  measure: () => Promise<R | Skipped>,
  print: (result: R | Skipped) => string[],
  goals: (result: R) => Goal[] = () => [],
): Promise<Section<R>> {
  const result = ctx.options.only.has(name) ? await measure() : { skipped: 'not selected (--only)' };
  return { result, lines: print(result), goals: isSkipped(result) ? [] : goals(result) };
}

// ---------------------------------------------------------------------------------------------------------
// Timing

export const now = () => performance.now();

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100): always a time that was actually measured. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export const latency = (ms: number[]): Latency => ({
  n: ms.length,
  p50: percentile(ms, 50),
  p99: percentile(ms, 99),
  max: Math.max(...ms),
});

/**
 * Runs `run` `times` times in a row, announcing each run before its clock starts; returns each run's
 * seconds and the last run's answer (every run computes the same one).
 */
export function timeRuns<T>(
  times: number,
  announce: (i: number) => void,
  run: () => T,
): { runs: number[]; last: T } {
  const runs: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < times; i++) {
    announce(i);
    const t0 = now();
    last = run();
    runs.push((now() - t0) / 1000);
  }
  return { runs, last: last as T };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `marco-bench-${prefix}-`));
}

/** Bytes of the files directly in `dir` (the database file and its WAL). */
export async function bytesOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(path.join(dir, name))).size;
  return total;
}

// ---------------------------------------------------------------------------------------------------------
// Data files

export interface BenchData {
  dir: string;
  file(relative: string): string;
  /**
   * A skip naming the absent files, or undefined when all are there: a machine without some public file
   * still gets every other figure, and the run still exits 0.
   */
  missing(relatives: string[]): Skipped | undefined;
}

/**
 * The public files: `MARCO_BENCH_DATA` when set (a bench-only override), else the project's shared-data
 * rule, `MARCO_SHARED_DATA` or `../shared/data`, both relative to the project root.
 */
export function benchData(
  dir = path.resolve(ROOT, process.env.MARCO_BENCH_DATA ?? process.env.MARCO_SHARED_DATA ?? '../shared/data'),
): BenchData {
  const file = (relative: string) => path.join(dir, relative);
  return {
    dir,
    file,
    missing(relatives) {
      const absent = relatives.filter((f) => !existsSync(file(f)));
      if (!absent.length) return undefined;
      return {
        skipped: `missing data file${relatives.length > 1 ? '(s)' : ''} ${absent.map(file).join(', ')}`,
      };
    },
  };
}

export const MUNICIPAL = 'inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz';

/** The imports of the loaded store, in load order (the catalogue first, so places are checked). */
export const IMPORTS: { source: string; file: string }[] = [
  { source: 'inegi-geo-catalog', file: 'geo/cve_nom_estados.csv' },
  { source: 'inegi-geo-catalog', file: 'geo/cve_nom_municipios.csv' },
  { source: 'inegi-homicides-municipal', file: MUNICIPAL },
  { source: 'inegi-homicides-state', file: 'inegi/mexico-state-month-homicide-rates-2000-2022.csv' },
  { source: 'conapo-population-state-monthly', file: 'conapo/pop_states_monthly_1990_2050.csv' },
  { source: 'conapo-population-state', file: 'conapo/conapo_pob_ent_gender_1950_2070.csv' },
  { source: 'conapo-population-municipal', file: 'conapo/municipio-population1990-2009.csv' },
  { source: 'conapo-population-municipal', file: 'conapo/municipio-population2010-2030.csv' },
  { source: 'inegi-homicides-historic', file: 'inegi/county-month-1990-2008.csv.bz2' },
  { source: 'cbp-drug-seizures', file: 'cbp/nationwide-drugs-fy23-fy26-dec.csv' },
  { source: 'usaid-foreign-aid', file: 'usaid/us_foreign_aid_country.csv' },
  { source: 'inegi-boundaries', file: 'geo/municipios.shp' },
  { source: 'sesnsp-victims', file: 'sesnsp/db_victimas_delitos_ent_long.csv.bz2' },
];

export interface LoadedStore {
  stats: StatsStore;
  /** Each import's rows and seconds, in load order. */
  loads: { source: string; file: string; rows: number; seconds: number }[];
  /** Closes the store and removes its directory. */
  close(): Promise<void>;
}

/**
 * A fresh on-disk store with every file of `IMPORTS`: queries and pages are measured against a store the
 * size of a real one, not a toy that fits in any cache.
 */
export async function openLoadedStore(data: BenchData, prefix: string): Promise<LoadedStore | Skipped> {
  const absent = data.missing(IMPORTS.map((i) => i.file));
  if (absent) return absent;
  const dir = await tempDir(prefix);
  let stats: StatsStore | undefined;
  const close = async () => {
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    stats = await openStats({ dataDir: dir });
    const loads: LoadedStore['loads'] = [];
    for (const { source, file } of IMPORTS) {
      const report = await importFile(stats, sourceById(source)!, data.file(file), { version: VERSION });
      loads.push({ source, file, rows: report.rowsLoaded, seconds: report.seconds });
    }
    return { stats, loads, close };
  } catch (error) {
    await close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Machine

async function duckdbInfo(): Promise<{ version: string; threads: string }> {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const row = (
    await con.runAndReadAll(`select version(), current_setting('threads')::varchar`)
  ).getRows()[0]!;
  con.closeSync();
  instance.closeSync();
  return { version: String(row[0]), threads: String(row[1]) };
}

/** The machine and DuckDB build, printed above the figures: ratios travel between machines, seconds do not. */
export async function machineInfo() {
  const cpus = os.cpus();
  const duckdb = await duckdbInfo();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    duckdb: duckdb.version,
    duckdbThreads: duckdb.threads,
    date: new Date().toISOString(),
  };
}
