/**
 * Which population serves the rates of places of one level, one rule for every surface (the explorer,
 * profiles, linked indicators, evaluations and the API all ask `querySeries`):
 *
 * - **by year**: the yearly (mid-year) CONAPO figure of the place itself, as INEGI and SESNSP compute
 *   annual rates, so Mexico and its states divide by the same file; a monthly figure only where no
 *   yearly one is published;
 * - **by month or quarter**: the monthly figure where one is published (states), else the yearly figure
 *   spread over the year's months;
 * - else the sum of the children's figures.
 * @module
 */
import { sourceById } from '../sources/index.js';
import { CHILD_LEVELS, type Coverage, type Plan } from './plan.js';

export function choosePopulation(
  coverage: Coverage[],
  level: string,
  by: string,
  country?: 'MX' | 'US',
): (Plan & { granularity: string }) | undefined {
  // A Mexican population never serves a U.S. place.
  const own = (source: string) => {
    const c = sourceById(source)?.country;
    return !country || !c || c === country;
  };
  const yearly = by === 'year' || by === 'fiscal_year';
  const rank = (g: string) => (g === 'year' ? (yearly ? 0 : 2) : g === 'quarter' ? 1 : yearly ? 2 : 0);
  for (const lvl of [level, ...(CHILD_LEVELS[level] ?? [])]) {
    const best = coverage
      .filter((c) => c.geo_level === lvl && own(c.source))
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
