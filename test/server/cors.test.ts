/**
 * Cross-origin reads of the API (a notebook's or a newsroom's page): any origin by default, the listed
 * ones when `MARCO_CORS_ORIGINS` names some, none with `none`; a preflight for a read is answered, one
 * for a write is not, and a write answers no cross-origin header. A malformed origin stops the start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsConfig } from '../../src/config.js';
import { CliError } from '../../src/error.js';
import { createApp } from '../../src/server/app.js';
import { exampleRecords } from './example-app.js';

describe('cross-origin reads', () => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  beforeAll(async () => {
    store = await exampleRecords('pglite');
  });
  afterAll(() => store?.dispose());

  const from = (origin: string, init: RequestInit = {}) => ({
    ...init,
    headers: { origin, ...(init.headers as Record<string, string> | undefined) },
  });

  it('lets any origin read by default, but not write', async () => {
    const app = createApp({ store, limits: false });
    const read = await app.request('/api/v1/frameworks', from('https://notebook.example'));
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await app.request(
      '/api/v1/results',
      from('https://notebook.example', {
        method: 'OPTIONS',
        headers: {
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,HEAD');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const write = await app.request(
      '/api/v1/results',
      from('https://notebook.example', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(write.status).toBe(401);
    expect(write.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('follows MARCO_CORS_ORIGINS: a list, or none', async () => {
    const listed = createApp({
      store,
      limits: false,
      corsOrigins: corsConfig({ MARCO_CORS_ORIGINS: 'https://data.sspc.gob.mx, https://data.state.gov' }),
    });
    const ok = await listed.request('/api/v1/frameworks', from('https://data.state.gov'));
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://data.state.gov');
    const other = await listed.request('/api/v1/frameworks', from('https://elsewhere.example'));
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const closed = createApp({
      store,
      limits: false,
      corsOrigins: corsConfig({ MARCO_CORS_ORIGINS: 'none' }),
    });
    const none = await closed.request('/api/v1/frameworks', from('https://data.state.gov'));
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a malformed origin, naming it', () => {
    expect(() => corsConfig({ MARCO_CORS_ORIGINS: 'https://data.state.gov/path' })).toThrow(CliError);
    expect(() => corsConfig({ MARCO_CORS_ORIGINS: 'data.state.gov' })).toThrow(/data\.state\.gov/);
  });
});
