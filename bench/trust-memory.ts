/**
 * The memory figure of the trust bench: a child `marco serve` on a data directory holding the municipal
 * homicides answers 12 concurrent maximal series (every municipality by month, as CSV), and its peak
 * resident memory is reported beside its idle figure. It runs twice: with the records on embedded PGlite
 * (the default `npm start`; PGlite's WebAssembly Postgres alone holds about 750 MB), and, when
 * `DATABASE_URL` is set, with the records on that PostgreSQL server in a database of its own, as a
 * service deployment runs.
 * @module
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { VERSION } from '../src/package.js';
import { importFile } from '../src/stats/importer.js';
import { sourceById } from '../src/stats/sources/index.js';
import { openStats } from '../src/stats/stats-store.js';
import { MUNICIPAL, now, ROOT, tempDir, type BenchContext, type Skipped } from './runner.js';

export interface ServerMemory {
  idleMB: number;
  peakMB: number;
  seconds: number;
}

export interface TrustMemory {
  requests: number;
  embedded: ServerMemory | Skipped;
  postgres: ServerMemory | Skipped;
}

const REQUESTS = 12;

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB. */
async function memoryOf(pid: number): Promise<{ peak: number; rss: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

/** Serves `dir` in a child process with `databaseUrl` ('' for PGlite) and measures it under load. */
async function serveUnderLoad(dir: string, databaseUrl: string): Promise<ServerMemory> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'test/records/cli-entry.ts'),
      '--data-dir',
      dir,
      'serve',
      '--port',
      '0',
    ],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 120_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    // Warm up once, then read the idle figure.
    await (await fetch(`${base}/api/v1/series?measure=homicides&geo=08037&by=year`)).text();
    const idle = await memoryOf(child.pid!);
    const t0 = now();
    let peak = idle.peak;
    const poll = setInterval(
      () => void memoryOf(child.pid!).then((m) => (peak = Math.max(peak, m.peak))),
      50,
    );
    await Promise.all(
      Array.from({ length: REQUESTS }, async () => {
        const res = await fetch(`${base}/explore.csv?measure=homicides&level=municipality&by=month`);
        if (res.status !== 200) throw new Error(`explore.csv: HTTP ${res.status}`);
        await res.arrayBuffer();
      }),
    );
    clearInterval(poll);
    peak = Math.max(peak, (await memoryOf(child.pid!)).peak);
    return { idleMB: idle.rss, peakMB: peak, seconds: (now() - t0) / 1000 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
  }
}

/** The same load with the records in a fresh database on `DATABASE_URL`'s server, dropped afterwards. */
async function onPostgres(dir: string): Promise<ServerMemory | Skipped> {
  const url = process.env.DATABASE_URL;
  if (!url) return { skipped: 'DATABASE_URL is not set: the service deployment is measured on PostgreSQL' };
  const name = `marco_bench_memory_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    return await serveUnderLoad(dir, target.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

export async function benchMemory({ data, progress }: BenchContext): Promise<TrustMemory | Skipped> {
  const absent = data.missing(['geo/cve_nom_municipios.csv', MUNICIPAL]);
  if (absent) return absent;
  const dir = await tempDir('trust-memory');
  try {
    const stats = await openStats({ dataDir: dir });
    progress('trust: loading the municipal homicides for the memory figure');
    await importFile(stats, sourceById('inegi-geo-catalog')!, data.file('geo/cve_nom_municipios.csv'), {
      version: VERSION,
    });
    await importFile(stats, sourceById('inegi-homicides-municipal')!, data.file(MUNICIPAL), {
      version: VERSION,
    });
    stats.close();
    progress(`trust: ${REQUESTS} concurrent national municipal-by-month CSVs, records on PGlite`);
    const embedded = await serveUnderLoad(dir, '');
    progress(`trust: the same, records on PostgreSQL`);
    const postgres = await onPostgres(dir);
    return { requests: REQUESTS, embedded, postgres };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
