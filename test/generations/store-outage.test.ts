/**
 * The records store's PostgreSQL server goes away under a running server and comes back (a restart,
 * played by a TCP relay that resets every connection and refuses new ones): meanwhile requests are
 * answered 503 with `Retry-After` and an EN/ES message, and `/readyz` says not ready; once the server is
 * back, the same process answers 200 again without being restarted.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, openRecords, type RecordsStore } from '../../src/records/database.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { createApp } from '../../src/server/app.js';
import { SERVER_URL } from './postgres-database.js';
import { startRelay, type Relay } from './tcp-relay.js';

(SERVER_URL ? describe : describe.skip)('a PostgreSQL restart under a running server', () => {
  let relay: Relay;
  let store: RecordsStore;
  let app: ReturnType<typeof createApp>;
  const schema = `t_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    const server = new URL(SERVER_URL);
    relay = await startRelay({ host: server.hostname, port: Number(server.port || 5432) });
    const through = new URL(SERVER_URL);
    through.host = `127.0.0.1:${relay.port}`;
    store = await openRecords({ databaseUrl: through.toString(), schema });
    await loadBuiltins(store, 'test');
    app = createApp({ store, version: 'test', limits: false });
  });
  afterAll(async () => {
    await relay?.restore().catch(() => undefined);
    if (store) {
      await dropSchema(store, schema).catch(() => undefined);
      await store.close();
    }
    await relay?.close();
  });

  const get = (path: string, lang = 'en') => app.request(path, { headers: { 'accept-language': lang } });

  it('answers 503 while the server is gone and 200 once it is back, without a restart', async () => {
    expect((await get('/api/v1/organisations')).status).toBe(200);
    await relay.cut();

    const down = await get('/api/v1/organisations');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    const problem = (await down.json()) as { code: string; detail: string };
    expect(problem.code).toBe('unavailable');
    expect(problem.detail).toMatch(/cannot reach its records store/);
    const es = await get('/api/v1/organisations', 'es');
    expect(es.status).toBe(503);
    expect(((await es.json()) as { detail: string }).detail).toMatch(
      /no puede llegar a su almacén de registros/,
    );
    expect((await get('/readyz')).status).toBe(503);

    await relay.restore();
    const end = Date.now() + 10_000;
    let status = 0;
    while (status !== 200) {
      expect(Date.now()).toBeLessThan(end);
      status = (await get('/api/v1/organisations')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const readyEnd = Date.now() + 5_000;
    while ((await get('/readyz')).status !== 200) {
      expect(Date.now()).toBeLessThan(readyEnd);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 30_000);
});
