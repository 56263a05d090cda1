/**
 * Answers are gzipped for clients that accept it: a municipal monthly series in JSON, from the shared
 * INEGI file, travels at under a tenth of its size and decompresses to the same answer; a client that
 * does not ask gets it plain, and every answer says it varies with Accept-Encoding. A client that ranks
 * brotli first gets brotli, smaller still.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from '../stats/shared-data.js';

const FILE = sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');
const CATALOGUE = sharedFile('geo/cve_nom_municipios.csv');
if (!FILE && process.env.CI === 'true')
  throw new Error('CI=true but the shared INEGI municipal file is missing');

(FILE && CATALOGUE ? describe : describe.skip)('compressed answers', () => {
  let dir: string;
  let stats: StatsStore;
  let records: RecordsStore;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-gzip-'));
    stats = await openStats({ dataDir: dir });
    await importFile(stats, sourceById('inegi-geo-catalog')!, CATALOGUE!, { version: 'test' });
    await importFile(stats, sourceById('inegi-homicides-municipal')!, FILE!, { version: 'test' });
    records = await openRecords({ memory: true });
    app = createApp({ store: records, stats, limits: false });
  }, 120_000);
  afterAll(async () => {
    stats?.close();
    await records?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gzips a municipal monthly series to under a tenth of its size', async () => {
    const url = '/api/v1/series?measure=homicides&level=municipality&by=month&from=2019-01&to=2021-12';
    const plain = await app.request(url);
    expect(plain.status, await plain.clone().text()).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = await plain.text();
    const zipped = await app.request(url, { headers: { 'accept-encoding': 'gzip, br;q=0.5' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i);
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(bytes.length).toBeLessThan(Buffer.byteLength(text) / 10);
    expect(gunzipSync(bytes).toString()).toBe(text);
    expect(Buffer.byteLength(text)).toBeGreaterThan(10_000_000);

    // A client that ranks brotli first (browsers send "gzip, deflate, br") gets brotli, smaller still.
    const br = await app.request(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(br.headers.get('etag')).toMatch(/^W\//);
    const packed = Buffer.from(await br.arrayBuffer());
    expect(packed.length).toBeLessThan(bytes.length);
    expect(brotliDecompressSync(packed).toString()).toBe(text);
  });

  it('leaves small answers, HEAD and refused encodings alone', async () => {
    const small = await app.request('/api/v1/audit/head', { headers: { 'accept-encoding': 'br' } });
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(small.headers.get('vary')).toMatch(/accept-encoding/i);
    const refused = await app.request('/api/v1/measures', { headers: { 'accept-encoding': 'br;q=0, gzip' } });
    expect(refused.headers.get('content-encoding')).toBe('gzip');
    const head = await app.request('/api/v1/measures', {
      method: 'HEAD',
      headers: { 'accept-encoding': 'br' },
    });
    expect(head.headers.get('content-encoding')).toBeNull();
  });
});
