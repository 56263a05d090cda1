/**
 * Who reads what of the BACRIM 2020 network through the API, under each classification a deployment
 * may set: anonymous callers get the counts by state and never a group's name (401 for detail, in
 * their language); officials read group detail under `official_use`; under `restricted` to Mexico a
 * U.S. official is refused (403) and a Mexican one served; under `public` anyone reads it all. A bad
 * `MARCO_NETWORK_CLASSIFICATION` stops the start with what to set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkAccessConfig } from '../../src/config.js';
import type { MarcoError } from '../../src/error.js';
import type { RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { exampleRecords, tokenFor } from '../server/example-app.js';
import { haveBacrim, importBacrim } from './bacrim.js';

describe.runIf(haveBacrim)('network access', () => {
  let store: RecordsStore;
  let stats: StatsStore;
  let us: string;
  let mx: string;
  beforeAll(async () => {
    store = await exampleRecords('pglite');
    stats = await openStats({ memory: true });
    await importBacrim(stats);
    us = await tokenFor(store, { user: 'ines', country: 'US', agency: 'INL' });
    mx = await tokenFor(store, { user: 'mateo', country: 'MX', agency: 'SSPC' });
  }, 60_000);
  afterAll(async () => {
    stats.close();
    await store.close();
  });

  const get = async (app: ReturnType<typeof createApp>, path: string, token?: string, lang = 'en') => {
    const res = await app.request(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.status, text: await res.text() };
  };

  it('gives anonymous callers the counts by state only, official use by default', async () => {
    const app = createApp({ store, stats, limits: false });
    const open = await get(app, '/api/v1/networks');
    expect(open.status).toBe(200);
    const summary = JSON.parse(open.text);
    expect([summary.classification, summary.detail]).toEqual(['official_use', false]);
    expect(summary.states).toHaveLength(25);
    // No group's id or name in what the public reads.
    expect(open.text).not.toMatch(/N1\d{4}|Cártel|Jalisco Nueva/);
    for (const path of ['/api/v1/networks/groups', '/api/v1/networks/groups/N10025']) {
      const refused = await get(app, path);
      expect(refused.status, path).toBe(401);
      expect(refused.text).not.toMatch(/Cártel|N10096/);
      expect(JSON.parse(refused.text).detail).toContain('OFFICIAL USE: sign in to see it');
    }
    expect(JSON.parse((await get(app, '/api/v1/networks/groups', undefined, 'es')).text).detail).toContain(
      'de USO OFICIAL: inicie sesión para verlo',
    );
    // A node id that is not one is refused at the edge, in the reader's language.
    const malformed = await get(app, `/api/v1/networks/groups/${encodeURIComponent('N1 or 1=1')}`, us);
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('expected a node id');
    expect(
      (await get(app, `/api/v1/networks/groups/${encodeURIComponent('N1 or 1=1')}`, us, 'es')).text,
    ).toContain('se esperaba un identificador de nodo');
    const detail = await get(app, '/api/v1/networks/groups', us);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Cártel Jalisco Nueva Generación (CJNG)');
  });

  it('refuses an official of the other country when the network is restricted', async () => {
    const app = createApp({
      store,
      stats,
      limits: false,
      networks: { classification: 'restricted', country: 'MX' },
    });
    const refused = await get(app, '/api/v1/networks/groups/N10025', us);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).detail).toContain('RESTRICTED to officials of MX');
    expect(JSON.parse((await get(app, '/api/v1/networks', us)).text).detail).toBe(false);
    const served = await get(app, '/api/v1/networks/groups/N10025', mx);
    expect(served.status).toBe(200);
    expect(JSON.parse(served.text).group.name).toBe('Cártel Jalisco Nueva Generación (CJNG)');
  });

  it('opens everything to everyone when the deployment makes the network public', async () => {
    const app = createApp({
      store,
      stats,
      limits: false,
      networks: { classification: 'public', country: 'MX' },
    });
    expect((await get(app, '/api/v1/networks/groups/N10013')).status).toBe(200);
    expect(JSON.parse((await get(app, '/api/v1/networks')).text).detail).toBe(true);
  });

  it('reads the classification from the environment, and refuses one it does not know', () => {
    expect(networkAccessConfig({})).toEqual({ classification: 'official_use', country: 'MX' });
    expect(
      networkAccessConfig({ MARCO_NETWORK_CLASSIFICATION: 'restricted', MARCO_NETWORK_OWNER: 'US' }),
    ).toEqual({
      classification: 'restricted',
      country: 'US',
    });
    const bad = (() => {
      try {
        networkAccessConfig({ MARCO_NETWORK_CLASSIFICATION: 'secret' });
      } catch (e) {
        return e as MarcoError;
      }
    })();
    expect(bad?.messageIn('en')).toContain(
      'MARCO_NETWORK_CLASSIFICATION="secret": expected public, official_use',
    );
    expect(bad?.messageIn('es')).toContain('se esperaba public, official_use');
  });
});
