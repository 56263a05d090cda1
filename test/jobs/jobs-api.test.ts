/**
 * Reports and jobs through the API, on both record stores: `POST /api/v1/reports` queues a report with
 * the caller's rights and answers 202 with the job; the worker makes it; its requester follows it,
 * downloads the output with its SHA-256, and nobody else sees it. Cancel and retry follow the queue's
 * rules; an output whose file was changed is never served, and an expired one is gone (410). A server
 * without a worker queues nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/jobs/job-worker.js';
import { createApp } from '../../src/server/app.js';
import { jobHandlers } from '../../src/server/job-handlers.js';
import { runReport } from '../../src/reports/report-run.js';
import { loadTemplate } from '../../src/reports/report-templates.js';
import { renderReportHtml } from '../../src/web/reports/report-document.js';
import { STORE_KINDS } from '../records/stores.js';
import { clock, exampleRecords, tokenFor } from '../server/example-app.js';

type Job = {
  id: number;
  kind: string;
  status: string;
  progress: number;
  params: Record<string, unknown>;
  output: { url: string | null; sha256: string; bytes: number; type: string; expires_at: string } | null;
  error: { key: string; message: string } | null;
};

describe.each(STORE_KINDS)('reports and jobs through the API on %s', (kind) => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let dir: string;
  let app: ReturnType<typeof createApp>;
  let worker: Worker;
  const auth: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    store = await exampleRecords(kind);
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-jobs-api-'));
    app = createApp({ store, now: clock, version: 'test', jobsDir: dir, limits: false });
    worker = await startWorker(store, { dir, handlers: jobHandlers(store, undefined, 'test') }, false);
    for (const [name, who] of Object.entries({
      ines: { user: 'ines', country: 'US' as const, agency: 'INL' },
      mateo: { user: 'mateo', country: 'MX' as const, agency: 'SSPC' },
    }))
      auth[name] = {
        authorization: `Bearer ${await tokenFor(store, who)}`,
        'content-type': 'application/json',
      };
  }, 120_000);
  afterAll(async () => {
    await store?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const ask = (body: unknown, who = 'ines', query = '') =>
    app.request(`/api/v1/reports${query}`, {
      method: 'POST',
      headers: auth[who],
      body: JSON.stringify(body),
    });
  const read = async (id: number, who = 'ines', query = '') =>
    app.request(`/api/v1/jobs/${id}${query}`, { headers: auth[who] });
  const REPORT = { template: 'framework-performance', period: 'FY2017', format: 'html' };

  it('queues a report at once, makes it with the requester’s rights, and serves it with its checksum', async () => {
    const res = await ask({ ...REPORT, lang: 'es' });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as Job;
    expect(res.headers.get('location')).toBe(`/api/v1/jobs/${queued.id}`);
    expect(queued).toMatchObject({
      kind: 'report',
      status: 'queued',
      progress: 0,
      params: { ...REPORT, lang: 'es' },
      output: null,
    });
    // Another official, even of the same rights, is told there is no such job.
    expect((await read(queued.id, 'mateo')).status).toBe(404);
    expect((await app.request(`/api/v1/jobs/${queued.id}`)).status).toBe(401);
    expect(await worker.runOnce()).toBe(true);
    const done = (await (await read(queued.id)).json()) as Job;
    expect(done).toMatchObject({ status: 'succeeded', progress: 1, error: null });
    expect(done.output).toMatchObject({
      type: 'text/html; charset=utf-8',
      url: `/api/v1/jobs/${queued.id}/output`,
    });

    const out = await app.request(done.output!.url!, { headers: auth.ines });
    expect(out.status).toBe(200);
    const bytes = Buffer.from(await out.arrayBuffer());
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(sha256).toBe(done.output!.sha256);
    expect(bytes.length).toBe(done.output!.bytes);
    expect(out.headers.get('etag')).toBe(`"${sha256}"`);
    expect(out.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);
    expect(out.headers.get('content-disposition')).toBe(`attachment; filename="report-${queued.id}.html"`);
    expect(out.headers.get('x-content-type-options')).toBe('nosniff');
    // The report holds what the U.S. official may see, and is the one marco report makes for her.
    const official = {
      user: 'ines',
      country: 'US' as const,
      agency: 'INL',
      roles: ['viewer', 'reporter', 'approver', 'data_steward'] as const,
    };
    const direct = await runReport(
      store,
      undefined,
      { ...official, roles: [...official.roles] },
      await loadTemplate('framework-performance'),
      {
        period: 'FY2017',
        locale: 'es',
      },
    );
    expect(bytes.toString('utf8')).toBe(renderReportHtml(direct));
    expect(bytes.toString('utf8')).toContain('lang="es"');
    // Cached copies revalidate against the checksum.
    const again = await app.request(done.output!.url!, {
      headers: { ...auth.ines, 'if-none-match': `"${sha256}"` },
    });
    expect(again.status).toBe(304);
    expect((await app.request(done.output!.url!, { headers: auth.mateo })).status).toBe(404);

    const list = (await (await app.request('/api/v1/jobs', { headers: auth.ines })).json()) as Job[];
    expect(list.map((j) => j.id)).toContain(queued.id);
    const theirs = (await (await app.request('/api/v1/jobs', { headers: auth.mateo })).json()) as Job[];
    expect(theirs.map((j) => j.id)).not.toContain(queued.id);
  });

  it('refuses a bad request at once, with where and how to fix it, and queues nothing', async () => {
    const count = async () => (await store.db.selectFrom('jobs').select('id').execute()).length;
    const before = await count();
    const unknown = await ask({ ...REPORT, template: 'annual-everything' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/framework-performance/);
    const bad = await ask(
      { ...REPORT, template: '../etc/passwd', format: 'docx', extra: 1 },
      'ines',
      '?lang=es',
    );
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { issues: { path: string; message: string }[] };
    // The unknown member is the body's own (its path is the root), beside the two bad fields.
    expect(problem.issues.map((i) => i.path).sort()).toEqual(['', 'format', 'template']);
    expect((problem as unknown as { detail: string }).detail).toMatch(
      /template: un nombre de plantilla: minúsculas/,
    );
    expect(
      (
        await app.request('/api/v1/reports', {
          method: 'POST',
          body: JSON.stringify(REPORT),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    // A request the template's subject cannot make: a place brief without its place, a data annex
    // with a period it does not use.
    const noPlace = await ask({ template: 'place-brief', format: 'html' });
    expect(noPlace.status).toBe(422);
    expect(((await noPlace.json()) as { issues: { path: string; message: string }[] }).issues).toMatchObject([
      { path: 'place', message: expect.stringContaining('--place 08') },
    ]);
    const unused = await ask(
      { template: 'data-quality-annex', period: 'FY2017', format: 'html' },
      'ines',
      '?lang=es',
    );
    expect(unused.status).toBe(422);
    expect(((await unused.json()) as { detail: string }).detail).toMatch(
      /period: un informe de tipo data no usa period/,
    );
    expect(await count()).toBe(before);
    // A server that runs no worker queues nothing, and says why.
    const bare = createApp({ store, now: clock, limits: false });
    const refused = await bare.request('/api/v1/reports', {
      method: 'POST',
      headers: auth.ines,
      body: JSON.stringify(REPORT),
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/marco serve/);
    expect(await count()).toBe(before);
  });

  it('makes a data-quality annex as a job, with the audit chain’s head', async () => {
    const res = await ask({ template: 'data-quality-annex', format: 'html' });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as Job;
    expect(await worker.runOnce()).toBe(true);
    const done = (await (await read(queued.id)).json()) as Job;
    expect(done.status).toBe('succeeded');
    const page = await (await app.request(done.output!.url!, { headers: auth.ines })).text();
    expect(page).toContain('The audit chain is intact');
    // The head it shows is an entry of the chain: the last one when the job ran (the job's own
    // bookkeeping entries follow it).
    const shown =
      /<th scope="row">Head \(last hash\)<\/th><td class="small"><code>([0-9a-f]{64})<\/code>/.exec(page)![1];
    const hashes = (await store.db.selectFrom('audit_log').select('hash').execute()).map((r) => r.hash);
    expect(hashes).toContain(shown);
  });

  it('cancels a queued job, retries it, and refuses to retry one that is not over', async () => {
    const queued = (await (await ask(REPORT)).json()) as Job;
    const post = (p: string, who = 'ines') => app.request(p, { method: 'POST', headers: auth[who] });
    expect((await post(`/api/v1/jobs/${queued.id}/cancel`, 'mateo')).status).toBe(404);
    const cancelled = (await (await post(`/api/v1/jobs/${queued.id}/cancel`)).json()) as Job;
    expect(cancelled.status).toBe('cancelled');
    expect(await worker.runOnce()).toBe(false);
    const output = await app.request(`/api/v1/jobs/${queued.id}/output`, { headers: auth.ines });
    expect(output.status).toBe(404);
    const retried = await post(`/api/v1/jobs/${queued.id}/retry`);
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as Job).status).toBe('queued');
    const twice = await post(`/api/v1/jobs/${queued.id}/retry`);
    expect(twice.status).toBe(409);
    expect(await worker.runOnce()).toBe(true);
    expect(((await (await read(queued.id)).json()) as Job).status).toBe('succeeded');
    // Every request, cancel and retry is in the audit log, by the official who did it.
    const audited = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('entity', '=', 'job')
      .where('entity_key', '=', String(queued.id))
      .orderBy('id')
      .execute();
    expect(audited.map((a) => `${a.actor} ${a.action}`)).toEqual([
      'ines create',
      'ines update',
      'ines update',
      'worker update',
    ]);
  });

  it('never serves an output whose file changed, and says an expired one is gone', async () => {
    const queued = (await (await ask(REPORT)).json()) as Job;
    await worker.runOnce();
    const done = (await (await read(queued.id)).json()) as Job;
    const row = await store.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', queued.id)
      .executeTakeFirstOrThrow();
    const file = path.join(dir, row.output_file!);
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([original, Buffer.from('<!-- changed -->')]));
    const damaged = await app.request(done.output!.url!, { headers: auth.ines });
    expect(damaged.status).toBe(500);
    expect(await damaged.text()).not.toContain('changed');
    await writeFile(file, original);
    expect((await app.request(done.output!.url!, { headers: auth.ines })).status).toBe(200);
    await store.db
      .updateTable('jobs')
      .set({ expires_at: '2020-01-01T00:00:00Z' })
      .where('id', '=', queued.id)
      .execute();
    const gone = await app.request(done.output!.url!, { headers: auth.ines });
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { detail: string }).detail).toMatch(/expired/);
  });
});
