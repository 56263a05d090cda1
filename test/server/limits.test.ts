/**
 * Bounded resources over a real loopback server: failed authentications and request floods get 429 with
 * Retry-After; a body is cut off at the limit while it streams; JSON nested too deep, values out of
 * range and bad paging parameters are refused; anonymous reads carry no user names; results are paged;
 * and a `serve` whose port is taken creates no store.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { createApp } from '../../src/server/app.js';
import { runMarco } from '../fixtures/run-marco.js';
import { listen } from '../web/chromium.js';
import type { freshStore } from '../records/stores.js';
import { exampleApp } from './example-app.js';

describe('limits on a loopback server', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let mx: string;
  let server: Awaited<ReturnType<typeof listen>>;
  let base: string;

  beforeAll(async () => {
    ({ store, mx } = await exampleApp('pglite'));
    const app = createApp({
      store,
      maxBodyBytes: 1024 * 1024,
      limits: { requestsPerMinute: 400, failedAuthPer15Minutes: 10 },
    });
    server = await listen(app);
    base = server.base;
  });
  afterAll(async () => {
    await server?.close();
    await store?.dispose();
  });

  it('shuts out an address after repeated failed authentications, with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    let message = '';
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${base}/api/v1/workspace?lang=es`, {
        headers: { authorization: `Bearer forged-${i}` },
      });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        message = ((await res.json()) as { error: { message: string } }).error.message;
      } else await res.body?.cancel();
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(20).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(message).toContain('demasiados intentos fallidos');
    // The address is shut out, even with a valid token, until the window ends.
    expect(
      (await fetch(`${base}/api/v1/workspace`, { headers: { authorization: `Bearer ${mx}` } })).status,
    ).toBe(429);
  });

  it('stops a request flood with 429 and Retry-After', async () => {
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    for (let i = 0; i < 450; i++) {
      const res = await fetch(`${base}/api/v1/frameworks`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.body?.cancel();
    }
    expect(statuses.get(429)).toBeGreaterThanOrEqual(450 - 400);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

/** Sends a request over `node:http` and writes its body in 64 KiB chunks only while no answer has come. */
function sendUntilAnswered(
  url: string,
  headers: Record<string, string | number>,
  total: number,
): Promise<{ status: number; code: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({
          status: res.statusCode!,
          code: (JSON.parse(text) as { error: { code: string } }).error.code,
          sent,
        });
      });
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('body limits over HTTP', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let mx: string;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    ({ store, mx } = await exampleApp('pglite'));
    server = await listen(createApp({ store, maxBodyBytes: 1024 * 1024, limits: false }));
  });
  afterAll(async () => {
    await server?.close();
    await store?.dispose();
  });

  it('answers 413 to a declared length over the limit before the body is sent', async () => {
    const res = await sendUntilAnswered(
      `${server.base}/api/v1/workspace`,
      {
        'content-type': 'application/json',
        'content-length': 30 * 1024 * 1024,
        authorization: `Bearer ${mx}`,
      },
      30 * 1024 * 1024,
    );
    expect([res.status, res.code]).toEqual([413, 'too_large']);
    expect(res.sent).toBeLessThan(8 * 1024 * 1024);
  });

  it('cuts a chunked body off at the limit while it streams', async () => {
    const res = await sendUntilAnswered(
      `${server.base}/api/v1/workspace`,
      { 'content-type': 'application/json', 'transfer-encoding': 'chunked', authorization: `Bearer ${mx}` },
      30 * 1024 * 1024,
    );
    expect([res.status, res.code]).toEqual([413, 'too_large']);
    expect(res.sent).toBeLessThan(8 * 1024 * 1024);
  });

  it('reads a body within the limit whole', async () => {
    // 512 KiB of spaces and then a bad token: the parser saw every byte to find it.
    const res = await sendUntilAnswered(
      `${server.base}/api/v1/workspace`,
      { 'content-type': 'application/json', 'content-length': 512 * 1024, authorization: `Bearer ${mx}` },
      512 * 1024,
    );
    expect([res.status, res.code]).toEqual([400, 'invalid_json']);
    expect(res.sent).toBe(512 * 1024);
  });
});

describe('limits in process', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let mx: string;
  beforeAll(async () => {
    ({ store, mx } = await exampleApp('pglite'));
    app = createApp({ store, maxBodyBytes: 1024 * 1024 });
  });
  afterAll(() => store?.dispose());

  it('cuts a streamed body off at the limit, without a length given in advance', async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 30 MiB of spaces, far past the 1 MiB limit, sent only as the server reads.
        if (sent >= 30 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await app.request('/api/v1/workspace', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mx}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too_large');
    expect(sent).toBeLessThan(4 * 1024 * 1024);
  });

  it('refuses JSON nested too deep, and values out of range', async () => {
    const deep = await app.request('/api/v1/workspace', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mx}` },
      body: `${'['.repeat(100)}${']'.repeat(100)}`,
    });
    expect([deep.status, ((await deep.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      'too_deep',
    ]);
    const huge = await app.request('/api/v1/results/1', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mx}` },
      body: JSON.stringify({ version: 1, value: 1e308 }),
    });
    expect(huge.status).toBe(422);
  });

  it('refuses a JSON body that repeats a key, at its line and column, and changes nothing', async () => {
    const before = (await (await app.request('/api/v1/results?limit=1')).json()) as {
      id: number;
      value: number;
      version: number;
    }[];
    const { id, value, version } = before[0]!;
    const patch = (body: string) =>
      app.request(`/api/v1/results/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${mx}` },
        body,
      });
    // Which of two values would count is a guess the API refuses to make, at any depth.
    for (const body of [
      `{"version": ${version},\n "value": 5, "value": 6}`,
      `{"version": ${version}, "evidence": "x:y", "comment": "a", "comment": "b"}`,
    ]) {
      const res = await patch(body);
      const error = (
        (await res.json()) as {
          error: { code: string; details: { issues: { path: string }[] } };
        }
      ).error;
      expect([res.status, error.code], body).toEqual([422, 'invalid_input']);
      expect(error.details.issues[0]!.path).toMatch(/^request body:\d+:\d+$/);
    }
    const after = (await (await app.request('/api/v1/results?limit=1')).json()) as typeof before;
    expect([after[0]!.value, after[0]!.version]).toEqual([value, version]);
  });

  it('pages results, with the total and a link to the next page', async () => {
    const all = (await (await app.request('/api/v1/results')).json()) as unknown[];
    expect(all.length).toBeGreaterThan(3);
    const res = await app.request('/api/v1/results?limit=2&offset=1');
    expect(((await res.json()) as unknown[]).length).toBe(2);
    expect(res.headers.get('x-total-count')).toBe(String(all.length));
    expect(res.headers.get('link')).toMatch(
      /^<\/api\/v1\/results\?limit=2&cursor=[\w-]+\.[\w-]+>; rel="next"$/,
    );
    for (const bad of ['limit=0', 'limit=5000', 'offset=-1', 'limit=x'])
      expect((await app.request(`/api/v1/results?${bad}`)).status, bad).toBe(400);
  });

  it('tells anonymous readers no user names, and officials who wrote what', async () => {
    const anonymous = await (await app.request('/api/v1/programs/EX-CORRECTIONS')).text();
    expect(anonymous).not.toMatch(/"(updated|created)_by"|loader/);
    const official = await (
      await app.request('/api/v1/programs/EX-CORRECTIONS', { headers: { authorization: `Bearer ${mx}` } })
    ).text();
    expect(official).toContain('"updated_by":"loader"');
  });
});

describe('a serve whose port is taken', () => {
  it('creates no store', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-port-'));
    const data = path.join(dir, 'data');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await runMarco(data, 'serve', '--port', String(port));
      expect([r.code, r.stderr]).toEqual([
        EXIT.invalid,
        expect.stringContaining(`port ${port} on 127.0.0.1 is in use`),
      ]);
      expect(existsSync(data) ? await readdir(data) : []).toEqual([]);
    } finally {
      busy.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
