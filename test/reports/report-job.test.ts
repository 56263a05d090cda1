/**
 * Reports as background jobs, on both record stores: a queued report runs in the worker with its
 * requester's rights and stores the same bytes `marco report` would make, with its checksum; a PDF job
 * stores a PDF; a template that is not built in (a path, or an unknown name) fails the job with its
 * reason, and writes nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/jobs/job-worker.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { enqueueJob, getJob } from '../../src/records/job-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { runReport } from '../../src/reports/report-run.js';
import { loadTemplate } from '../../src/reports/report-templates.js';
import { renderReportHtml } from '../../src/web/reports/report-document.js';
import { reportJob } from '../../src/web/reports/report-job.js';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
import { STORE_KINDS, freshStore } from '../records/stores.js';
import { haveChromium } from '../web/chromium.js';

describe.each(STORE_KINDS)('report jobs on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let dir: string;
  beforeAll(async () => {
    store = await freshStore(kind);
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-report-jobs-'));
    await loadBuiltins(store, 'test');
    await loadWorkspace(store, (await exampleWorkspace()) as never, { actor: 'loader', now: clock });
  }, 120_000);
  afterAll(async () => {
    await store?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const runJob = async (params: Record<string, unknown>) => {
    const job = await enqueueJob(store, { kind: 'report', params, requester: null }, { actor: 'ana' });
    const worker = await startWorker(
      store,
      { dir, handlers: { report: reportJob(store, undefined) } },
      false,
    );
    expect(await worker.runOnce()).toBe(true);
    return (await getJob(store, job.id))!;
  };

  it('stores the bytes marco report makes, with their checksum', async () => {
    const done = await runJob({
      template: 'framework-performance',
      period: 'FY2017',
      lang: 'es',
      format: 'html',
    });
    expect(done).toMatchObject({ status: 'succeeded', output_type: 'text/html; charset=utf-8' });
    const bytes = await readFile(path.join(dir, done.output_file!));
    expect(done.output_sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const direct = await runReport(store, undefined, null, await loadTemplate('framework-performance'), {
      period: 'FY2017',
      locale: 'es',
    });
    expect(bytes.toString('utf8')).toBe(renderReportHtml(direct));
  });

  it.runIf(haveChromium)(
    'stores a PDF',
    async () => {
      const done = await runJob({
        template: 'framework-performance',
        period: 'FY2018',
        lang: 'en',
        format: 'pdf',
      });
      expect(done.status).toBe('succeeded');
      expect((await readFile(path.join(dir, done.output_file!))).subarray(0, 5).toString()).toBe('%PDF-');
    },
    60_000,
  );

  it('fails a job whose template is not built in, writing nothing', async () => {
    const before = await readdir(dir);
    const unknown = await runJob({
      template: 'no-such-report',
      period: 'FY2017',
      lang: 'en',
      format: 'html',
    });
    expect(unknown).toMatchObject({ status: 'failed', output_file: null });
    expect(unknown.error!.key).toMatch(/^notFound\./);
    const pathLike = await runJob({
      template: '../../etc/passwd',
      period: 'FY2017',
      lang: 'en',
      format: 'html',
    });
    expect(pathLike).toMatchObject({ status: 'failed', output_file: null, error: { key: 'jobs.failed' } });
    expect(await readdir(dir)).toEqual(before);
  });
});
