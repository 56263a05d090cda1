/**
 * The IATI export's memory, measured cleanly: each export runs in a child process of its own on
 * PostgreSQL (`DATABASE_URL`), where no embedded database's heap grows with the records, and its peak
 * resident size (VmHWM) and the most it retains between batches (after a full collection) are read, for
 * 100 and for 500 programs of 20 indicators. A streamed export holds one batch of activities whatever
 * their number, so what it retains stays flat while the file grows fivefold; the reference holds the
 * file whole, and grows with it. The peak counts garbage too, which V8 collects lazily, so it is a
 * figure to read beside them, not the test of streaming.
 * @module
 */
import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { loadBuiltins } from '../src/records/builtin.js';
import { openRecords } from '../src/records/database.js';
import { loadWorkspace } from '../src/records/workspace-load.js';
import { ROOT, tempDir, type Skipped } from './runner.js';

export interface IatiMemoryRun {
  programs: number;
  bytes: number;
  /** The most kept between batches above the size before, in MB: streamed, then held whole. */
  streamedMB: number;
  heldMB: number;
  /** Peak resident size above the size before the export, in MB: streamed, then held whole. */
  streamedPeakMB: number;
  heldPeakMB: number;
}

/** One export in a child; what it retained and its peak above its size before the export, in MB. */
async function child(
  databaseUrl: string,
  file: string,
  mode: 'stream' | 'held',
): Promise<{ retained: number; peak: number }> {
  const script = path.join(ROOT, 'bench/iati-child.ts');
  const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, file, mode], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  p.stdout.on('data', (c: Buffer) => (out += c.toString()));
  p.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => p.on('exit', resolve));
  if (code !== 0) throw new Error(`IATI child exited ${code}: ${err}`);
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as { retained: number; before: number; peak: number };
  return { retained: r.retained / 1024 / 1024, peak: (r.peak - r.before) / 1024 / 1024 };
}

/**
 * Loads `sizes` programs in turn (each load adds to the last) into a fresh database on `DATABASE_URL`'s
 * server, and measures `repeat` streamed and held exports at each size.
 */
export async function iatiMemory(
  workspace: (programs: number) => unknown,
  sizes: readonly number[],
  repeat: number,
  progress: (m: string) => void,
): Promise<IatiMemoryRun[][] | Skipped> {
  const url = process.env.DATABASE_URL;
  if (!url) return { skipped: 'DATABASE_URL is not set: the export’s memory is measured on PostgreSQL' };
  const name = `marco_bench_iati_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const dir = await tempDir('iati-memory');
  try {
    await admin.query(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const runs: IatiMemoryRun[][] = [];
    for (const programs of sizes) {
      progress(`funding: IATI memory, loading ${programs} programs on PostgreSQL`);
      const records = await openRecords({ databaseUrl: target.toString() });
      try {
        if (runs.length === 0) await loadBuiltins(records, 'bench');
        await loadWorkspace(records, workspace(programs) as never, { actor: 'bench' });
      } finally {
        await records.close();
      }
      const file = path.join(dir, `activities-${programs}.xml`);
      const at: IatiMemoryRun[] = [];
      for (let i = 0; i < repeat; i++) {
        progress(`funding: IATI memory, ${programs} programs (${i + 1}/${repeat})`);
        const streamed = await child(target.toString(), file, 'stream');
        const held = await child(target.toString(), file, 'held');
        at.push({
          programs,
          bytes: (await stat(file)).size,
          streamedMB: streamed.retained,
          heldMB: held.retained,
          streamedPeakMB: streamed.peak,
          heldPeakMB: held.peak,
        });
      }
      runs.push(at);
    }
    return runs;
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}
