/**
 * Conditional requests on records, on each store: a result and a program carry their version as a
 * strong ETag, If-None-Match with it answers 304 (and any other read, a digest tag), a write with a
 * stale If-Match answers 412 and changes nothing (no version, no audit entry), a current one writes and
 * answers the new tag, and a malformed or disagreeing If-Match is refused with a message in the
 * reader's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';
import type { createApp } from '../../src/server/app.js';
import { CHIHUAHUA_RATE_RESULT } from '../fixtures/api-bodies.js';
import { exampleApp } from './example-app.js';

describe.each(STORE_KINDS)('conditional requests on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let app: ReturnType<typeof createApp>;
  let mx: string;
  let id = 0;
  beforeAll(async () => {
    ({ store, app, mx } = await exampleApp(kind));
    const made = await app.request('/api/v1/results', {
      method: 'POST',
      headers: { authorization: `Bearer ${mx}`, 'content-type': 'application/json' },
      body: JSON.stringify(CHIHUAHUA_RATE_RESULT),
    });
    expect(made.status).toBe(201);
    expect(made.headers.get('etag')).toBe('"v1"');
    id = ((await made.json()) as { id: number }).id;
  });
  afterAll(() => store?.dispose());

  const get = (path: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { authorization: `Bearer ${mx}`, ...headers } });
  const patch = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${mx}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('tags a record with its version and answers 304 while the tag is current', async () => {
    const first = await get(`/api/v1/results/${id}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"v1"');
    const again = await get(`/api/v1/results/${id}`, { 'if-none-match': '"v1"' });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe('"v1"');
    expect(await again.text()).toBe('');
    expect((await get(`/api/v1/results/${id}`, { 'if-none-match': '"v9"' })).status).toBe(200);
    // Any other read has a tag of its body, weak, and the same 304.
    const list = await get('/api/v1/programs');
    const tag = list.headers.get('etag');
    expect(tag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    expect((await get('/api/v1/programs', { 'if-none-match': tag! })).status).toBe(304);
  });

  it('writes under a current If-Match, and refuses a stale one with 412, writing nothing', async () => {
    const before = await countRows(store);
    const stale = await patch(
      `/api/v1/results/${id}`,
      { version: 1, numerator: 260 },
      { 'if-match': '"v1"' },
    );
    expect(stale.status).not.toBe(412);
    expect(stale.status).toBe(200);
    expect(stale.headers.get('etag')).toBe('"v2"');
    const written = await countRows(store);
    expect(written.audit_log).toBe(before.audit_log! + 1);

    // Someone else's change came first: the tag the client holds is stale.
    const refused = await patch(
      `/api/v1/results/${id}?lang=es`,
      { version: 1, numerator: 270 },
      { 'if-match': '"v1"' },
    );
    expect(refused.status).toBe(412);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as { code: string; detail: string; title: string };
    expect(problem.code).toBe('precondition_failed');
    expect(problem.title).toBe('Precondición no cumplida');
    expect(problem.detail).toContain('ahora está en "v2", no en "v1"');
    expect(await countRows(store)).toEqual(written);
    const now = (await (await get(`/api/v1/results/${id}`)).json()) as { numerator: number; version: number };
    expect(now).toMatchObject({ numerator: 260, version: 2 });
  });

  it('refuses a malformed If-Match, or one that disagrees with the body’s version, writing nothing', async () => {
    const before = await countRows(store);
    const malformed = await patch(
      `/api/v1/results/${id}`,
      { version: 2, numerator: 280 },
      { 'if-match': 'v2' },
    );
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { detail: string }).detail).toContain('"v3"');
    const disagree = await patch(
      `/api/v1/results/${id}`,
      { version: 2, numerator: 280 },
      { 'if-match': '"v5"' },
    );
    expect(disagree.status).toBe(412);
    expect(((await disagree.json()) as { detail: string }).detail).toContain('version 2');
    expect(await countRows(store)).toEqual(before);
  });

  it('does the same for a program', async () => {
    const read = await get('/api/v1/programs/EX-CHIHUAHUA-PREVENTION');
    const tag = read.headers.get('etag')!;
    expect(tag).toMatch(/^"v\d+"$/);
    const version = Number(tag.slice(2, -1));
    const ok = await patch(
      '/api/v1/programs/EX-CHIHUAHUA-PREVENTION',
      { version, description: { en: 'Prevention in Chihuahua', es: 'Prevención en Chihuahua' } },
      { 'if-match': tag },
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe(`"v${version + 1}"`);
    const stale = await patch(
      '/api/v1/programs/EX-CHIHUAHUA-PREVENTION',
      { version, status: 'suspended' },
      { 'if-match': tag },
    );
    expect(stale.status).toBe(412);
    expect(
      ((await (await get('/api/v1/programs/EX-CHIHUAHUA-PREVENTION')).json()) as { status: string }).status,
    ).not.toBe('suspended');
  });
});
