/**
 * Every refusal of the API is an RFC 9457 problem (`application/problem+json`) in the reader's
 * language: type, title, status, detail and instance, Marco's code, a refused input's issues at their
 * JSON paths, and the `error` member clients read before. A 401 says how to authenticate; a method a
 * path does not answer is a 405 naming the ones it does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../src/server/app.js';
import { exampleApp } from './example-app.js';

describe('problems', () => {
  let app: ReturnType<typeof createApp>;
  let us = '';
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const made = await exampleApp('pglite');
    ({ app, us } = made);
    dispose = () => made.store.dispose();
  });
  afterAll(() => dispose?.());

  const ask = async (method: string, path: string, init: { token?: string; body?: unknown } = {}) => {
    const res = await app.request(path, {
      method,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { res, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers an unknown path with a problem in the reader’s language', async () => {
    const { res, body } = await ask('GET', '/api/v1/nothing-here?lang=es');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({
      type: 'urn:marco:problem:not_found',
      title: 'No encontrado',
      status: 404,
      instance: '/api/v1/nothing-here',
      code: 'not_found',
      error: { code: 'not_found' },
    });
    expect(body.detail).toContain('/api/v1/nothing-here');
  });

  it('gives a refused input its issues at their JSON paths', async () => {
    const { res, body } = await ask('POST', '/api/v1/results', {
      token: us,
      body: { indicator: 'EX-ACA-ACCREDITED', period: 'not-a-period', place: '08', value: 'many' },
    });
    expect(res.status).toBe(422);
    expect(body).toMatchObject({
      type: 'urn:marco:problem:invalid_input',
      title: 'Invalid input',
      status: 422,
    });
    const paths = (body.issues as { path: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(['period', 'value']);
  });

  it('names the parameters an endpoint takes when a query has an unknown one, pointing to docs/api.md', async () => {
    const { res, body } = await ask('GET', '/api/v1/results?plase=MX');
    expect(res.status).toBe(400);
    expect(body.issues).toEqual([expect.objectContaining({ path: 'query' })]);
    const detail = body.detail as string;
    expect(detail).toContain('an unknown query parameter: "plase"');
    expect(detail).toMatch(
      /children, cursor, excel, indicator, lang, limit, offset, period, place, status, within/,
    );
    expect(detail).toContain('docs/api.md');
    expect(detail).not.toContain('workspace-format');
    const es = await ask('GET', '/api/v1/scorecards?a=1&b=2&lang=es');
    expect(es.body.detail).toContain('parámetros de consulta desconocidos: "a", "b"');
  });

  it('tells a caller without a token how to authenticate', async () => {
    const { res, body } = await ask('POST', '/api/v1/results', { body: {} });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="marco"');
    expect(body.type).toBe('urn:marco:problem:unauthorized');
  });

  it('answers a creation with 201 and where to read what it created', async () => {
    const made = await ask('POST', '/api/v1/results', {
      token: us,
      body: { indicator: 'EX-ACA-ACCREDITED', period: '2018-01', place: '08', value: 3 },
    });
    expect(made.res.status).toBe(201);
    const location = made.res.headers.get('location')!;
    expect(location).toBe(`/api/v1/results/${String(made.body.id)}`);
    const read = await ask('GET', location, { token: us });
    expect(read.res.status).toBe(200);
    expect(read.body).toMatchObject({ id: made.body.id, value: 3, status: 'draft' });
    // A draft is its owners' alone: the public reads a 404, not the record.
    expect((await ask('GET', location)).res.status).toBe(404);
  });

  it('answers a method a path does not take with 405 and the methods it does', async () => {
    const del = await ask('DELETE', '/api/v1/frameworks');
    expect(del.res.status).toBe(405);
    expect(del.res.headers.get('allow')).toBe('GET, HEAD');
    expect(del.body).toMatchObject({ code: 'method_not_allowed', status: 405 });
    const put = await ask('PUT', '/api/v1/results/12');
    expect(put.res.headers.get('allow')).toBe('GET, HEAD, PATCH');
    const files = await ask('PATCH', '/api/v1/results/12/attachments');
    expect(files.res.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});
