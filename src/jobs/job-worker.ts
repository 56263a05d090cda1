/**
 * The job worker: claims queued jobs one at a time and runs each with the handler of its kind, beating a
 * heartbeat that reports progress and carries a cancel back as an abort signal. A handler writes its
 * output to a temporary file in the jobs folder; only once the handler has finished is the file hashed,
 * renamed to its final name and recorded with its checksum and expiry, so a job killed at any point
 * leaves no output that looks whole. When it starts, and every half stale period after, the worker
 * queues again the jobs whose heartbeat stopped (their process died), removes the temporary files no
 * live job is writing, and removes expired outputs.
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { MarcoError, ValidationError } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { beatJob, claimJob, endJob, recoverJobs, type JobRow } from '../records/job-repository.js';

export interface JobContext {
  job: JobRow;
  /** Reports progress (0 to 1) and the step, in the catalog key a page shows. */
  progress(fraction: number, step?: string): Promise<void>;
  /**
   * Notes progress without waiting: for a step that runs without yielding (an estimator's loop); the
   * next heartbeat carries it.
   */
  note(fraction: number, step?: string): void;
  /** Aborted when the job is cancelled, or lost to another worker. */
  signal: AbortSignal;
  /** Where the handler writes its output: a temporary file, renamed once the job succeeds. */
  tempFile: string;
}

/** What a handler made: the media type and extension of the file it wrote at `tempFile`. */
export interface JobResult {
  type: string;
  extension: string;
}

export type JobHandler = (ctx: JobContext) => Promise<JobResult>;

export interface WorkerOptions {
  /** The folder of job outputs (under the data directory). */
  dir: string;
  handlers: Readonly<Record<string, JobHandler>>;
  pollMs?: number;
  heartbeatMs?: number;
  /** A running job whose heartbeat is older than this belonged to a dead process. */
  staleSeconds?: number;
  /** How long an output is kept. */
  keepHours?: number;
  /**
   * This worker's process is the only one that can hold jobs (the embedded store, which one process
   * opens at a time): a job found running when it starts belonged to a process that died, and is
   * queued again at once instead of after the stale limit.
   */
  soleWorker?: boolean;
  actor?: string;
}

const TEMP = '.tmp-';

/** A file's SHA-256 and size, read as a stream. */
export async function sha256Of(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(file)).size };
}

export interface Worker {
  /** Claims and runs one job; false when none was queued. */
  runOnce(): Promise<boolean>;
  /** Stops polling and waits for the job in hand. */
  stop(): Promise<void>;
}

/** A worker on `store`; it polls every `pollMs` until stopped (`start: false` leaves polling to the caller). */
export async function startWorker(
  store: RecordsStore,
  options: WorkerOptions,
  start = true,
): Promise<Worker> {
  const pollMs = options.pollMs ?? 500;
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const staleSeconds = options.staleSeconds ?? 15;
  const keepHours = options.keepHours ?? 24 * 7;
  const actor = options.actor ?? 'worker';
  const kinds = Object.keys(options.handlers);
  await mkdir(options.dir, { recursive: true });

  /** Queues dead jobs again, then removes temporary files no running job writes. */
  let first = true;
  const tidy = async () => {
    await recoverJobs(store, first && options.soleWorker ? 0 : staleSeconds, { actor });
    first = false;
    const running = new Set(
      (
        await store.db.selectFrom('jobs').select(['id', 'attempts']).where('status', '=', 'running').execute()
      ).map((j) => `${TEMP}${j.id}-${j.attempts}`),
    );
    for (const name of await readdir(options.dir))
      if (name.startsWith(TEMP) && !running.has(name))
        await rm(path.join(options.dir, name), { force: true });
    const expired = await store.db
      .selectFrom('jobs')
      .select(['id', 'output_file'])
      .where('expires_at', '<', new Date().toISOString())
      .where('output_file', 'is not', null)
      .execute();
    for (const job of expired) {
      await rm(path.join(options.dir, job.output_file!), { force: true });
      await store.db.updateTable('jobs').set({ output_file: null }).where('id', '=', job.id).execute();
    }
  };

  const run = async (job: JobRow) => {
    const tempFile = path.join(options.dir, `${TEMP}${job.id}-${job.attempts}`);
    const controller = new AbortController();
    let progress = 0;
    let step: string | null = null;
    const beat = async () => {
      const { cancel, lost } = await beatJob(store, job.id, job.attempts, progress, step);
      if (cancel || lost) controller.abort(lost ? 'lost' : 'cancelled');
    };
    const timer = setInterval(() => void beat().catch(() => undefined), heartbeatMs);
    const end = (e: Parameters<typeof endJob>[3]) => endJob(store, job.id, job.attempts, e, { actor });
    try {
      const result = await options.handlers[job.kind]!({
        job,
        tempFile,
        signal: controller.signal,
        note: (fraction, next) => {
          progress = fraction;
          step = next ?? step;
        },
        progress: async (fraction, next) => {
          progress = fraction;
          step = next ?? step;
          await beat();
          if (controller.signal.aborted) throw new Error(String(controller.signal.reason));
        },
      });
      clearInterval(timer);
      // A cancel asked once the handler has finished comes too late: what it did (a saved run) stands.
      await beat();
      if (controller.signal.reason === 'lost') throw new Error('lost');
      const { sha256, bytes } = await sha256Of(tempFile);
      const file = `${job.id}-${sha256.slice(0, 16)}.${result.extension}`;
      await rename(tempFile, path.join(options.dir, file));
      const expiresAt = new Date(Date.now() + keepHours * 3_600_000).toISOString();
      const ended = await end({
        status: 'succeeded',
        output: { file, type: result.type, sha256, bytes, expiresAt },
      });
      // Lost meanwhile (recovered by another worker): the file is not this job's any more.
      if (!ended) await rm(path.join(options.dir, file), { force: true });
    } catch (error) {
      clearInterval(timer);
      await rm(tempFile, { force: true });
      if (controller.signal.reason === 'lost') return;
      if (controller.signal.reason === 'cancelled') await end({ status: 'cancelled' });
      else
        await end({
          status: 'failed',
          error:
            error instanceof ValidationError
              ? {
                  key: 'jobs.refused',
                  values: { count: error.issues.length },
                  issues: error.issues.slice(0, 50).map(({ path: at, message, text }) => ({
                    path: at,
                    message,
                    ...(text ? { text } : {}),
                  })),
                }
              : error instanceof MarcoError && error.text
                ? { key: error.text.key, values: error.text.values ?? {} }
                : {
                    key: 'jobs.failed',
                    values: { message: error instanceof Error ? error.message : String(error) },
                  },
        });
    }
  };

  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  // Dead jobs and stray files are looked for at start, then every half stale period: not on each poll.
  let tidied = 0;
  const runOnce = async () => {
    if (Date.now() - tidied >= (staleSeconds * 1000) / 2) {
      await tidy();
      tidied = Date.now();
    }
    const job = await claimJob(store, kinds);
    if (!job) return false;
    await run(job);
    return true;
  };
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped) return;
    current = runOnce()
      .catch(() => false)
      .then((ran) => {
        if (!stopped) timer = setTimeout(loop, ran ? 0 : pollMs);
      });
  };
  // The first look waits one poll: a server answers its first requests before it tidies the queue.
  if (start) timer = setTimeout(loop, pollMs);
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
