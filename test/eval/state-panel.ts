/**
 * A state × year panel built from the raw shared files, without Marco's importers or series query, to
 * check evaluation runs against: per state and year 2001–2012, log(1 + homicides per 100,000 over the
 * mean of the twelve monthly CONAPO populations), and each state's cohort the year of its first joint
 * military operation (never treated: −1).
 */
import type { CsPanel } from '../../src/eval/cs.js';
import { sharedLines } from '../stats/shared-data.js';

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
      const mean = pops.reduce((a, b) => a + b, 0) / pops.length;
      y[s * years.length + t] = Math.log1p((homicides.get(`${s + 1}|${year}`)! / mean) * 100000);
    });
  return { units: 32, periods: years.length, y, group };
}
