/**
 * One child of the `unzip` benchmark: decompresses a zip's CSV either as Marco does
 * (`decompressToTemp`, streamed) or as it did before (`buffer`: fflate's `unzipSync` of the whole file,
 * then one write), and prints its peak resident set size and time as JSON. A child of its own, because a
 * process's peak only grows.
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { decompressToTemp } from '../src/stats/file-reading.js';
import { peakRss } from './peak-rss.js';

const [mode, file] = process.argv.slice(2) as ['stream' | 'buffer' | 'none', string];
const t0 = performance.now();
if (mode === 'stream') {
  const out = await decompressToTemp(file, 'zip');
  await rm(path.dirname(out.path), { recursive: true, force: true });
} else if (mode === 'buffer') {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-unzip-'));
  const [name, bytes] = Object.entries(unzipSync(await readFile(file)))[0]!;
  await writeFile(path.join(dir, path.basename(name)), bytes);
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(
  JSON.stringify({
    seconds: (performance.now() - t0) / 1000,
    peakRssBytes: peakRss().bytes,
  }),
);
