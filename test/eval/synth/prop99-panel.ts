/**
 * The California Proposition 99 panel (../shared/data/benchmarks), read independently of Marco's
 * importers, as the synthetic DiD and synthetic control tests use it.
 */
import { readFile } from 'node:fs/promises';
import type { BlockPanel } from '../../../src/eval/synth/synthdid.js';
import { sharedFile } from '../../stats/shared-data.js';

/** The panel's file (null when missing: the caller's tests skip). */
export const FILE = sharedFile('benchmarks/california_prop99.csv');

/** The panel as a block: the 38 control states first, California last; 1970–1988 before. */
export async function prop99(file: string): Promise<BlockPanel & { states: string[]; years: number[] }> {
  const rows = (await readFile(file, 'utf8'))
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(';'))
    .map(([state, year, packs, treated]) => ({
      state: state!,
      year: Number(year),
      packs: Number(packs),
      treated: treated === '1',
    }));
  const treated = new Set(rows.filter((r) => r.treated).map((r) => r.state));
  const all = [...new Set(rows.map((r) => r.state))];
  const states = [...all.filter((s) => !treated.has(s)), ...all.filter((s) => treated.has(s))];
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const first = Math.min(...rows.filter((r) => r.treated).map((r) => r.year));
  const y = new Float64Array(states.length * years.length).fill(NaN);
  for (const r of rows) y[states.indexOf(r.state) * years.length + years.indexOf(r.year)] = r.packs;
  return {
    y,
    units: states.length,
    periods: years.length,
    controls: states.length - treated.size,
    pre: years.indexOf(first),
    states,
    years,
  };
}
