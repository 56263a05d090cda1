/**
 * Boundaries for maps: INEGI state and municipal polygons, read from a file (`boundary-files.ts`),
 * validated, simplified once at import and stored per place with the vintage they came from; and the
 * U.S. states from the `us-atlas` package, built in.
 *
 * Import: every feature needs an INEGI code (`CVEGEO`, `id`, `CVE_ENT`+`CVE_MUN`, …: 2 digits for a state,
 * 5 for a municipality) and a polygon in longitude/latitude. The features become one TopoJSON topology,
 * so that neighbours keep sharing their simplified borders, are simplified by Visvalingam's effective
 * area (keeping the `keep` share of points, 15% by default), and are stored back as one GeoJSON geometry
 * per place. Rings are wound the way d3-geo expects (exterior rings clockwise), whatever the file did.
 * Serving them (the API's boundaries and the pages' maps) is `boundary-maps.ts`.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { feature as toFeature } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { rejectReason } from './reject-reasons.js';
import type { RawFeature } from './boundary-files.js';
import { US_STATES } from './us-states.js';

export interface BoundaryReject {
  feature: number;
  column: string;
  value: string | null;
  reason: string;
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
