/**
 * Which population serves the rates of places of one level: the finest granularity published for the
 * places themselves, else the sum of their children.
 * @module
 */
import { CHILD_LEVELS, type Coverage, type Plan } from './plan.js';

export function choosePopulation(
  coverage: Coverage[],
  level: string,
): (Plan & { granularity: string }) | undefined {
  const rank = (g: string) => (g === 'month' ? 0 : g === 'quarter' ? 1 : 2);
  for (const lvl of [level, ...(CHILD_LEVELS[level] ?? [])]) {
    const best = coverage
      .filter((c) => c.geo_level === lvl)
      .sort((a, b) => rank(a.granularity) - rank(b.granularity) || a.source.localeCompare(b.source))[0];
    if (best)
      return {
        source: best.source,
        level: lvl,
        method: lvl === level ? 'published' : 'sum',
        granularity: best.granularity,
      };
  }
  return undefined;
}
