/**
 * The page cache: an anonymous reader's page is kept and revalidated with its ETag (304, no body); a
 * records write and a statistics import each change what is served at once; a signed-in official's page
 * is never the anonymous one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { createPageCache, type PageCache } from '../../src/web/page-cache.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { caller, exampleRecords } from '../server/example-app.js';
import { sharedFile } from '../stats/shared-data.js';

const MUNICIPALITIES = sharedFile('geo/cve_nom_municipios.csv');

(MUNICIPALITIES ? describe : describe.skip)('the page cache', () => {
  let dir: string;
  let stats: StatsStore;
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let app: ReturnType<typeof createApp>;
  let cache: PageCache;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-page-cache-'));
    stats = await openStats({ dataDir: dir });
    store = await exampleRecords('pglite');
    cache = createPageCache();
    app = createApp({ store, stats, pageCache: cache });
  });
  afterAll(async () => {
    stats?.close();
    await store?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a repeated anonymous request with 304 until a write changes the page', async () => {
    const first = await app.request('/programs/EX-CORRECTIONS?lang=en');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await app.request('/programs/EX-CORRECTIONS?lang=en', {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // Another language is another page.
    const es = await app.request('/programs/EX-CORRECTIONS?lang=es');
    expect(es.headers.get('etag')).not.toBe(etag);

    const token = (await import('../server/example-app.js')).tokenFor;
    const us = await token(store, { user: 'ines', country: 'US', agency: 'INL' });
    const { body } = await caller(app)('GET', '/api/v1/programs/EX-CORRECTIONS', us);
    const patched = await caller(app)('PATCH', '/api/v1/programs/EX-CORRECTIONS', us, {
      version: body.version,
      title: { en: 'Corrections, renamed', es: 'Correccionales, renombrado' },
    });
    expect(patched.status).toBe(200);
    const after = await app.request('/programs/EX-CORRECTIONS?lang=en', {
      headers: { 'if-none-match': etag },
    });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Corrections, renamed');
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('serves new statistics at once after an import', async () => {
    // Municipalities are known once INEGI's catalogue is imported.
    const before = await (await app.request('/places?q=Ju%C3%A1rez&lang=en')).text();
    expect(before).not.toContain('href="/places/08037"');
    await importFile(stats, sourceById('inegi-geo-catalog')!, MUNICIPALITIES!, { version: 'test' });
    const after = await (await app.request('/places?q=Ju%C3%A1rez&lang=en')).text();
    expect(after).toContain('href="/places/08037"');
  });

  it('keeps no page that carries a reader’s own token', async () => {
    const login = await app.request('/login?lang=en');
    expect(login.headers.get('cache-control')).toBe('no-store');
    expect(login.headers.get('etag')).toBeNull();
    const again = await (await app.request('/login?lang=en')).text();
    expect(again).not.toBe(await login.text());
  });

  it('keeps one copy of a page however many writes change it', async () => {
    const token = (await import('../server/example-app.js')).tokenFor;
    const us = await token(store, { user: 'ines', country: 'US', agency: 'INL' });
    const pages = ['/programs/EX-CORRECTIONS?lang=es', '/?lang=es'];
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { body } = await caller(app)('GET', '/api/v1/programs/EX-CORRECTIONS', us);
      const title = `Corrections ${i}`;
      const patched = await caller(app)('PATCH', '/api/v1/programs/EX-CORRECTIONS', us, {
        version: body.version,
        title: { en: title, es: `Correccionales ${i}` },
      });
      expect(patched.status).toBe(200);
      for (const page of pages) {
        const res = await app.request(page);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      expect(await (await app.request(pages[0]!)).text()).toContain(`Correccionales ${i}`);
      sizes.push(cache.calculatedSize);
    }
    // Each write makes every kept page stale; its new rendering takes its place instead of adding to it.
    const keys = [...cache.keys()].filter((k) => pages.some((p) => k.startsWith(p)));
    expect(keys).toHaveLength(pages.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(sizes[0]! * 0.05);
  });
});
