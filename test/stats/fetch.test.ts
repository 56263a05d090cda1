/**
 * `marco fetch` against a real HTTP server on loopback that serves the shared files: a clean download
 * and import, a connection dropped halfway (resumed with Range, or restarted when the server ignores
 * Range), server errors retried, a web page instead of the file, a size limit and a checksum mismatch.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMarco } from '../fixtures/run-marco.js';
import { EXIT } from '../../src/error.js';
import { FetchError, fetchFile } from '../../src/stats/fetch.js';
import { sharedFile, sharedLines } from './shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const VICTIMS = sharedFile('sesnsp/db_victimas_delitos_ent_long.csv.bz2');

const marco = runMarco;

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

(STATE && VICTIMS ? describe : describe.skip)('marco fetch on a loopback server', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let state: Buffer;
  let victims: Buffer;
  /** Every request the server saw: path and Range header. */
  const seen: { path: string; range: string | undefined }[] = [];
  const hits = new Map<string, number>();

  function serve(res: ServerResponse, req: IncomingMessage, body: Buffer, type: string, ranges = true) {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const etag = `"${sha(body).slice(0, 16)}"`;
    if (ranges && range && (!req.headers['if-range'] || req.headers['if-range'] === etag)) {
      const start = Number(range[1]);
      res.writeHead(206, {
        'content-type': type,
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
        etag,
      });
      return res.end(body.subarray(start));
    }
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      etag,
      'accept-ranges': ranges ? 'bytes' : 'none',
    });
    res.end(body);
  }

  beforeAll(async () => {
    state = await readFile(STATE!);
    victims = await readFile(VICTIMS!);
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-fetch-'));
    server = createServer((req, res) => {
      const url = req.url ?? '/';
      seen.push({ path: url, range: req.headers.range });
      const n = (hits.get(url) ?? 0) + 1;
      hits.set(url, n);
      const halfway = (body: Buffer, type: string) => {
        // Headers promise the whole file; the socket dies after half of it.
        res.writeHead(200, {
          'content-type': type,
          'content-length': body.length,
          etag: `"${sha(body).slice(0, 16)}"`,
        });
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
      };
      if (url === '/state.csv') return serve(res, req, state, 'text/csv');
      if (url === '/drop/victims.csv.bz2')
        return n === 1
          ? halfway(victims, 'application/x-bzip2')
          : serve(res, req, victims, 'application/x-bzip2');
      if (url === '/norange/state.csv')
        return n === 1 ? halfway(state, 'text/csv') : serve(res, req, state, 'text/csv', false);
      if (url === '/flaky/state.csv') {
        if (n <= 2) {
          res.writeHead(503, { 'content-type': 'text/plain' });
          return res.end('busy');
        }
        return serve(res, req, state, 'text/csv');
      }
      if (url === '/login') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<!doctype html><title>Sign in</title>');
      }
      if (url === '/chunked/state.csv') {
        // No Content-Length: the limit is enforced while streaming.
        res.writeHead(200, { 'content-type': 'text/csv' });
        return res.end(state);
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads a file, records its checksum and imports it', async () => {
    const r = await marco(
      dir,
      'fetch',
      'inegi-homicides-state',
      '--url',
      `${base}/state.csv`,
      '--progress',
      '--json',
    );
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout) as {
      download: { file: string; bytes: number; sha256: string; attempts: number };
      import: { status: string; rowsLoaded: number; sha256: string };
    };
    const rows = (await sharedLines(STATE!)).length - 1;
    expect(out.download).toMatchObject({ bytes: state.length, sha256: sha(state), attempts: 1 });
    expect(out.download.file).toBe(path.join(dir, 'downloads', 'inegi-homicides-state', 'state.csv'));
    expect(await readFile(out.download.file)).toEqual(state);
    expect(out.import).toMatchObject({ status: 'imported', rowsLoaded: rows, sha256: sha(state) });
    // A progress bar ends at 100 %.
    expect(r.stderr).toMatch(/100%/);
    const manifest = JSON.parse(
      await readFile(path.join(dir, 'downloads', 'inegi-homicides-state', 'manifest.json'), 'utf8'),
    ) as { url: string; sha256: string }[];
    expect(manifest).toEqual([expect.objectContaining({ url: `${base}/state.csv`, sha256: sha(state) })]);
  });

  it('resumes a dropped connection with a Range request, and the import sees the whole file', async () => {
    const r = await marco(dir, 'fetch', 'sesnsp-victims', '--url', `${base}/drop/victims.csv.bz2`, '--json');
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout) as {
      download: { bytes: number; sha256: string; attempts: number; resumedFrom: number };
      import: { rowsLoaded: number; rowsRejected: number };
    };
    expect(out.download.attempts).toBe(2);
    expect(out.download.resumedFrom).toBeGreaterThan(0);
    expect(out.download.resumedFrom).toBeLessThanOrEqual(Math.floor(victims.length / 2));
    expect(out.download.sha256).toBe(sha(victims));
    const resumed = seen.filter((s) => s.path === '/drop/victims.csv.bz2');
    expect(resumed[1]!.range).toBe(`bytes=${out.download.resumedFrom}-`);
    expect(out.import).toMatchObject({ rowsLoaded: 927_360, rowsRejected: 0 });
    expect(r.stderr).toMatch(/attempt 1 failed: the connection (dropped|closed)/);
  }, 120_000);

  it('starts again when the server ignores Range, and retries server errors with back-off', async () => {
    const target = await mkdtemp(path.join(dir, 'unit-'));
    const restarted = await fetchFile({ url: `${base}/norange/state.csv`, dir: target, backoffMs: 5 });
    expect(restarted).toMatchObject({ attempts: 2, resumedFrom: 0, sha256: sha(state), bytes: state.length });
    expect(await readFile(restarted.file)).toEqual(state);

    const delays: number[] = [];
    const flaky = await fetchFile({
      url: `${base}/flaky/state.csv`,
      dir: await mkdtemp(path.join(dir, 'unit-')),
      backoffMs: 5,
      onRetry: (_attempt, _reason, delay) => delays.push(delay),
    });
    expect(flaky.attempts).toBe(3);
    expect(delays).toEqual([5, 10]);
    // Giving up keeps nothing half-done in place of the file.
    const give = await mkdtemp(path.join(dir, 'unit-'));
    hits.delete('/flaky/state.csv');
    await expect(
      fetchFile({ url: `${base}/flaky/state.csv`, dir: give, retries: 1, backoffMs: 5 }),
    ).rejects.toThrow(/gave up after 2 attempts: the server answered 503/);
    expect((await readdir(give)).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('refuses a web page, an oversized file and a checksum mismatch, importing nothing', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'marco-fetch-bad-'));
    try {
      const page = await marco(fresh, 'fetch', 'inegi-homicides-state', '--url', `${base}/login`);
      expect(page.code).toBe(EXIT.failure);
      expect(page.stderr).toMatch(/sent a web page \(text\/html; charset=utf-8\), not a data file/);

      const big = await marco(
        fresh,
        'fetch',
        'inegi-homicides-state',
        '--url',
        `${base}/state.csv`,
        '--max-bytes',
        '1000',
      );
      expect(big.code).toBe(EXIT.failure);
      expect(big.stderr).toMatch(/above the limit of 1,000; raise it with --max-bytes/);
      await expect(
        fetchFile({ url: `${base}/chunked/state.csv`, dir: path.join(fresh, 'chunked'), maxBytes: 50_000 }),
      ).rejects.toThrow(FetchError);

      const wrong = await marco(
        fresh,
        'fetch',
        'inegi-homicides-state',
        '--url',
        `${base}/state.csv`,
        '--sha256',
        '0'.repeat(64),
      );
      expect(wrong.code).toBe(EXIT.failure);
      expect(wrong.stderr).toMatch(/sha256 is [0-9a-f]{64}, not the expected 0{64}; it was deleted/);

      const missing = await marco(fresh, 'fetch', 'inegi-homicides-state', '--url', `${base}/nothing.csv`);
      expect(missing.code).toBe(EXIT.failure);
      expect(missing.stderr).toMatch(/answered 404/);

      // Nothing was imported by any of these.
      const sources = await marco(fresh, 'sources', '--json');
      const list = JSON.parse(sources.stdout) as { id: string; vintages: unknown[] }[];
      expect(list.every((s) => s.vintages.length === 0)).toBe(true);
      expect(
        (await readdir(path.join(fresh, 'downloads', 'inegi-homicides-state'))).filter(
          (f) => !f.startsWith('.'),
        ),
      ).toEqual([]);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('explains where to get a file when no address is known, and checks its flags', async () => {
    // Every publisher source has catalogued addresses (fetch-all.test.ts); documented figures have none.
    const none = await marco(dir, 'fetch', 'documented-figures');
    expect(none.code).toBe(EXIT.invalid);
    expect(none.stderr).toMatch(/no download address for documented-figures.*--url/s);
    for (const args of [
      ['--url', 'ftp://example.org/x.csv'],
      ['--url', 'not a url'],
      ['--url', `${base}/state.csv`, '--sha256', 'abc'],
      ['--url', `${base}/state.csv`, '--max-bytes', '-5'],
    ])
      expect((await marco(dir, 'fetch', 'inegi-homicides-state', ...args)).code, args.join(' ')).toBe(
        EXIT.invalid,
      );
    expect((await marco(dir, 'fetch', 'no-such-source', '--url', `${base}/state.csv`)).code).toBe(
      EXIT.invalid,
    );
  });
});
