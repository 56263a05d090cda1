/**
 * The job queue on both record stores: a job runs to an output stored whole with its checksum and
 * expiry; claims never hand one job to two workers; a cancel stops a queued job at once and a running
 * one at its next heartbeat, leaving no file; a failure is recorded with its reason and can be retried;
 * a running job whose heartbeat stopped is queued again, then failed once its attempts are spent; and
 * asking, ending, cancelling and retrying are audited.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type JobHandler } from '../../src/jobs/job-worker.js';
import {
  cancelJob,
  claimJob,
  enqueueJob,
  getJob,
  recoverJobs,
  retryJob,
} from '../../src/records/job-repository.js';
import { STORE_KINDS, freshStore } from '../records/stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACTOR = { actor: 'ana' };

/** Writes `params.text` in `params.steps` steps of `params.ms` each, reporting progress; fails on "fail". */
const write: JobHandler = async ({ job, tempFile, progress, signal }) => {
  const { text, steps = 1, ms = 0 } = job.params as { text: string; steps?: number; ms?: number };
  if (text === 'fail') throw new Error('asked to fail');
  let written = '';
  for (let i = 0; i < steps; i++) {
    if (signal.aborted) throw new Error('aborted');
    await sleep(ms);
    written += text;
    await writeFile(tempFile, written);
    await progress((i + 1) / steps, 'writing');
  }
  return { type: 'text/plain', extension: 'txt' };
};

describe.each(STORE_KINDS)('the job queue on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let dir: string;
  beforeAll(async () => {
    store = await freshStore(kind);
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-jobs-'));
  }, 60_000);
  afterAll(async () => {
    await store?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const worker = (over: Partial<Parameters<typeof startWorker>[1]> = {}) =>
    startWorker(store, { dir, handlers: { write }, heartbeatMs: 50, staleSeconds: 1, ...over }, false);
  const audits = async (id: number) =>
    (
      await store.db
        .selectFrom('audit_log')
        .select(['action', 'actor', 'after'])
        .where('entity', '=', 'job')
        .where('entity_key', '=', String(id))
        .orderBy('id')
        .execute()
    ).map((a) => `${a.actor}:${(a.after as { status: string }).status}`);

  it('runs a job to an output stored whole, with its checksum and expiry, and audits it', async () => {
    const job = await enqueueJob(
      store,
      { kind: 'write', params: { text: 'ab', steps: 3 }, requester: null },
      ACTOR,
    );
    expect(job.status).toBe('queued');
    expect(await (await worker()).runOnce()).toBe(true);
    const done = (await getJob(store, job.id))!;
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: 1,
      attempts: 1,
      output_type: 'text/plain',
      output_bytes: 6,
    });
    const bytes = await readFile(path.join(dir, done.output_file!));
    expect(bytes.toString()).toBe('ababab');
    expect(done.output_sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(new Date(done.expires_at!).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3_600_000);
    expect(await audits(job.id)).toEqual(['ana:queued', 'worker:succeeded']);
    expect((await readdir(dir)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it('never hands one job to two claims', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await enqueueJob(store, { kind: 'claim-test', params: {}, requester: null }, ACTOR)).id);
    const claims = await Promise.all(Array.from({ length: 6 }, () => claimJob(store, ['claim-test'])));
    const claimed = claims.filter((c) => c !== undefined).map((c) => c.id);
    expect(claimed.sort((a, b) => a - b)).toEqual(ids);
  });

  it('cancels a queued job at once, and a running one at its next heartbeat, leaving no file', async () => {
    const queued = await enqueueJob(store, { kind: 'write', params: { text: 'x' }, requester: null }, ACTOR);
    expect((await cancelJob(store, queued.id, ACTOR))!.status).toBe('cancelled');
    const running = await enqueueJob(
      store,
      { kind: 'write', params: { text: 'y', steps: 40, ms: 50 }, requester: null },
      ACTOR,
    );
    const w = await worker();
    const ran = w.runOnce();
    await sleep(400);
    expect((await getJob(store, running.id))!.status).toBe('running');
    await cancelJob(store, running.id, ACTOR);
    await ran;
    const ended = (await getJob(store, running.id))!;
    expect(ended.status).toBe('cancelled');
    expect(ended.output_file).toBeNull();
    expect(ended.progress).toBeLessThan(1);
    expect(
      (await readdir(dir)).filter((f) => f.startsWith(`${running.id}-`) || f.startsWith('.tmp-')),
    ).toEqual([]);
    expect(await audits(running.id)).toEqual(['ana:queued', 'ana:running', 'worker:cancelled']);
  });

  it('records a failure with its reason, and runs it again when retried', async () => {
    const job = await enqueueJob(store, { kind: 'write', params: { text: 'fail' }, requester: null }, ACTOR);
    await (await worker()).runOnce();
    const failed = (await getJob(store, job.id))!;
    expect(failed).toMatchObject({
      status: 'failed',
      error: { key: 'jobs.failed', values: { message: 'asked to fail' } },
    });
    await store.db
      .updateTable('jobs')
      .set({ params: JSON.stringify({ text: 'ok' }) })
      .where('id', '=', job.id)
      .execute();
    expect((await retryJob(store, job.id, ACTOR))!).toMatchObject({
      status: 'queued',
      attempts: 0,
      error: null,
    });
    await (await worker()).runOnce();
    expect((await getJob(store, job.id))!.status).toBe('succeeded');
  });

  it('queues a job whose heartbeat stopped again, then fails it once its attempts are spent', async () => {
    const job = await enqueueJob(
      store,
      { kind: 'abandoned', params: {}, requester: null, maxAttempts: 2 },
      ACTOR,
    );
    // A worker claims it and dies: nothing beats its heartbeat.
    expect((await claimJob(store, ['abandoned']))!.id).toBe(job.id);
    expect((await recoverJobs(store, 1, { actor: 'worker' })).map((j) => j.id)).not.toContain(job.id);
    await sleep(1_200);
    expect((await recoverJobs(store, 1, { actor: 'worker' })).map((j) => j.id)).toContain(job.id);
    expect((await getJob(store, job.id))!).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await claimJob(store, ['abandoned']))!.attempts).toBe(2);
    await sleep(1_200);
    await recoverJobs(store, 1, { actor: 'worker' });
    expect((await getJob(store, job.id))!).toMatchObject({
      status: 'failed',
      error: { key: 'jobs.interrupted' },
    });
  });

  it('takes a dead process’s job back at once when it is the sole worker, and not before otherwise', async () => {
    const job = await enqueueJob(store, { kind: 'write', params: { text: 'again' }, requester: null }, ACTOR);
    expect((await claimJob(store, ['write']))!.id).toBe(job.id);
    // A worker sharing the queue waits for the stale limit (an hour here): the job may be alive.
    const shared = await worker({ staleSeconds: 3600 });
    expect(await shared.runOnce()).toBe(false);
    expect((await getJob(store, job.id))!.status).toBe('running');
    // The sole worker of an embedded store knows no one else holds it: queued again and run at once.
    const sole = await worker({ staleSeconds: 3600, soleWorker: true });
    expect(await sole.runOnce()).toBe(true);
    expect((await getJob(store, job.id))!).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});
