/**
 * The probes, on both records stores: `/healthz` answers while the process serves; `/readyz` answers 200
 * when the stores answer and the migrations are current, and 503 naming the failed check, in English
 * and Spanish, when a migration of this release is missing or the records store is gone; neither is
 * cached nor says more than ok or failed of a store.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAST_MIGRATION } from '../../src/records/migrations/index.js';
import { createApp } from '../../src/server/app.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { STORE_KINDS, freshStore } from '../records/stores.js';

describe.each(STORE_KINDS)('health probes on %s', (kind) => {
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
  });
  afterAll(() => stats?.close());

  const get = async (app: ReturnType<typeof createApp>, path: string) => {
    const res = await app.request(path);
    return {
      status: res.status,
      cache: res.headers.get('cache-control'),
      body: (await res.json()) as Record<string, unknown>,
    };
  };

  it('is live and ready when the stores answer and the migrations are current', async () => {
    const store = await freshStore(kind);
    try {
      const app = createApp({ store, stats, version: 'test' });
      expect(await get(app, '/healthz')).toEqual({
        status: 200,
        cache: 'no-store',
        body: { status: 'ok', version: 'test' },
      });
      expect(await get(app, '/readyz')).toEqual({
        status: 200,
        cache: 'no-store',
        body: { status: 'ready', checks: { records: 'ok', migrations: 'ok', statistics: 'ok' } },
      });
      // Without a statistics store the server still serves its records: ready, statistics absent.
      const bare = await get(createApp({ store }), '/readyz');
      expect(bare.body).toMatchObject({ status: 'ready', checks: { statistics: 'absent' } });
    } finally {
      await store.dispose();
    }
  });

  it('is not ready, saying which migration is missing, when the store lacks one of this release', async () => {
    const store = await freshStore(kind);
    try {
      await sql`delete from kysely_migration where name = ${LAST_MIGRATION}`.execute(store.db);
      const app = createApp({ store, stats });
      const en = await get(app, '/readyz');
      expect(en.status).toBe(503);
      expect(en.body).toMatchObject({ status: 'not_ready', checks: { records: 'ok', migrations: 'failed' } });
      expect((en.body.problems as string[])[0]).toMatch(
        /^the records store lacks one migration of this release/,
      );
      const es = await get(app, '/readyz?lang=es');
      expect((es.body.problems as string[])[0]).toMatch(/^al almacén de registros le falta una migración/);
      expect((await get(app, '/healthz')).status).toBe(200);
    } finally {
      await store.dispose();
    }
  });

  it('is not ready when the records store is gone, and says nothing of where it was', async () => {
    const store = await freshStore(kind);
    const app = createApp({ store, stats });
    await store.close();
    const r = await get(app, '/readyz?lang=es');
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({
      status: 'not_ready',
      checks: { records: 'failed', migrations: 'failed', statistics: 'ok' },
    });
    expect(r.body.problems).toEqual(['el almacén de registros no responde en 2 s']);
    expect(JSON.stringify(r.body)).not.toMatch(/5432|127\.0\.0\.1|postgres|pglite/i);
    expect((await get(app, '/healthz')).status).toBe(200);
    await store.dispose().catch(() => undefined);
  });
});
