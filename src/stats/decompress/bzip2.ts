/**
 * bzip2 decompression on every core: the file's blocks (found by `bzip2-blocks.ts`) are decompressed by
 * worker threads, each block checked against its own CRC and the blocks against the stream's, and
 * written to the output file in order as they arrive, so memory holds a few blocks, never the file.
 * SESNSP's 2 MB victims file (133 MB of CSV) was 40% of its import when decompressed in one thread.
 *
 * The threads run in a short-lived child process: the memory they churn through (each holds a
 * WebAssembly heap with a block's output) goes back to the system when it exits, before DuckDB reads the
 * file, instead of staying in the importing process's heap (it added 40 to 130 MB to that process's
 * peak).
 *
 * A file whose blocks cannot be mapped (damaged, truncated, trailing bytes), or of a few blocks only, is
 * decompressed in one pass by seek-bzip itself, which names any damage.
 * @module
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import Bunzip from 'seek-bzip';
import { bzip2Streams } from './bzip2-blocks.js';

/**
 * Runs in each worker (CommonJS, evaluated): decompresses the blocks it is sent, one message per block,
 * and answers with the block's bytes (transferred, not copied).
 *
 * Each block is decompressed by libbzip2 itself, compiled to WebAssembly (@foxglove/wasm-bz2), which
 * reads whole streams only: the block's bits, which need not start on a byte boundary, are shifted into a
 * stream of their own (the file's `BZh` header, the block, and an end mark whose stream CRC is the
 * block's own CRC, as for any one-block stream). libbzip2 checks both CRCs. It decodes about three times
 * as fast as seek-bzip, the pure-JavaScript decoder used for short files and damaged ones.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Bzip2 = require(workerData.lib);
const bytes = new Uint8Array(workerData.bytes);
const END = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];
function stream(level, from, to, crc) {
  const n = to - from;
  const out = new Uint8Array(Math.ceil((32 + n + 80) / 8));
  out[0] = 0x42; out[1] = 0x5a; out[2] = 0x68; out[3] = level;
  const shift = from & 7;
  for (let k = 0, i = from >> 3, count = Math.ceil(n / 8); k < count; k++, i++)
    out[4 + k] = ((bytes[i] << shift) | (shift ? bytes[i + 1] >> (8 - shift) : 0)) & 0xff;
  let bit = 32 + n;
  out[bit >> 3] &= (0xff << (8 - (bit & 7))) & 0xff;
  out.fill(0, (bit >> 3) + 1);
  for (const b of [...END, crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff]) {
    const at = bit >> 3, o = bit & 7;
    out[at] |= b >> o;
    if (o) out[at + 1] |= (b << (8 - o)) & 0xff;
    bit += 8;
  }
  return out;
}
// A block holds at most level x 100 kB before bzip2's run-length step, which can shrink runs of one byte
// about 50 times: most blocks fit the first buffer; one that does not (BZ_OUTBUFF_FULL, -8) gets the
// largest it can need.
function block(bz, { level, from, to, crc }) {
  const input = stream(level, from, to, crc);
  const most = (level - 0x30) * 100000;
  try {
    return bz.decompress(input, 4 * most);
  } catch (error) {
    if (!/failed: -8\b/.test(String(error && error.message))) throw error;
    return bz.decompress(input, 52 * most);
  }
}
const ready = Bzip2.init();
parentPort.on('message', async (job) => {
  try {
    const data = block(await ready, job);
    parentPort.postMessage({ index: job.index, data }, [data.buffer]);
  } catch (error) {
    parentPort.postMessage({ index: job.index, error: String((error && error.message) || error) });
  }
});`;

/**
 * The child process (CommonJS, `node -e`): takes the compressed bytes on its standard input (the parent
 * has read them already), starts the workers, hands each the next block, writes the blocks in order,
 * and prints its peak memory (its threads included) as JSON on exit.
 * Arguments: output, wasm-bz2's path, the blocks as JSON, the worker count, the worker's code.
 */
const CHILD = `
const { Worker } = require('node:worker_threads');
const fs = require('node:fs');
const [out, lib, jobsJson, countText, code] = process.argv.slice(1);
const jobs = JSON.parse(jobsJson);
const bytes = fs.readFileSync(0);
const shared = new SharedArrayBuffer(bytes.length);
new Uint8Array(shared).set(bytes);
const fd = fs.openSync(out, 'w');
const done = new Map();
let next = 0, written = 0;
const fail = (message) => { process.stderr.write(String(message)); process.exit(1); };
const send = (w) => { if (next < jobs.length) { const j = jobs[next]; w.postMessage({ index: next++, level: j[0], from: j[1], to: j[2], crc: j[3] }); } };
for (let i = 0; i < Number(countText); i++) {
  const w = new Worker(code, { eval: true, workerData: { lib, bytes: shared } });
  w.on('message', (m) => {
    if (m.error !== undefined) return fail(m.error);
    done.set(m.index, m.data);
    send(w);
    while (done.has(written)) { fs.writeSync(fd, done.get(written)); done.delete(written); written++; }
    if (written === jobs.length) {
      fs.closeSync(fd);
      process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
      process.exit(0);
    }
  });
  w.on('error', (e) => fail(e && e.message || e));
  send(w);
}`;

/**
 * The bytes of the file's first block only (up to 900 kB of text): enough to read a header line without
 * decompressing the file. Undefined when the file does not start with a readable block.
 */
export function bunzip2Head(bytes: Uint8Array): Uint8Array | undefined {
  try {
    // The first block follows the four-byte stream header.
    return Bunzip.decodeBlock(bytes, 32);
  } catch {
    return undefined;
  }
}

/** Blocks below this count are decompressed in the calling thread: starting workers would cost more. */
const PARALLEL_FROM = 4;

/**
 * Decompresses the bzip2 `file` (one or more streams) into the file `out`. Returns the peak memory of
 * the child process that did it, in MB, or null when it was done in this process.
 */
export async function bunzip2ToFile(file: string, out: string): Promise<number | null> {
  const bytes = await readFile(file);
  const streams = bzip2Streams(bytes);
  // Each block: the stream's level (`BZh1`–`BZh9`), its first and end bits, and its CRC.
  const jobs =
    streams?.flatMap((s) =>
      s.blocks.map((bit, k) => [bytes[s.start + 3]!, bit, s.blocks[k + 1] ?? s.endBit, s.blockCrcs[k]!]),
    ) ?? [];
  if (!streams || jobs.length < PARALLEL_FROM) {
    await writeFile(out, Bunzip.decode(bytes, undefined, true));
    return null;
  }
  const lib = createRequire(import.meta.url).resolve('@foxglove/wasm-bz2');
  const count = Math.max(1, Math.min(os.availableParallelism(), 4, jobs.length));
  const child = spawn(
    process.execPath,
    ['-e', CHILD, out, lib, JSON.stringify(jobs), String(count), WORKER],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  // A child that fails before reading its input closes the pipe: its exit code and message say why.
  child.stdin.on('error', () => undefined);
  child.stdin.end(bytes);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0)
    throw new Error(stderr.trim().split('\n')[0] || `the decompression process ended with ${code}`);
  return Math.round((JSON.parse(stdout) as { maxRssKb: number }).maxRssKb / 1024);
}
