/**
 * A child of the IATI memory figure (run with `--expose-gc`): exports the records on `DATABASE_URL` to
 * `argv[2]`, streamed to the file (`stream`) or held whole in memory and written at the end (`held`, the
 * reference), and prints, in bytes, as one JSON line:
 *
 * - `retained`: the most memory the export keeps between batches, above what the process kept before
 *   it: V8's heap and its buffers, measured after a full collection as each batch is written. This is
 *   what grows with the file when an export is not streamed;
 * - `before` and `peak`: its resident size before the export, and its peak (VmHWM), which also counts
 *   garbage V8 had not yet collected.
 * @module
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { exportIati } from '../src/iati/iati-export.js';
import { iatiPublisher } from '../src/iati/iati-publisher.js';
import { openRecords } from '../src/records/database.js';
import { peakRss } from './peak-rss.js';

const [file, mode] = process.argv.slice(2);
const records = await openRecords({ databaseUrl: process.env.DATABASE_URL! });
const publisher = iatiPublisher({ MARCO_IATI_ORG_REF: 'US-GOV-11' });
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
/** Heap and buffers kept after a full collection. */
const kept = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
};
const floor = kept();
let retained = 0;
const sample = () => (retained = Math.max(retained, kept() - floor));
const before = process.memoryUsage().rss;
if (mode === 'held') {
  const held: string[] = [];
  await exportIati(records, undefined, publisher, (chunk) => {
    held.push(chunk);
    sample();
  });
  sample();
  await writeFile(file!, held.join(''));
} else {
  const out = createWriteStream(file!);
  await exportIati(records, undefined, publisher, async (chunk) => {
    if (!out.write(chunk)) await once(out, 'drain');
    sample();
  });
  out.end();
  await once(out, 'finish');
}
await records.close();
console.log(JSON.stringify({ retained, before, peak: peakRss().bytes }));
