/**
 * INEGI boundaries on the real shapefile and TopoJSON: imported, simplified, wound for d3-geo, served as
 * TopoJSON and GeoJSON; and refused, changing nothing, when a file is damaged or wrong.
 */
import { recogniseFile } from '../../src/stats/recognise.js';
import { DataError } from '../../src/stats/import-report.js';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { geoArea } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { SOURCES, sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from './shared-data.js';

const SHP = sharedFile('geo/municipios.shp');
const SHX = sharedFile('geo/municipios.shx');
const DBF = sharedFile('geo/municipios.dbf');
const TOPO = sharedFile('geo/estatal.topojson');
const STATES = sharedFile('geo/cve_nom_estados.csv');
const MUNICIPALITIES = sharedFile('geo/cve_nom_municipios.csv');
const describeData = [SHP, SHX, DBF, TOPO, STATES, MUNICIPALITIES].every(Boolean) ? describe : describe.skip;

const source = sourceById('inegi-boundaries')!;
const options = { version: 'test' };

async function snapshot(stats: StatsStore) {
  const [row] = await stats.all<Record<string, number>>(
    `select (select count(*) from boundaries) as boundaries, (select count(*) from vintages) as vintages,
       (select count(*) from rejects) as rejects, (select coalesce(sum(length(geometry)), 0) from boundaries) as bytes`,
  );
  return row!;
}

/** Points in a polygon or multipolygon. */
const points = (g: Geometry): number =>
  g.type === 'Polygon'
    ? g.coordinates.reduce((s, r) => s + r.length, 0)
    : g.type === 'MultiPolygon'
      ? g.coordinates.reduce((s, p) => s + p.reduce((t, r) => t + r.length, 0), 0)
      : 0;

describeData('INEGI boundaries', () => {
  let dir: string;
  let stats: StatsStore;
  let records: RecordsStore;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-boundaries-'));
    stats = await openStats({ dataDir: dir });
    records = await openRecords({ memory: true });
    app = createApp({ store: records, stats });
  });
  afterAll(async () => {
    stats?.close();
    await records?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const get = async (url: string) => {
    const res = await app.request(url);
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { error?: { code: string } },
    };
  };

  it('answers 404 before any boundaries are imported', async () => {
    const { status, body } = await get('/api/v1/boundaries?level=state');
    expect(status).toBe(404);
    expect(body.error!.code).toBe('not_found');
  });

  it('imports the municipal shapefile: every polygon, simplified, wound for d3-geo', async () => {
    await importFile(stats, sourceById('inegi-geo-catalog')!, STATES!, options);
    await importFile(stats, sourceById('inegi-geo-catalog')!, MUNICIPALITIES!, options);
    // The .shx index holds one 8-byte record per shape after its 100-byte header.
    const shapes = ((await stat(SHX!)).size - 100) / 8;
    const report = await importFile(stats, source, SHP!, options);
    expect(report).toMatchObject({
      status: 'imported',
      layout: 'shapefile',
      rowsRead: shapes,
      rowsLoaded: shapes,
      rowsRejected: 0,
    });
    expect(shapes).toBe(2_457);
    const rows = await stats.all<{ code: string; geometry: string }>(
      `select code, geometry from boundaries where level = 'municipality'`,
    );
    expect(rows).toHaveLength(shapes);
    expect(rows.every((r) => /^\d{5}$/.test(r.code))).toBe(true);
    // Simplified: the stored polygons hold far fewer points than the file's (100 bytes of header, then
    // per shape at least 16 bytes per point).
    const stored = rows.reduce((s, r) => s + points(JSON.parse(r.geometry) as Geometry), 0);
    const filePoints = ((await stat(SHP!)).size - 100) / 16;
    expect(stored).toBeLessThan(filePoints * 0.3);
    // d3-geo reads a wrongly wound polygon as the whole globe minus the place: every area must be small.
    const areas = rows.map((r) =>
      geoArea({ type: 'Feature', properties: {}, geometry: JSON.parse(r.geometry) as Geometry }),
    );
    expect(Math.max(...areas)).toBeLessThan(0.01);
    expect(Math.min(...areas)).toBeGreaterThan(0);
    // 2016 boundaries against the newer catalogue: all codes are known.
    expect(report.unknownPlaces.count).toBe(0);
  });

  it('imports the state TopoJSON alongside, and an identical file again is a no-op', async () => {
    const topo = JSON.parse(await readFile(TOPO!, 'utf8')) as {
      objects: { collection: { geometries: { properties: { CVEGEO: string } }[] } };
    };
    const codes = topo.objects.collection.geometries.map((g) => g.properties.CVEGEO).sort();
    const report = await importFile(stats, source, TOPO!, options);
    expect(report).toMatchObject({ layout: 'topojson', rowsLoaded: 32, rowsRejected: 0, replaced: [] });
    const rows = await stats.all<{ code: string }>(
      `select code from boundaries where level = 'state' order by code`,
    );
    expect(rows.map((r) => r.code)).toEqual(codes);
    expect((await importFile(stats, source, TOPO!, options)).status).toBe('unchanged');
    const [municipal] = await stats.all<{ n: number }>(
      `select count(*) as n from boundaries where level = 'municipality'`,
    );
    expect(municipal!.n).toBe(2_457);
  });

  it('serves a state’s municipalities and the U.S. states as TopoJSON or GeoJSON', async () => {
    const chihuahua = await get('/api/v1/boundaries?level=municipality&within=08');
    expect(chihuahua.status).toBe(200);
    const [expected] = await stats.all<{ n: number }>(
      `select count(*) as n from boundaries where level = 'municipality' and code like '08%'`,
    );
    const places = (
      chihuahua.body.objects as {
        places: { geometries: { id: string; properties: { name: string; parent: string } }[] };
      }
    ).places;
    expect(chihuahua.body.type).toBe('Topology');
    expect(places.geometries).toHaveLength(expected!.n);
    expect(places.geometries.find((g) => g.id === '08037')!.properties).toEqual({
      name: 'Juárez',
      parent: '08',
    });
    expect((chihuahua.body.marco as { vintages: unknown[] }).vintages).toHaveLength(1);

    const states = await get('/api/v1/boundaries?level=state&format=geojson');
    const features = (states.body as unknown as FeatureCollection).features;
    expect(features).toHaveLength(32);
    // The TopoJSON's rings come back wound for d3-geo too: no state covers the rest of the globe.
    expect(Math.max(...features.map((f) => geoArea(f)))).toBeLessThan(0.01);
    expect(features.find((f: Feature) => f.id === '09')!.properties).toMatchObject({
      name: 'Ciudad de México',
      parent: 'MX',
    });

    const us = await get('/api/v1/boundaries?level=state&within=US&format=geojson');
    const usFeatures = (us.body as unknown as FeatureCollection).features;
    expect(usFeatures.map((f) => f.id)).toEqual(expect.arrayContaining(['TX', 'CA', 'DC', 'PR']));
    expect(usFeatures).toHaveLength(52);

    for (const bad of [
      'level=county',
      'level=municipality&within=MX',
      'level=state&within=08',
      'level=state&format=kml',
      'level=state&x=1',
    ])
      expect((await get(`/api/v1/boundaries?${bad}`)).status, bad).toBe(400);
  });

  it('refuses damaged or wrong files and changes nothing', async () => {
    const before = await snapshot(stats);
    const work = await mkdtemp(path.join(os.tmpdir(), 'marco-bad-boundaries-'));
    try {
      // A .shp without its .dbf.
      const lone = path.join(work, 'lone.shp');
      await copyFile(SHP!, lone);
      await expect(importFile(stats, source, lone, options)).rejects.toThrow(/lone\.dbf\) are missing/);
      // A truncated .shp with its .dbf.
      const cut = path.join(work, 'cut.shp');
      await writeFile(cut, (await readFile(SHP!)).subarray(0, 1_000_000));
      await copyFile(DBF!, path.join(work, 'cut.dbf'));
      await expect(importFile(stats, source, cut, options)).rejects.toThrow(DataError);
      // Projected coordinates, a duplicate code and a missing code: 3 of 4 features rejected.
      const square = (x: number, y: number, d = 0.1) => ({
        type: 'Polygon',
        coordinates: [
          [
            [x, y],
            [x, y + d],
            [x + d, y + d],
            [x + d, y],
            [x, y],
          ],
        ],
      });
      const bad = path.join(work, 'bad.geojson');
      await writeFile(
        bad,
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { CVEGEO: '09015' }, geometry: square(-99.2, 19.4) },
            { type: 'Feature', properties: { CVEGEO: '09015' }, geometry: square(-99.1, 19.4) },
            { type: 'Feature', properties: { CVEGEO: '09016' }, geometry: square(2_780_000, 830_000, 1000) },
            { type: 'Feature', properties: { NAME: 'x' }, geometry: square(-99, 19) },
          ],
        }),
      );
      const refused = await importFile(stats, source, bad, options).catch((e: unknown) => e as DataError);
      expect(refused).toBeInstanceOf(DataError);
      const message = (refused as DataError).message;
      expect(message).toMatch(/3 of 4 features rejected/);
      expect(message).toMatch(
        /feature 2 CVEGEO="09015": duplicate code: an earlier feature has the same code/,
      );
      expect(message).toMatch(/feature 3 .*reproject the file to WGS84/);
      expect(message).toMatch(/feature 4 .*no INEGI code attribute/);
      // Not a boundaries file at all.
      const text = path.join(work, 'text.json');
      await writeFile(text, '{"hello": "world"}');
      await expect(importFile(stats, source, text, options)).rejects.toThrow(
        /neither a TopoJSON Topology nor a GeoJSON/,
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    expect(await snapshot(stats)).toEqual(before);
  });

  it('is recognised by content in a folder, with the shapefile’s companions', async () => {
    expect((await recogniseFile(SHP!, SOURCES))?.source.id).toBe('inegi-boundaries');
    expect((await recogniseFile(TOPO!, SOURCES))?.source.id).toBe('inegi-boundaries');
    expect(await recogniseFile(DBF!, SOURCES)).toBeUndefined();
  });

  it('replaces a level with a new vintage, keeping the old one listed', async () => {
    const report = await importFile(stats, source, SHP!, { ...options, params: { keep: '0.05' } });
    expect(report.status).toBe('imported');
    expect(report.replaced).toHaveLength(1);
    const [row] = await stats.all<{ n: number; vintages: number }>(
      `select count(*) as n, count(distinct vintage_id) as vintages from boundaries where level = 'municipality'`,
    );
    expect(row).toEqual({ n: 2_457, vintages: 1 });
    await expect(importFile(stats, source, SHP!, { ...options, params: { keep: '0' } })).rejects.toThrow(
      /expected a share above 0/,
    );
  });
});
