/**
 * Every list of the API pages the same way: `limit`, then the cursor of the `Link` header's next page
 * until there is none, with `X-Total-Count`; the pages put together are the whole list, in order. A
 * cursor changed by hand, or sent with another query, is refused with a 400 problem in the reader's
 * language, and the OpenAPI document declares the parameters and headers on every list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { cursorKeyConfig } from '../../src/config.js';
import { openApiDocument } from '../../src/server/openapi.js';
import { STORE_KINDS, type freshStore } from '../records/stores.js';
import { clock, exampleApp } from './example-app.js';

describe('pagination', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    ({ store, app } = await exampleApp(STORE_KINDS[0]!));
  });
  afterAll(() => store?.dispose());

  /** Every page of `path`, `limit` at a time, following Link. */
  async function walk(path: string, limit: number) {
    const items: unknown[] = [];
    let next: string | undefined = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`;
    let pages = 0;
    let total = '';
    while (next) {
      const res = await app.request(next);
      expect(res.status, next).toBe(200);
      total = res.headers.get('x-total-count')!;
      items.push(...((await res.json()) as unknown[]));
      next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1];
      pages++;
    }
    return { items, pages, total: Number(total) };
  }

  it('walks every list page by page to the same list', async () => {
    for (const path of [
      '/api/v1/programs',
      '/api/v1/indicators',
      '/api/v1/results',
      '/api/v1/nodes',
      '/api/v1/interventions',
    ]) {
      const whole = (await (await app.request(path)).json()) as unknown[];
      expect(whole.length, path).toBeGreaterThan(1);
      const walked = await walk(path, 2);
      expect(walked.items, path).toEqual(whole);
      expect(walked.total, path).toBe(whole.length);
      expect(walked.pages, path).toBe(Math.ceil(whole.length / 2));
    }
    const filtered = await walk('/api/v1/indicators?program=EX-CORRECTIONS', 1);
    expect(filtered.items.every((i) => (i as { program: string }).program === 'EX-CORRECTIONS')).toBe(true);
  });

  it('refuses a cursor changed by hand, or sent with another query', async () => {
    const first = await app.request('/api/v1/nodes?limit=1');
    const cursor = new URL(`http://x${/^<([^>]+)>/.exec(first.headers.get('link')!)![1]}`).searchParams.get(
      'cursor',
    )!;
    const [payload, signature] = cursor.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), o: 5 }),
    ).toString('base64url');
    for (const bad of [
      `${forged}.${signature}`,
      `${payload}.${signature!.slice(1)}x`,
      'garbage',
      `${payload}`,
    ]) {
      const res = await app.request(`/api/v1/nodes?limit=1&cursor=${encodeURIComponent(bad)}&lang=es`);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toContain(
        'El cursor no es uno que este servidor haya dado',
      );
    }
    // The cursor of one query does not page another.
    expect((await app.request(`/api/v1/nodes?limit=1&framework=bicentennial&cursor=${cursor}`)).status).toBe(
      400,
    );
    expect((await app.request(`/api/v1/programs?limit=1&cursor=${cursor}`)).status).toBe(400);
    expect((await app.request(`/api/v1/nodes?limit=1&cursor=${cursor}`)).status).toBe(200);
    for (const bad of ['limit=0', 'limit=1001', 'offset=-1', 'limit=x', 'bogus=1'])
      expect((await app.request(`/api/v1/programs?${bad}`)).status, bad).toBe(400);
  });

  it('reads another process’s cursor when both share MARCO_CURSOR_KEY, and refuses a short key', async () => {
    const key = cursorKeyConfig({ MARCO_CURSOR_KEY: 'a'.repeat(40) })!;
    const one = createApp({ store, now: clock, cursorKey: key });
    const two = createApp({ store, now: clock, cursorKey: key });
    const other = createApp({ store, now: clock });
    const link = (await one.request('/api/v1/nodes?limit=1')).headers.get('link')!;
    const next = /^<([^>]+)>/.exec(link)![1]!;
    expect((await two.request(next)).status).toBe(200);
    expect((await other.request(next)).status).toBe(400);
    expect(cursorKeyConfig({})).toBeUndefined();
    expect(() => cursorKeyConfig({ MARCO_CURSOR_KEY: 'short' })).toThrow(/at least 32/);
  });

  it('declares limit, offset, cursor, X-Total-Count and Link on every list in the OpenAPI document', () => {
    const doc = openApiDocument() as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters: { name: string }[];
            responses: Record<
              string,
              { headers?: object; content?: Record<string, { schema: { type?: string } }> }
            >;
          }
        >
      >;
    };
    let lists = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      const get = methods.get;
      if (!get || /\.(csv|parquet|xml)$/.test(path)) continue;
      const schema = get.responses['200']!.content!['application/json']!.schema;
      if (schema.type !== 'array') continue;
      lists++;
      expect(
        get.parameters.map((p) => p.name),
        path,
      ).toEqual(expect.arrayContaining(['limit', 'offset', 'cursor']));
      expect(Object.keys(get.responses['200']!.headers ?? {}), path).toEqual(
        expect.arrayContaining(['X-Total-Count', 'Link']),
      );
    }
    expect(lists).toBeGreaterThanOrEqual(15);
  });
});
