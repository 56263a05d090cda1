/**
 * A state × year panel built from the raw shared files, without Marco's importers or series query, to
 * check evaluation runs against: per state and year 2001–2012, log(1 + homicides per 100,000 over the
 * mean of the twelve monthly CONAPO populations, to a whole person, as Marco rounds it), and each state's cohort the year of its first joint
 * military operation (never treated: −1).
 */
import { afterAll, beforeAll } from 'vitest';
import type { CsPanel } from '../../src/eval/cs/cs-panel.js';
import type { EvaluationSpec } from '../../src/eval/evaluate.js';
import { JOINT_OPERATIONS_SPEC } from '../fixtures/api-bodies.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

/** The shared files of the state panel (null when missing: the caller's tests skip). */
export const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
export const POP = sharedFile('conapo/pop_states_monthly_1990_2050.csv');
export const EVENTS = sharedFile('events/interventions.csv');

/**
 * An evaluation of the state × year panel 2001–2012 (log homicide rate, joint military operations),
 * with `changes` to its panel, estimators and title.
 */
export function stateSpec(changes: { panel?: object; estimators: object; title: string }): EvaluationSpec {
  return {
    marco: 'evaluation/1',
    title: changes.title,
    panel: { ...JOINT_OPERATIONS_SPEC.panel, ...changes.panel },
    estimators: changes.estimators,
  } as EvaluationSpec;
}

/**
 * An in-memory statistics store with state homicides and CONAPO monthly state population, opened before
 * the calling describe block's tests and closed after them; returns its getter.
 */
export function stateStatsStore(): () => StatsStore {
  let stats: StatsStore | undefined;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await importFile(stats, sourceById('inegi-homicides-state')!, STATE!, { version: 'test' });
    await importFile(stats, sourceById('conapo-population-state-monthly')!, POP!, { version: 'test' });
  });
  afterAll(() => stats?.close());
  return () => {
    if (!stats) throw new Error('the state statistics store is not open');
    return stats;
  };
}

export async function statePanel(
  stateFile: string,
  populationFile: string,
  eventsFile: string,
  from = 2001,
  to = 2012,
): Promise<CsPanel> {
  const homicides = new Map<string, number>();
  for (const line of (await sharedLines(stateFile)).slice(1)) {
    const [code, year, , count] = line.split('|');
    homicides.set(`${Number(code)}|${year}`, (homicides.get(`${Number(code)}|${year}`) ?? 0) + Number(count));
  }
  const population = new Map<string, number[]>();
  for (const line of (await sharedLines(populationFile)).slice(1)) {
    const [state, date, value] = line.split(',');
    const key = `${Number(state)}|${date!.slice(0, 4)}`;
    population.set(key, [...(population.get(key) ?? []), Number(value)]);
  }
  const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const group = new Int32Array(32).fill(-1);
  for (const line of (await sharedLines(eventsFile)).slice(1)) {
    const f = line.split(',');
    if (f[1] !== 'military_operation' || f[4] !== 'state') continue;
    const year = Number(f[3]!.slice(0, 4));
    for (const code of f[5]!.split(';')) {
      const u = Number(code) - 1;
      const t = year - from;
      if (t >= 0 && t < years.length) group[u] = group[u] === -1 ? t : Math.min(group[u]!, t);
    }
  }
  const y = new Float64Array(32 * years.length);
  for (let s = 0; s < 32; s++)
    years.forEach((year, t) => {
      const pops = population.get(`${s + 1}|${year}`)!;
      const mean = Math.round(pops.reduce((a, b) => a + b, 0) / pops.length);
      y[s * years.length + t] = Math.log1p((homicides.get(`${s + 1}|${year}`)! / mean) * 100000);
    });
  return { units: 32, periods: years.length, y, group };
}

/** Each state's first state-level military operation, from the raw interventions file. */
export async function firstOperations(): Promise<Map<string, string>> {
  const first = new Map<string, string>();
  for (const line of (await sharedLines(EVENTS!)).slice(1)) {
    const f = line.split(',');
    if (f[1] !== 'military_operation' || f[4] !== 'state') continue;
    for (const code of f[5]!.split(';'))
      if (!first.has(code) || f[3]! < first.get(code)!) first.set(code, f[3]!);
  }
  return first;
}
