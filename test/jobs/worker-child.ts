/**
 * A worker process for the kill test: opens the records (the data directory `argv[2]`, or the server of
 * `DATABASE_URL` in schema `argv[3]`), runs queued `write` jobs slowly (40 steps of 100 ms), and prints
 * each step's progress on standard output, until it is killed.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startWorker } from '../../src/jobs/job-worker.js';
import { openRecords } from '../../src/records/database.js';

const [dataDir, schema] = process.argv.slice(2);
const store = await openRecords(
  process.env.DATABASE_URL
    ? { databaseUrl: process.env.DATABASE_URL, schema: schema! }
    : { dataDir: dataDir! },
);
await startWorker(store, {
  dir: path.join(dataDir!, 'jobs'),
  heartbeatMs: 100,
  handlers: {
    write: async ({ tempFile, progress }) => {
      let text = '';
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 100));
        text += 'line\n';
        await writeFile(tempFile, text);
        await progress((i + 1) / 40);
        process.stdout.write(`progress ${(i + 1) / 40}\n`);
      }
      return { type: 'text/plain', extension: 'txt' };
    },
  },
});
