/**
 * Boundary files as they arrive: a shapefile (`.shp` with its `.dbf`), a `.zip` holding one, TopoJSON or
 * GeoJSON (gzipped or not), read into raw features with their attributes, each numbered by its place in
 * the file for reports. Recognising such a file by its first bytes is here too. Validation and
 * simplification are in `boundaries.ts`.
 * @module
 */
import { readFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import * as shapefile from 'shapefile';
import { feature as toFeature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { EXIT, MarcoError } from '../error.js';

/** One place's boundary as read from a file, before validation. */
export interface RawFeature {
  /** 1-based position in the file, for reports. */
  index: number;
  properties: Record<string, unknown>;
  geometry: Geometry | null;
}

export interface ReadBoundaries {
  layout: 'shapefile' | 'topojson' | 'geojson';
  features: RawFeature[];
}

const SHP_MAGIC = 9994;

/** Whether a file is a shapefile (`.shp`), by its first four bytes. */
export function isShapefile(head: Buffer): boolean {
  return head.length >= 4 && head.readInt32BE(0) === SHP_MAGIC;
}

/** Whether text starts like a TopoJSON topology or a GeoJSON feature collection. */
export function looksLikeGeoJson(head: string): boolean {
  return /^\s*\{[\s\S]{0,2000}"type"\s*:\s*"(Topology|FeatureCollection)"/.test(head);
}

/** Reads the features of a shapefile, zip, TopoJSON or GeoJSON file. */
export async function readBoundaryFile(file: string): Promise<ReadBoundaries> {
  const bytes = await readFile(file);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return readZip(file, bytes);
  if (isShapefile(bytes)) return readShapefile(file);
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BoundaryError({
      key: 'imports.boundaries.notGeo',
      values: { file, reason: (error as Error).message },
    });
  }
  const doc = json as { type?: string; objects?: Record<string, GeometryCollection>; features?: Feature[] };
  if (doc.type === 'Topology' && doc.objects) {
    // The object with the most geometries: a topology may also carry, say, a country outline.
    const [name] = Object.entries(doc.objects).sort(
      ([, a], [, b]) => (b.geometries?.length ?? 0) - (a.geometries?.length ?? 0),
    )[0] ?? [undefined];
    if (!name) throw new BoundaryError({ key: 'imports.boundaries.noObjects', values: { file } });
    const collection = toFeature(json as Topology, doc.objects[name]!) as FeatureCollection;
    return {
      layout: 'topojson',
      features: (collection.features ?? []).map((f, i) => ({
        index: i + 1,
        properties: { ...(f.properties ?? {}), ...(f.id !== undefined ? { id: f.id } : {}) },
        geometry: f.geometry,
      })),
    };
  }
  if (doc.type === 'FeatureCollection' && Array.isArray(doc.features)) {
    return {
      layout: 'geojson',
      features: doc.features.map((f, i) => ({
        index: i + 1,
        properties: { ...(f.properties ?? {}), ...(f.id !== undefined ? { id: f.id } : {}) },
        geometry: f.geometry ?? null,
      })),
    };
  }
  throw new BoundaryError({ key: 'imports.boundaries.notCollection', values: { file } });
}

async function readShapefile(shp: string): Promise<ReadBoundaries> {
  const dir = path.dirname(shp);
  const stem = path.basename(shp).replace(/\.shp$/i, '');
  const dbfName = (await readdir(dir)).find((n) => n.toLowerCase() === `${stem.toLowerCase()}.dbf`);
  if (!dbfName)
    throw new BoundaryError({ key: 'imports.boundaries.noDbf', values: { file: shp, dbf: `${stem}.dbf` } });
  const features: RawFeature[] = [];
  try {
    const source = await shapefile.open(shp, path.join(dir, dbfName), { encoding: 'utf-8' });
    for (;;) {
      const next = await source.read();
      if (next.done) break;
      features.push({
        index: features.length + 1,
        properties: (next.value.properties ?? {}) as Record<string, unknown>,
        geometry: next.value.geometry,
      });
    }
  } catch (error) {
    throw new BoundaryError({
      key: 'imports.boundaries.badShapefile',
      values: { file: shp, reason: (error as Error).message },
    });
  }
  return { layout: 'shapefile', features };
}

async function readZip(file: string, bytes: Buffer): Promise<ReadBoundaries> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new BoundaryError({
      key: 'imports.boundaries.badZip',
      values: { file, reason: (error as Error).message },
    });
  }
  const names = Object.keys(entries).filter((n) => !n.startsWith('__MACOSX') && !n.endsWith('/'));
  const shp = names.filter((n) => /\.shp$/i.test(n));
  const json = names.filter((n) => /\.(topojson|geojson|json)$/i.test(n));
  if (shp.length + json.length !== 1)
    throw new BoundaryError(
      names.length
        ? { key: 'imports.boundaries.zipContents', values: { file, found: names.join(', ') } }
        : { key: 'imports.boundaries.zipEmpty', values: { file } },
    );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-boundaries-'));
  try {
    for (const name of names) await writeFile(path.join(dir, path.basename(name)), entries[name]!);
    return await readBoundaryFile(path.join(dir, path.basename(shp[0] ?? json[0]!)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export class BoundaryError extends MarcoError {
  readonly code = 'invalid_data';
  readonly status = 422;
  readonly exitCode = EXIT.invalid;
}
