/**
 * What an operator sees of a running server: every request in the access log with its id (the caller's
 * `X-Request-Id`, else a new one, answered back), method, path without its query, route, status and
 * time; failed authentication (an unknown, malformed or expired token, a wrong password) logged with
 * its reason and never what was presented; and `/metrics` in Prometheus's text format with request
 * durations by route, store query durations, the job queue and the stores' sizes. On both stores.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/accounts/users.js';
import { createLogger } from '../../src/log.js';
import { createApp } from '../../src/server/app.js';
import { PASSWORD, USER_FIELDS } from '../accounts/fixtures.js';
import { WebClient } from '../accounts/web-client.js';
import { STORE_KINDS } from '../records/stores.js';
import { clock, exampleRecords, tokenFor } from './example-app.js';

function keptLog() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination: sink }), lines, raw };
}

describe.each(STORE_KINDS)('operations log and metrics (%s)', (kind) => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let app: ReturnType<typeof createApp>;
  let kept: ReturnType<typeof keptLog>;
  let token: string;

  beforeAll(async () => {
    store = await exampleRecords(kind);
    token = await tokenFor(store, { user: 'ines', country: 'US', agency: 'INL' });
    await createAccount(
      store,
      { user: 'lena', name: 'Lena', country: 'MX', agency: 'SSPC', roles: ['viewer'] },
      PASSWORD,
      'test',
      USER_FIELDS,
    );
    kept = keptLog();
    app = createApp({ store, now: clock, log: kept.log, limits: false });
  });
  afterAll(async () => {
    await store?.dispose();
  });

  const requestLines = () => kept.lines.filter((l) => l.msg === 'request');

  it('logs each request with its id, route, status and time, and answers the id', async () => {
    const res = await app.request('/api/v1/programs?lang=es', {
      headers: { 'x-request-id': 'trace-0001-abc' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-0001-abc');
    const line = requestLines().at(-1)!;
    expect(line).toMatchObject({
      level: 30,
      req: { id: 'trace-0001-abc', method: 'GET', path: '/api/v1/programs', route: '/api/v1/programs' },
      res: { status: 200 },
    });
    expect(typeof line.ms).toBe('number');
    // The query is never logged: a private feed's key travels in it.
    await app.request('/feeds/notices.atom?key=feed-secret-123');
    expect(requestLines().at(-1)).toMatchObject({ req: { path: '/feeds/notices.atom' } });
    expect(kept.raw.join('\n')).not.toContain('feed-secret-123');

    // No id, or one that is not plausible: a new one.
    const fresh = await app.request('/api/v1/programs', { headers: { 'x-request-id': 'x' } });
    const id = fresh.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLines().at(-1)).toMatchObject({ req: { id } });
  });

  it('logs failed authentication with its reason, never the token or password', async () => {
    const secret = 'mk_not-a-real-token-0123456789';
    expect(
      (await app.request('/api/v1/tokens', { headers: { authorization: `Bearer ${secret}` } })).status,
    ).toBe(401);
    expect(
      (await app.request('/api/v1/tokens', { headers: { authorization: 'Basic dXNlcjpwYXNz' } })).status,
    ).toBe(401);
    const web = new WebClient(app);
    expect((await web.signIn('lena', 'not-her-password-42')).status).toBe(401);
    expect((await web.signIn('hunter2-typed-as-name!', 'whatever-else-99')).status).toBe(401);
    const failed = kept.lines.filter((l) => l.event === 'auth_failed');
    expect(failed.map((l) => [l.reason, l.user ?? null])).toEqual([
      ['unknown_token', null],
      ['malformed_header', null],
      ['wrong_password', 'lena'],
      ['wrong_password', '[not a user name]'],
    ]);
    for (const l of failed) expect(l.level).toBe(40);
    const all = kept.raw.join('\n');
    for (const leaked of [
      secret,
      'dXNlcjpwYXNz',
      'not-her-password-42',
      'hunter2-typed-as-name!',
      'whatever-else-99',
    ])
      expect(all).not.toContain(leaked);
    // A good token is not a failure.
    const before = failed.length;
    expect(
      (await app.request('/api/v1/programs', { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    expect(kept.lines.filter((l) => l.event === 'auth_failed')).toHaveLength(before);
  });

  it('answers /metrics in the Prometheus text format', async () => {
    await app.request('/api/v1/programs');
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const sample = (pattern: RegExp) => {
      const m = pattern.exec(text);
      expect(m, String(pattern)).not.toBeNull();
      return Number(m![1]);
    };
    expect(
      sample(
        /^marco_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/programs",status="200"\} (\d+)$/m,
      ),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(/^marco_store_query_duration_seconds_count\{store="records"\} (\d+)$/m)).toBeGreaterThan(0);
    expect(sample(/^marco_jobs\{status="queued"\} (\d+)$/m)).toBe(0);
    expect(sample(/^marco_jobs\{status="running"\} (\d+)$/m)).toBe(0);
    const records = sample(/^marco_store_bytes\{store="records"\} (\d+)$/m);
    // A PostgreSQL database is megabytes; the embedded store here is in memory.
    if (kind === 'postgres') expect(records).toBeGreaterThan(1_000_000);
    else expect(records).toBe(0);
    expect(sample(/^marco_process_resident_memory_bytes (\d+)$/m)).toBeGreaterThan(10_000_000);
    // Route patterns only: a path a client made up is not a label.
    await app.request('/api/v1/no-such-thing-7f3a');
    expect(await (await app.request('/metrics')).text()).not.toContain('no-such-thing-7f3a');
  });
});
