/**
 * Background jobs from the CLI: `marco jobs list | show ID [--wait] | cancel ID | retry ID | download ID
 * -o FILE`, and `marco report … --server URL [--wait]`, which asks a running server for a report and
 * can wait for it. Through a running server (`--server URL --token T`, or MARCO_SERVER and MARCO_TOKEN)
 * as the token's official, who sees their own jobs; or on the data directory as its operator, who sees
 * every job (the server must be stopped, or the records must be on a PostgreSQL server it shares).
 *
 * `--wait` follows a job to its end with a progress bar on standard error (the step it is at as its
 * note), then downloads its output when `-o` names a file. Every download is written beside its
 * destination, checked against the SHA-256 the job recorded and only then renamed: a damaged or
 * interrupted download leaves nothing that looks whole. A job that failed or was cancelled exits
 * non-zero with its reason.
 * @module
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OPERATOR } from '../../access/viewer.js';
import type { Config } from '../../config.js';
import { CliError, EXIT } from '../../error.js';
import { formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import {
  cancelViewerJob,
  jobOutput,
  jobView,
  retryViewerJob,
  viewerJobs,
  visibleJob,
  type JobView,
} from '../../jobs/job-requests.js';
import { callApi, notAServer, refusal, unreachable, type Via } from '../api-client.js';
import { progressOf, type Terminal } from '../progress.js';
import { json, withRecords } from './open-stores.js';
import { remote, type RemoteOptions } from './tokens.js';

/** What the jobs commands need, through a server or on the data directory. */
export interface JobsClient {
  list(): Promise<JobView[]>;
  show(id: number): Promise<JobView>;
  cancel(id: number): Promise<JobView>;
  retry(id: number): Promise<JobView>;
  /** Writes the job's output to `tmp`; returns its SHA-256. */
  fetchOutput(job: JobView, tmp: string): Promise<string>;
  /**
   * Whether a job can end while this client waits: not on the embedded store, which the CLI holds
   * while it reads and `marco serve` (the only worker) holds while it runs.
   */
  canWait: boolean;
}

/** Jobs through a running server, as the token's official. */
export function serverJobs(via: Via): JobsClient {
  return {
    canWait: true,
    list: async () => (await callApi(via, 'GET', '/jobs')) as JobView[],
    show: async (id) => (await callApi(via, 'GET', `/jobs/${id}`)) as JobView,
    cancel: async (id) => (await callApi(via, 'POST', `/jobs/${id}/cancel`)) as JobView,
    retry: async (id) => (await callApi(via, 'POST', `/jobs/${id}/retry`)) as JobView,
    async fetchOutput(job, tmp) {
      let url: URL;
      try {
        url = new URL(job.output!.url!, via.server);
      } catch {
        throw notAServer(via.server);
      }
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { authorization: `Bearer ${via.token}`, 'accept-language': via.locale },
        });
      } catch (error) {
        throw unreachable(url.origin, error);
      }
      if (!response.ok || !response.body)
        throw refusal((await response.json().catch(() => null)) as never, response.status);
      const hash = createHash('sha256');
      const body = Readable.fromWeb(response.body as never);
      body.on('data', (chunk: Buffer) => hash.update(chunk));
      await pipeline(body, createWriteStream(tmp));
      return hash.digest('hex');
    },
  };
}

/** Jobs on the data directory's records store, as its operator. */
function localJobs(config: Config): JobsClient {
  const locale = config.locale;
  const write = { actor: config.actor };
  const dir = path.join(config.dataDir, 'jobs');
  return {
    canWait: config.databaseUrl !== null,
    list: () =>
      withRecords(config, async (s) => (await viewerJobs(s, OPERATOR)).map((r) => jobView(r, locale))),
    show: (id) => withRecords(config, async (s) => jobView(await visibleJob(s, OPERATOR, id), locale)),
    cancel: (id) =>
      withRecords(config, async (s) => jobView(await cancelViewerJob(s, OPERATOR, id, write), locale)),
    retry: (id) =>
      withRecords(config, async (s) => jobView(await retryViewerJob(s, OPERATOR, id, write), locale)),
    fetchOutput: (job, tmp) =>
      withRecords(config, async (s) => {
        const file = await jobOutput(s, OPERATOR, job.id, dir);
        await copyFile(file.file, tmp);
        return file.sha256;
      }),
  };
}

/** The jobs of the server named by `--server` (or MARCO_SERVER), else of the data directory. */
export function jobsClient(config: Config, opts: RemoteOptions): JobsClient {
  const via = remote(opts, translator(config.locale));
  return via ? serverJobs({ ...via, locale: config.locale }) : localJobs(config);
}

/** `--wait`'s pause between two looks at a job. */
const POLL_MS = 500;

/** Follows a job to its end, with a progress bar on `terminal`; returns the ended job. */
export async function waitForJob(
  client: JobsClient,
  first: JobView,
  config: Config,
  terminal: Terminal,
  opts: { progress?: boolean; quiet?: boolean },
): Promise<JobView> {
  const t = translator(config.locale);
  const bar = progressOf({
    stream: terminal,
    locale: config.locale,
    label: t('cli.jobs.label', { id: first.id }),
    progress: opts.progress,
    quiet: opts.quiet,
  });
  let job = first;
  try {
    while (job.status === 'queued' || job.status === 'running') {
      bar.update(Math.round(job.progress * 100), 100, job.step_text ?? t(`jobs.status.${job.status}`));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      job = await client.show(job.id);
    }
    if (job.status === 'succeeded') bar.update(100, 100, t('jobs.status.succeeded'));
  } finally {
    bar.stop();
  }
  return job;
}

/** The error a job that did not succeed ends a command with: its reason, and a non-zero exit. */
export function jobEnded(t: Translate, job: JobView): CliError {
  if (job.status === 'cancelled')
    return new CliError({ key: 'cli.jobs.cancelled', values: { id: job.id } }, EXIT.conflict);
  return new CliError(
    { key: 'cli.jobs.failed', values: { id: job.id, reason: job.error?.message ?? t('jobs.status.failed') } },
    EXIT.failure,
  );
}

/**
 * Downloads a succeeded job's output to `file`: written beside it, checked against the job's SHA-256,
 * then renamed. A file that does not match is removed and refused.
 */
export async function downloadJob(client: JobsClient, job: JobView, file: string): Promise<void> {
  if (!job.output?.url) throw new CliError({ key: 'jobs.expired', values: { id: job.id } }, EXIT.notFound);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const sha256 = await client.fetchOutput(job, tmp);
    if (sha256 !== job.output.sha256)
      throw new CliError({ key: 'cli.jobs.checksum', values: { id: job.id, file } }, EXIT.tampered);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** One line per job: number, kind, status and progress, when asked, and what it made. */
export function jobLine(t: Translate, config: Config, job: JobView): string {
  return t('cli.jobs.line', {
    id: job.id,
    kind: job.kind,
    status: t(`jobs.status.${job.status}`),
    progress: formatNumber(config.locale, job.progress, { style: 'percent' }),
    created: formatDate(config.locale, job.created_at, { time: true }),
    output: job.output ? `${job.output.type} ${job.output.sha256.slice(0, 12)}` : (job.error?.message ?? '—'),
  });
}

export type JobOptions = RemoteOptions & {
  json?: boolean;
  wait?: boolean;
  output?: string;
  progress?: boolean;
  quiet?: boolean;
  terminal: Terminal;
};

/** Runs `marco jobs ACTION [ID]`. */
export async function runJobs(
  config: Config,
  action: 'list' | 'show' | 'cancel' | 'retry' | 'download',
  idText: string | undefined,
  opts: JobOptions,
  out: (text: string) => void,
  say: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const client = jobsClient(config, opts);
  if (action === 'list') {
    const list = await client.list();
    if (opts.json) return out(json(list));
    return out(list.length === 0 ? t('cli.jobs.none') : list.map((j) => jobLine(t, config, j)).join('\n'));
  }
  if (!/^[1-9]\d{0,9}$/.test(idText ?? ''))
    throw new CliError({ key: 'cli.jobs.badId', values: { given: JSON.stringify(idText ?? '') } });
  const id = Number(idText);
  if (action === 'download' && !opts.output) throw new CliError({ key: 'cli.jobs.needsOutput' });
  let job =
    action === 'cancel'
      ? await client.cancel(id)
      : action === 'retry'
        ? await client.retry(id)
        : await client.show(id);
  if (opts.wait || action === 'download') {
    const over = job.status !== 'queued' && job.status !== 'running';
    if (opts.wait && !over && !client.canWait)
      throw new CliError({ key: 'cli.jobs.noWaitHere', values: { id: job.id } });
    if (opts.wait) job = await waitForJob(client, job, config, opts.terminal, opts);
    // Not over yet (download without --wait): no output to fetch, and nothing failed.
    if (job.status === 'queued' || job.status === 'running')
      throw new CliError({ key: 'jobs.noOutput', values: { id: job.id } }, EXIT.notFound);
    if (job.status !== 'succeeded') throw jobEnded(t, job);
    if (opts.output) {
      await downloadJob(client, job, opts.output);
      say(t('cli.jobs.written', { id, file: opts.output, sha256: job.output!.sha256 }));
    }
  }
  if (opts.json) return out(json(job));
  if (action !== 'download') out(jobLine(t, config, job));
}
