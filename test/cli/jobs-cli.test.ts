/**
 * `marco report --server … --wait` and `marco jobs` against a real server on loopback with its worker
 * running: the report is made on the server with the token's rights, followed with progress lines and
 * downloaded to `-o` once its SHA-256 matches; `marco jobs` lists, shows, downloads and retries jobs; a
 * download whose file changed on the server writes nothing; wrong input exits non-zero saying why. On
 * the data directory, `marco jobs list` shows every job, as its operator.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { startWorker, type Worker } from '../../src/jobs/job-worker.js';
import { openRecords } from '../../src/records/database.js';
import { enqueueJob, getJob } from '../../src/records/job-repository.js';
import { createApp } from '../../src/server/app.js';
import { jobHandlers } from '../../src/server/job-handlers.js';
import { runMarco } from '../fixtures/run-marco.js';
import { listen } from '../web/chromium.js';
import { exampleRecords, tokenFor } from '../server/example-app.js';

describe('background jobs from the CLI, through a running server', () => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let dir: string;
  let jobsDir: string;
  let server: Awaited<ReturnType<typeof listen>>;
  let worker: Worker;
  let token = '';
  beforeAll(async () => {
    store = await exampleRecords('pglite');
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-jobs-cli-'));
    jobsDir = path.join(dir, 'server-jobs');
    token = await tokenFor(store, { user: 'ines', country: 'US', agency: 'INL' });
    server = await listen(createApp({ store, limits: false, jobsDir }));
    worker = await startWorker(store, {
      dir: jobsDir,
      handlers: jobHandlers(store, undefined, 'test'),
      pollMs: 50,
    });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    await store?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const remote = (...args: string[]) =>
    runMarco(path.join(dir, 'client'), ...args, '--server', server.base, '--token', token);
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  it('asks the server for a report, follows it with progress and downloads it checked', async () => {
    const file = path.join(dir, 'report.html');
    const r = await remote(
      '--lang',
      'es',
      'report',
      'framework-performance',
      '--period',
      'FY2017',
      '--wait',
      '--progress',
      '-o',
      file,
    );
    expect(r.code, r.stderr).toBe(0);
    const bytes = await readFile(file);
    const id = Number(/del trabajo (\d+)/.exec(r.stdout)![1]);
    const job = (await getJob(store, id))!;
    expect(sha(bytes)).toBe(job.output_sha256);
    expect(r.stdout).toContain(job.output_sha256!);
    expect(bytes.toString('utf8')).toContain('<html lang="es"');
    // Progress lines on stderr (off a terminal, as --progress asks), in Spanish, ending at 100%.
    expect(r.stderr).toMatch(new RegExp(`^Trabajo ${id} 0% \\(0/100\\) en cola$`, 'm'));
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`Trabajo ${id} 100% (100/100) terminado`);
    expect(await readdir(dir)).not.toContain(`report.html.tmp-${process.pid}`);
  });

  it('prints the job to follow without --wait, then shows, lists and downloads it', async () => {
    const queued = await remote('report', 'framework-performance', '--period', 'FY2018', '--json');
    expect(queued.code).toBe(0);
    const job = JSON.parse(queued.stdout) as { id: number; status: string };
    expect(job.status).toBe('queued');
    const shown = await remote('jobs', 'show', String(job.id), '--wait', '--json');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: job.id, status: 'succeeded' });
    const list = await remote('jobs', 'list');
    expect(list.stdout).toMatch(new RegExp(`^${job.id}  report  done 100%`, 'm'));
    const file = path.join(dir, 'again.html');
    const got = await remote('jobs', 'download', String(job.id), '-o', file);
    expect(got.code).toBe(0);
    expect(sha(await readFile(file))).toBe((await getJob(store, job.id))!.output_sha256);

    // The file changed on the server: refused there, nothing written here.
    const row = (await getJob(store, job.id))!;
    await writeFile(path.join(jobsDir, row.output_file!), 'changed');
    const damaged = path.join(dir, 'damaged.html');
    const refused = await remote('jobs', 'download', String(job.id), '-o', damaged);
    expect(refused.code).toBe(EXIT.failure);
    expect(refused.stderr).toMatch(/checksum/);
    expect((await readdir(dir)).filter((f) => f.startsWith('damaged'))).toEqual([]);
  });

  it('says what is wrong with a wrong request, and exits non-zero', async () => {
    const unknown = await remote(
      'report',
      'annual-everything',
      '--period',
      'FY2018',
      '--wait',
      '-o',
      'x.pdf',
    );
    expect(unknown.code).toBe(EXIT.notFound);
    expect(unknown.stderr).toMatch(/framework-performance/);
    const missing = await remote('jobs', 'show', '99999');
    expect(missing.code).toBe(EXIT.notFound);
    const bad = await remote('jobs', 'show', 'x1');
    expect(bad.code).toBe(EXIT.invalid);
    expect(bad.stderr).toMatch(/marco jobs list/);
    const notOver = await remote('jobs', 'retry', '1');
    expect(notOver.code).toBe(EXIT.conflict);
    expect(notOver.stderr).toMatch(/only a failed or cancelled job/);
  });
});

describe('marco jobs on the data directory', () => {
  it('lists no job on a new data directory, as its operator', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-jobs-local-'));
    try {
      expect((await runMarco(dir, 'init')).code).toBe(0);
      const r = await runMarco(dir, 'jobs', 'list');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe('No jobs yet.');
      const none = await runMarco(dir, 'jobs', 'show', '1');
      expect(none.code).toBe(EXIT.notFound);
      // A job queued by a server that is not running: the operator sees it, cannot download what is
      // not made yet, and cancels it.
      const records = await openRecords({ dataDir: dir });
      const queued = await enqueueJob(
        records,
        { kind: 'report', params: { template: 'framework-performance' }, requester: null },
        { actor: 'ana' },
      );
      await records.close();
      const early = await runMarco(
        dir,
        'jobs',
        'download',
        String(queued.id),
        '-o',
        path.join(dir, 'x.html'),
      );
      expect(early.code).toBe(EXIT.notFound);
      expect(early.stderr).toMatch(/has no output: it has not finished/);
      // Waiting here would never end: nothing can run the job while the CLI holds the embedded store.
      const waiting = await runMarco(dir, 'jobs', 'show', String(queued.id), '--wait');
      expect(waiting.code).toBe(EXIT.invalid);
      expect(waiting.stderr).toMatch(/start marco serve/);
      const cancelled = await runMarco(dir, 'jobs', 'cancel', String(queued.id), '--json');
      expect(JSON.parse(cancelled.stdout)).toMatchObject({ id: queued.id, status: 'cancelled' });
      expect((await runMarco(dir, 'jobs', 'list')).stdout).toMatch(
        new RegExp(`^${queued.id}  report  cancelled`, 'm'),
      );
      // A report made here, described as JSON: the file, its classification and run hash.
      const file = path.join(dir, 'report.html');
      const made = await runMarco(
        dir,
        'report',
        'framework-performance',
        '--period',
        'FY2017',
        '-o',
        file,
        '--json',
      );
      expect(made.code, made.stderr).toBe(0);
      const described = JSON.parse(made.stdout) as { file: string; hash: string; format: string };
      expect(described).toMatchObject({ file, format: 'html' });
      expect(described.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await readFile(file, 'utf8')).toContain(described.hash);
      const toTerminal = await runMarco(
        dir,
        'report',
        'framework-performance',
        '--period',
        'FY2017',
        '--json',
      );
      expect(toTerminal.code).toBe(EXIT.invalid);
      expect(toTerminal.stderr).toMatch(/needs -o FILE/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
