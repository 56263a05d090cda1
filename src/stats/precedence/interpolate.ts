/**
 * Population between two published figures, for `population: interpolated` (the explicit, labelled
 * option of `marco stats`, the API, the explorer and evaluations): a straight line by month between the
 * nearest published figures before and after a period, never beyond them. CONAPO's municipal projections
 * leave 2007–2009 empty, for example; 2008 is then two quarters of the way from 2006 to 2010.
 * @module
 */
import { monthIndex } from './buckets.js';

/**
 * A reader of one place's population by period start: the published figure, or the interpolated one
 * between the nearest published neighbours, or null when the period is not between two of them.
 */
export function populationLine(
  published: ReadonlyMap<string, number>,
): (start: string) => { value: number; interpolated: boolean } | null {
  const points = [...published]
    .map(([start, value]) => ({ at: monthIndex(start), value }))
    .sort((a, b) => a.at - b.at);
  return (start) => {
    const own = published.get(start);
    if (own !== undefined) return { value: own, interpolated: false };
    const at = monthIndex(start);
    // The first published figure after the period; the one before it precedes it.
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (points[mid]!.at < at) lo = mid + 1;
      else hi = mid;
    }
    const after = points[lo];
    const before = points[lo - 1];
    if (!after || !before) return null;
    const value = before.value + ((after.value - before.value) * (at - before.at)) / (after.at - before.at);
    return { value, interpolated: true };
  };
}
