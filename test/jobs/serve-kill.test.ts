/**
 * `marco serve` killed with SIGKILL in the middle of a job, on the embedded store, for each kind of job
 * the API queues: an evaluation (killed during its randomisation inference) and a PDF report (killed
 * while Chromium prints it). The jobs were asked for through the API and followed there while they ran
 * (an evaluation yields its thread, so the server keeps answering). After each kill no output is named
 * as the job's; the restarted server (the embedded store's sole worker) queues the job again at once, runs it to a
 * whole output with its checksum, saves the evaluation once, removes the temporary files, and the audit
 * chain still verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/package.js';
import { runMarco } from '../fixtures/run-marco.js';
import { haveChromium } from '../web/chromium.js';

const ENTRY = path.join(PACKAGE_ROOT, 'test/records/cli-entry.ts');
/** The server's environment: the embedded store of the data directory, as `runMarco` uses it (CI sets DATABASE_URL). */
const { DATABASE_URL: _unused, ...rest } = process.env;
const embedded = { ...rest, MARCO_USER: 'tester' };
if (process.env.CI === 'true' && !haveChromium) throw new Error('CI=true but Chromium is missing');

type Job = {
  id: number;
  status: string;
  step: string | null;
  attempts: number;
  output: { url: string; sha256: string } | null;
  error: { message: string } | null;
};

describe('marco serve killed during a job, on the embedded store', () => {
  let dir: string;
  let token = '';
  let server: { child: ChildProcess; base: string } | undefined;

  /** Starts `marco serve` on a free port; resolves once it is serving. */
  async function start(): Promise<{ child: ChildProcess; base: string }> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', ENTRY, '--data-dir', dir, 'serve', '--example', '--port', '0'],
      { cwd: PACKAGE_ROOT, env: embedded, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const url = /serving on (http:\/\/\S+?)\/? /.exec(out);
        if (url) resolve({ child, base: url[1]!.replace(/\/$/, '') });
      });
      child.on('exit', (code) => reject(new Error(`marco serve ended (${code}): ${err}`)));
    });
  }

  const kill = async () => {
    const child = server!.child;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
    server = undefined;
  };

  const api = async (method: string, pathname: string, body?: unknown) => {
    const res = await fetch(`${server!.base}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Job };
  };

  /** Polls the job until `until` holds, or fails after `ms`. */
  async function follow(id: number, until: (job: Job) => boolean, ms: number): Promise<Job> {
    const end = Date.now() + ms;
    for (;;) {
      const job = (await api('GET', `/api/v1/jobs/${id}`)).body;
      if (until(job)) return job;
      if (Date.now() > end) throw new Error(`job ${id} is still ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  }

  /** The job's files in the jobs folder: its whole outputs and its temporary files. */
  const filesOf = async (id: number) => {
    const names = await readdir(path.join(dir, 'jobs')).catch(() => [] as string[]);
    return {
      outputs: names.filter((n) => n.startsWith(`${id}-`)),
      temporary: names.filter((n) => n.startsWith(`.tmp-${id}-`)),
    };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-serve-kill-'));
    expect((await runMarco(dir, 'init', '--example')).code).toBe(0);
    const made = await runMarco(
      dir,
      'token',
      'create',
      '--user',
      'ines',
      '--country',
      'US',
      '--agency',
      'INL',
      '--roles',
      'viewer,data_steward',
      '--json',
    );
    expect(made.code, made.stderr).toBe(0);
    token = (JSON.parse(made.stdout) as { token: string }).token;
    server = await start();
  }, 120_000);
  afterAll(async () => {
    if (server) await kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('re-runs an evaluation killed mid-way to one saved run', async () => {
    const spec = {
      marco: 'evaluation/1',
      title: 'Killed mid-way',
      panel: {
        outcome: { measure: 'homicides', scale: 'log_rate' },
        level: 'state',
        by: 'month',
        from: '2001-01',
        to: '2012-12',
        treatment: { types: ['military_operation'] },
      },
      // Enough permutations of a monthly panel to take seconds, so the kill falls in the middle.
      estimators: { cs: { draws: 199, permutations: 99_999 } },
    };
    const queued = await api('POST', '/api/v1/evaluations', spec);
    expect(queued.status).toBe(202);
    const id = queued.body.id;
    // The server answers while the evaluation runs: the kill comes in the middle of the permutations.
    const running = await follow(id, (j) => j.status === 'running' && j.step === 'permutations', 60_000);
    expect(running.attempts).toBe(1);
    await kill();
    expect((await filesOf(id)).outputs).toEqual([]);

    server = await start();
    const done = await follow(id, (j) => j.status !== 'queued' && j.status !== 'running', 90_000);
    expect(done, JSON.stringify(done.error)).toMatchObject({ status: 'succeeded', attempts: 2 });
    const saved = (await (await fetch(`${server.base}/api/v1/evaluations`)).json()) as {
      id: number;
      title: string;
    }[];
    expect(saved.filter((e) => e.title === 'Killed mid-way')).toHaveLength(1);
    const run = (await (
      await fetch(`${server.base}${done.output!.url}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { id: number; cs: { randomization: { permutations: number } } };
    expect(run.id).toBe(saved.find((e) => e.title === 'Killed mid-way')!.id);
    expect(run.cs.randomization.permutations).toBe(99_999);
    expect(await filesOf(id)).toEqual({ outputs: [expect.stringMatching(/\.json$/)], temporary: [] });
  }, 240_000);

  (haveChromium ? it : it.skip)(
    'reprints a PDF report killed while Chromium printed it, to a whole file with its checksum',
    async () => {
      const queued = await api('POST', '/api/v1/reports', {
        template: 'framework-performance',
        period: 'FY2017',
        lang: 'es',
        format: 'pdf',
      });
      expect(queued.status).toBe(202);
      const id = queued.body.id;
      // Step `html` done: the PDF is being printed.
      await follow(id, (j) => j.status === 'running' && j.step === 'html', 60_000);
      await kill();
      expect((await filesOf(id)).outputs).toEqual([]);

      server = await start();
      const done = await follow(id, (j) => j.status !== 'queued' && j.status !== 'running', 90_000);
      expect(done, JSON.stringify(done.error)).toMatchObject({ status: 'succeeded', attempts: 2 });
      const res = await fetch(`${server.base}${done.output!.url}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.output!.sha256);
      expect(await filesOf(id)).toEqual({ outputs: [expect.stringMatching(/\.pdf$/)], temporary: [] });

      // Stopped, the data directory's audit chain verifies with every job's writes in it.
      await kill();
      const verified = await runMarco(dir, 'audit', 'verify');
      expect(verified.code, verified.stderr + verified.stdout).toBe(0);
    },
    240_000,
  );
});
