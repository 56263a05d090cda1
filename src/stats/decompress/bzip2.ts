/**
 * bzip2 decompression on every core: the file's blocks (found by `bzip2-blocks.ts`) are decompressed by
 * worker threads, each block checked against its own CRC and the blocks against the stream's, and
 * written to the output file in order as they arrive, so memory holds a few blocks, never the file.
 * SESNSP's 2 MB victims file (133 MB of CSV) was 40% of its import when decompressed in one thread.
 *
 * The threads run in a short-lived child process: the memory they churn through (seek-bzip allocates
 * each block's tables anew) goes back to the system when it exits, before DuckDB reads the file, instead
 * of staying in the importing process's heap (it added 40 to 130 MB to that process's peak).
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
 * seek-bzip decodes the block's Huffman stream and sorts it (its `_get_next_block`); the last step, the
 * inverse Burrows–Wheeler walk that writes each byte and its CRC, is done here in one tight loop:
 * seek-bzip does it with two function calls per byte, which was 70% of its time on SESNSP's victims file.
 * The loop reads the state its `_read_bunzip` would (seek-bzip is pinned to the version this reads), and
 * checks the block's CRC as it does.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Bunzip = require(workerData.lib);
const bytes = new Uint8Array(workerData.bytes);
const TABLE = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  TABLE[i] = c;
}
const none = { writeByte() { throw new Error('unexpected output'); } };
// One output buffer per worker, reused block after block (each block's bytes are sent as a copy).
let scratch = new Uint8Array(1 << 20);
function block(start, bit) {
  const input = bytes.subarray(start);
  const stream = { pos: 0, readByte() { return input[this.pos++]; }, seek(p) { this.pos = p; },
    eof() { return this.pos >= input.length; },
    read(buf, off, len) { let n = 0; while (n < len && this.pos < input.length) buf[off + n++] = input[this.pos++]; return n; } };
  const bz = new Bunzip(stream, none);
  bz.reader.seek(bit - 8 * start);
  if (!bz._get_next_block()) throw new Error('no block at bit ' + bit);
  const dbuf = bz.dbuf;
  let pos = bz.writePos, current = bz.writeCurrent, count = bz.writeCount, run = bz.writeRun;
  let out = scratch.length >= count ? scratch : (scratch = new Uint8Array(count + (count >> 2)));
  let n = 0, crc = -1;
  while (count) {
    count--;
    const previous = current;
    pos = dbuf[pos];
    current = pos & 0xff;
    pos >>= 8;
    let copies, byte;
    if (run++ === 3) { copies = current; byte = previous; current = -1; }
    else { copies = 1; byte = current; }
    if (n + copies > out.length) { const grown = new Uint8Array(out.length * 2 + copies); grown.set(out); out = scratch = grown; }
    while (copies-- > 0) { crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ byte) & 0xff]; out[n++] = byte; }
    if (current !== previous) run = 0;
  }
  if (((~crc) >>> 0) !== bz.targetBlockCRC) throw new Error('bad block CRC at bit ' + bit);
  return out.slice(0, n);
}
parentPort.on('message', ({ index, start, bit }) => {
  try {
    const data = block(start, bit);
    parentPort.postMessage({ index, data }, [data.buffer]);
  } catch (error) {
    parentPort.postMessage({ index, error: String((error && error.message) || error) });
  }
});`;

/**
 * The child process (CommonJS, `node -e`): takes the compressed bytes on its standard input (the parent
 * has read them already), starts the workers, hands each the next block, writes the blocks in order,
 * and prints its peak memory (its threads included) as JSON on exit.
 * Arguments: output, seek-bzip's path, the blocks as JSON, the worker count, the worker's code.
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
const send = (w) => { if (next < jobs.length) { const j = jobs[next]; w.postMessage({ index: next++, start: j[0], bit: j[1] }); } };
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
  const jobs = streams?.flatMap((s) => s.blocks.map((bit) => [s.start, bit])) ?? [];
  if (!streams || jobs.length < PARALLEL_FROM) {
    await writeFile(out, Bunzip.decode(bytes, undefined, true));
    return null;
  }
  const lib = createRequire(import.meta.url).resolve('seek-bzip');
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
