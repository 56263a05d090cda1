/**
 * A worker killed with SIGKILL in the middle of a job, on both record stores: the job is left running
 * with a stale heartbeat and a half-written temporary file. The next worker queues it again, removes
 * the temporary file, and runs it to a whole output; no half-written output is ever named as the job's.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/jobs/job-worker.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { enqueueJob, getJob } from '../../src/records/job-repository.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { STORE_KINDS } from '../records/stores.js';

const DATABASE_URL = process.env.DATABASE_URL ?? '';

/** Runs the worker child until it reports `at` progress or more, then kills it with SIGKILL. */
async function killMidway(dataDir: string, schema: string, databaseUrl: string, at: number): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PACKAGE_ROOT, 'test/jobs/worker-child.ts'), dataDir, schema],
    {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const last = [...out.matchAll(/progress ([\d.]+)/g)].at(-1);
      if (last && Number(last[1]) >= at && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(Number([...out.matchAll(/progress ([\d.]+)/g)].at(-1)![1]))
        : reject(new Error(`the worker ended on its own (${code}): ${err}`)),
    );
  });
}

describe.each(STORE_KINDS)('a worker killed during a job, on %s', (kind) => {
  let dataDir: string;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const databaseUrl = kind === 'postgres' ? DATABASE_URL : '';
  const open = (): Promise<RecordsStore> => openRecords(databaseUrl ? { databaseUrl, schema } : { dataDir });
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'marco-job-kill-'));
  });
  afterAll(async () => {
    if (databaseUrl) {
      const store = await openRecords({ databaseUrl, schema });
      await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await store.close();
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is run again to a whole output by the next worker, with no half-written file left', async () => {
    let store = await open();
    const job = await enqueueJob(store, { kind: 'write', params: {}, requester: null }, { actor: 'ana' });
    await store.close();
    const reached = await killMidway(dataDir, schema, databaseUrl, 0.3);
    expect(reached).toBeGreaterThanOrEqual(0.3);
    expect(reached).toBeLessThan(1);
    store = await open();
    try {
      const left = (await getJob(store, job.id))!;
      expect(left).toMatchObject({ status: 'running', attempts: 1, output_file: null });
      expect(await readdir(path.join(dataDir, 'jobs'))).toEqual([`.tmp-${job.id}-1`]);
      await new Promise((r) => setTimeout(r, 1_200));
      const worker = await startWorker(
        store,
        {
          dir: path.join(dataDir, 'jobs'),
          staleSeconds: 1,
          handlers: {
            write: async ({ tempFile }) => {
              const { writeFile } = await import('node:fs/promises');
              await writeFile(tempFile, 'line\n'.repeat(40));
              return { type: 'text/plain', extension: 'txt' };
            },
          },
        },
        false,
      );
      expect(await worker.runOnce()).toBe(true);
      const done = (await getJob(store, job.id))!;
      expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(await readdir(path.join(dataDir, 'jobs'))).toEqual([done.output_file]);
      expect(await readFile(path.join(dataDir, 'jobs', done.output_file!), 'utf8')).toBe('line\n'.repeat(40));
    } finally {
      await store.close();
    }
  }, 120_000);
});
