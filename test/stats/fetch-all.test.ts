/**
 * `marco fetch --all` against a real HTTP server on loopback that serves the shared data at the
 * catalogue's paths (a mirror): every file a source imports is downloaded, checked against the sha256
 * the catalogue pins, and imported in import order; one damaged file means nothing is imported. And
 * `marco fetch SOURCE` without --url takes the catalogue's addresses.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMarco as marco } from '../fixtures/run-marco.js';
import { EXIT } from '../../src/error.js';
import { readCatalogue } from '../../src/stats/fetch-catalogue.js';
import { openStats } from '../../src/stats/stats-store.js';
import { SHARED_DATA, sharedFile } from './shared-data.js';

const present = sharedFile('catalogue.json');

(present ? describe : describe.skip)('marco fetch --all from a loopback mirror', () => {
  let server: Server;
  let base: string;
  const dirs: string[] = [];
  const requested: string[] = [];
  const tmp = async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'marco-fetch-all-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      requested.push(url);
      // /damaged/… serves the CDC file with one byte changed.
      const damaged = url.startsWith('/damaged/');
      const relative = url.replace(/^\/(damaged\/)?/, '');
      const file = path.join(SHARED_DATA, relative);
      if (relative.includes('..') || !existsSync(file)) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
      }
      if (damaged && relative.startsWith('cdc/'))
        return void readFile(file).then((bytes) => {
          bytes[100] = bytes[100]! ^ 1;
          res.writeHead(200, { 'content-type': 'text/csv', 'content-length': bytes.length });
          res.end(bytes);
        });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('downloads every catalogued file a source imports, checks its sha256 and imports it', async () => {
    const dir = await tmp();
    const r = await marco(dir, 'fetch', '--all', '--mirror', base, '--json');
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout) as {
      downloads: { url: string; sha256: string; file: string }[];
      imports: { source: string; sha256: string; status: string }[];
    };
    const catalogue = await readCatalogue();
    const wanted = catalogue.filter((e) => e.source !== null);
    // Every file with a source, and nothing else (no licence text).
    expect(out.downloads.map((d) => d.sha256).sort()).toEqual(wanted.map((e) => e.sha256).sort());
    expect(requested.filter((u) => u.includes('LICENSE'))).toEqual([]);
    // Each shapefile's companions are downloaded beside it and imported with it, not alone.
    // A shapefile's vintage is the sha256 of its .shp and .dbf together, one vintage for both.
    const shapefile = createHash('sha256')
      .update(await readFile(path.join(SHARED_DATA, 'geo/municipios.shp')))
      .update(await readFile(path.join(SHARED_DATA, 'geo/municipios.dbf')))
      .digest('hex');
    const imported = wanted
      .filter((e) => !/\.(dbf|shx)$/.test(e.file))
      .map((e) => ({ ...e, sha256: e.file.endsWith('.shp') ? shapefile : e.sha256 }));
    expect(out.imports.map((i) => i.sha256).sort()).toEqual(imported.map((e) => e.sha256).sort());
    expect(out.imports.every((i) => i.status === 'imported')).toBe(true);
    // Places first, then population, then the rest; a network's groups before its ties.
    const network = out.imports.filter((i) => i.source === 'bacrim-network').map((i) => i.sha256);
    expect(network).toEqual(
      ['BACRIM2020_Nodes', 'BACRIM2020_Alliances', 'BACRIM2020_Rivals'].map(
        (f) => wanted.find((e) => e.file.includes(f))!.sha256,
      ),
    );
    expect(out.imports.slice(0, 2).map((i) => i.source)).toEqual(['inegi-geo-catalog', 'inegi-geo-catalog']);
    expect(out.imports.findIndex((i) => i.source === 'inegi-homicides-state')).toBeGreaterThan(
      out.imports.findLastIndex((i) => i.source.startsWith('conapo-')),
    );
    // The store holds what the catalogue lists, with the same figures as the shared files.
    const stats = await openStats({ dataDir: dir });
    try {
      const vintages = await stats.all<{ sha256: string; origin: string }>(
        'select sha256, origin from vintages where replaced_by is null or true',
      );
      expect(new Set(vintages.map((v) => v.sha256))).toEqual(new Set(imported.map((e) => e.sha256)));
      expect(vintages.every((v) => v.origin.startsWith(base))).toBe(true);
    } finally {
      stats.close();
    }
    const mx = await marco(
      dir,
      ...'stats --measure homicides --geo 08 --from 2020 --to 2020 --per 100000 --json'.split(' '),
    );
    expect(JSON.parse(mx.stdout).series[0].points[0]).toMatchObject({ value: 3363, population: 3812627 });
  }, 300_000);

  it('imports nothing when one download does not match its sha256', async () => {
    const dir = await tmp();
    const r = await marco(dir, 'fetch', '--all', '--mirror', `${base}damaged/`);
    expect(r.code).not.toBe(EXIT.ok);
    expect(r.stderr).toContain('sha256');
    const sources = await marco(dir, 'sources', '--json');
    const list = JSON.parse(sources.stdout) as { vintages: unknown[] }[];
    expect(list.flatMap((s) => s.vintages)).toEqual([]);
  }, 300_000);

  it('takes a source’s catalogued addresses when no --url is given, and refuses --all with a source', async () => {
    const dir = await tmp();
    const r = await marco(dir, 'fetch', 'conapo-population-municipal', '--mirror', base, '--json');
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout) as { downloads: { url: string }[] };
    expect(out.downloads.map((d) => d.url)).toEqual([
      `${base}conapo/municipio-population1990-2009.csv`,
      `${base}conapo/municipio-population2010-2030.csv`,
    ]);
    const both = await marco(dir, 'fetch', 'cdc-vsrr-overdose', '--all');
    expect(both.code).toBe(EXIT.invalid);
    expect(both.stderr).toContain('--all fetches every file of the catalogue');
    const es = await marco(dir, '--lang', 'es', 'fetch');
    expect(es.stderr).toContain('indique la fuente que desea descargar');
  }, 120_000);

  it('fetches a network source’s files in import order: the groups before the ties between them', async () => {
    const dir = await tmp();
    const r = await marco(dir, 'fetch', 'bacrim-network', '--mirror', base, '--json');
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout) as {
      imports: { layout: string; rowsLoaded: number; rowsRejected: number }[];
    };
    expect(out.imports.map((i) => [i.layout, i.rowsLoaded, i.rowsRejected])).toEqual([
      ['groups', 150, 0],
      ['alliances', 130, 0],
      ['rivalries', 127, 0],
    ]);
  }, 120_000);
});
