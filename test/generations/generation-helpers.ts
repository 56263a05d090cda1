/**
 * What the generation tests share: a new file to import each time, a logger whose lines are kept, and a
 * bed of stores to open generations on.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  openGenerations,
  type GenerationOptions,
  type GenerationStats,
} from '../../src/generations/generation-stats.js';
import { createLogger } from '../../src/log.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { freshStore } from '../records/stores.js';

/** INEGI's state catalogue, as the starter data ships it. */
export const STATES = path.join(PACKAGE_ROOT, 'starter/cve_nom_estados.csv.gz');

/** INEGI's state catalogue with Yucatán's name ending in `tag`: each is a new file to import. */
export async function statesNamed(dir: string, tag: string): Promise<string> {
  const text = gunzipSync(await readFile(STATES))
    .toString('utf8')
    .replace('Yucatán', `Yucatán${tag}`);
  const file = path.join(dir, `states-${tag.trim() || 'plain'}.csv`);
  await writeFile(file, text);
  return file;
}

/** A logger whose JSON lines are kept, to read what was logged. */
export function keptLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination: sink }), lines };
}

/**
 * A statistics directory, a folder of files to import and a PostgreSQL schema of a describe block's own,
 * and `reader`, which opens generations on them as a process does (closed after each test).
 */
export function generationsBed(name: string) {
  const bed = {
    dir: '',
    files: '',
    records: undefined as unknown as Awaited<ReturnType<typeof freshStore>>,
  };
  const open: GenerationStats[] = [];
  const reader = async (extra: Partial<Omit<GenerationOptions, 'records' | 'dir' | 'log'>> = {}) => {
    const { log, lines } = keptLog();
    const stats = await openGenerations({
      records: bed.records,
      dir: bed.dir,
      actor: 'tester',
      log,
      graceMs: 0,
      tickMs: 100,
      ...extra,
    });
    open.push(stats);
    return { stats, lines };
  };
  beforeAll(async () => {
    bed.dir = await mkdtemp(path.join(os.tmpdir(), `marco-generations-${name}-`));
    bed.files = await mkdtemp(path.join(os.tmpdir(), `marco-generations-${name}-files-`));
    bed.records = await freshStore('postgres');
  });
  afterEach(async () => {
    for (const stats of open.splice(0)) await stats.shutdown();
  });
  afterAll(async () => {
    await bed.records?.dispose();
    for (const d of [bed.dir, bed.files]) if (d) await rm(d, { recursive: true, force: true });
  });
  return { bed, reader };
}
