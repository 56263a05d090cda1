/**
 * Section `unzip` of `npm run bench`: the peak memory of decompressing a zipped publisher file, streamed
 * as Marco now does (`src/stats/decompress/unzip.ts`) against the whole-file buffer it used before, each
 * in a child process (`bench/unzip-one.ts`) and against a child that decompresses nothing (Node and tsx
 * alone). The file is SESNSP's victims CSV (133 MB), unpacked from its bzip2 and zipped with fflate's
 * streaming writer (sizes in a data descriptor, as web servers write them).
 * @module
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Zip, ZipDeflate } from 'fflate';
import { bunzip2ToFile } from '../src/stats/decompress/bzip2.js';
import { fmtMB, fmtS, fmtX, table } from './print.js';
import { median, ROOT, section, type BenchContext, type Section } from './runner.js';

const VICTIMS = 'sesnsp/db_victimas_delitos_ent_long.csv.bz2';
const RUNS = 3;

interface Child {
  seconds: number;
  peakRssBytes: number;
}
export interface UnzipBench {
  csvBytes: number;
  zipBytes: number;
  none: Child[];
  buffer: Child[];
  stream: Child[];
}

function child(mode: 'none' | 'buffer' | 'stream', file: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bench/unzip-one.ts'), mode, file],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Child) : reject(new Error(`${mode}: exit ${code}`)),
    );
  });
}

/** Zips `csv` into `zip` as a stream, so the bench itself never holds the file. */
async function zipFile(csv: string, zip: string): Promise<void> {
  const out = createWriteStream(zip);
  const archive = new Zip((error, chunk, final) => {
    if (error) throw error;
    out.write(chunk);
    if (final) out.end();
  });
  const entry = new ZipDeflate(path.basename(csv), { level: 6 });
  archive.add(entry);
  for await (const chunk of createReadStream(csv)) entry.push(chunk as Uint8Array);
  entry.push(new Uint8Array(0), true);
  archive.end();
  await once(out, 'close');
}

export function benchUnzip(ctx: BenchContext): Promise<Section<UnzipBench>> {
  return section(
    ctx,
    'unzip',
    async () => {
      const missing = ctx.data.missing([VICTIMS]);
      if (missing) return missing;
      const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-bench-unzip-'));
      try {
        const csv = path.join(dir, 'db_victimas_delitos_ent_long.csv');
        await bunzip2ToFile(ctx.data.file(VICTIMS), csv);
        const zip = `${csv}.zip`;
        await zipFile(csv, zip);
        const result: UnzipBench = {
          csvBytes: (await stat(csv)).size,
          zipBytes: (await stat(zip)).size,
          none: [],
          buffer: [],
          stream: [],
        };
        for (let i = 0; i < RUNS; i++) {
          ctx.progress(`unzip run ${i + 1} of ${RUNS}`);
          for (const mode of ['none', 'buffer', 'stream'] as const) result[mode].push(await child(mode, zip));
        }
        return result;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    (r) => {
      if ('skipped' in r) return ['Unzip memory: skipped — ' + r.skipped];
      const peak = (rows: Child[]) => median(rows.map((c) => c.peakRssBytes));
      const secs = (rows: Child[]) => median(rows.map((c) => c.seconds));
      const base = peak(r.none);
      return [
        `Unzip memory — SESNSP victims CSV ${fmtMB(r.csvBytes)}, zipped ${fmtMB(r.zipBytes)}; medians of ${RUNS} children each`,
        ...table(
          ['decompression', ' peak RSS', ' over Node alone', ' vs buffer', ' time'],
          (['buffer', 'stream'] as const).map((m) => [
            m === 'buffer' ? 'whole-file buffer (before)' : 'streamed (now)',
            fmtMB(peak(r[m])),
            fmtMB(peak(r[m]) - base),
            fmtX((peak(r[m]) - base) / (peak(r.buffer) - base)),
            fmtS(secs(r[m])),
          ]),
        ),
        `  reference: a child that decompresses nothing, ${fmtMB(base)} peak`,
      ];
    },
  );
}
