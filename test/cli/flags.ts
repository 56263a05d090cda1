/**
 * What the flag tests share (`flags-*.test.ts`): the CLI runner, scratch data directories, parsing a
 * command's JSON, and reading series and vintages back.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { EXIT } from '../../src/error.js';
import { runMarco } from '../fixtures/run-marco.js';

export const marco = runMarco;

export const tempDir = (name: string) => mkdtemp(path.join(os.tmpdir(), `marco-flags-${name}-`));

/** Runs `marco … --json`-style commands that must succeed and parses what they print. */
export async function marcoJson<T>(dir: string, ...args: string[]): Promise<T> {
  const res = await marco(dir, ...args);
  expect(res.code, res.stderr).toBe(EXIT.ok);
  return JSON.parse(res.stdout) as T;
}

export interface SeriesJson {
  series: { geo: string; name: string | null; points: { period: string; value: number }[] }[];
  gaps: { geo: string; reason: string }[];
}

/** `{period: value}` of the one series of a `marco stats --json` result. */
export function onlySeries(result: SeriesJson): Record<string, number> {
  expect(result.series).toHaveLength(1);
  return Object.fromEntries(result.series[0]!.points.map((p) => [p.period, p.value]));
}

/** Adds `value` to `map[key]`. */
export function add(map: Map<string, number>, key: string, value: number) {
  map.set(key, (map.get(key) ?? 0) + value);
}

export interface VintageJson {
  id: number;
  file_name: string;
  rows_loaded: number;
  rows_rejected: number;
  params: string | Record<string, string> | null;
}

/** The vintages `marco sources --json` lists for one source. */
export async function vintagesOf(dir: string, source: string): Promise<VintageJson[]> {
  const catalogue = await marcoJson<{ id: string; vintages: VintageJson[] }[]>(dir, 'sources', '--json');
  const entry = catalogue.find((s) => s.id === source);
  expect(entry, source).toBeDefined();
  return entry!.vintages;
}
