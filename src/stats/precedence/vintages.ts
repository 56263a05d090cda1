/**
 * The vintage behind each point of a series answer.
 * @module
 */
import type { StatsMetadata } from '../stats-store.js';
import { monthEnd, monthIndex, type By } from './buckets.js';

/**
 * The vintage behind a point: the newest vintage in force of its source whose periods reach into the
 * point's period.
 */
export function pointVintage(meta: Pick<StatsMetadata, 'vintages'>, by: By) {
  const bySource = new Map<string, { id: number; from: string; to: string }[]>();
  for (const v of meta.vintages) {
    if (v.period_from === null || v.period_to === null) continue;
    const list = bySource.get(v.source) ?? [];
    list.push({ id: v.id, from: v.period_from, to: v.period_to });
    bySource.set(v.source, list);
  }
  const months = by === 'month' ? 1 : by === 'quarter' ? 3 : 12;
  // Every place of a query shares its periods: each source and period is worked out once (nested maps:
  // a joined key string per point was a large query's garbage).
  const known = new Map<string, Map<string, number | null>>();
  return (source: string, start: string): number | null => {
    let ofSource = known.get(source);
    if (!ofSource) known.set(source, (ofSource = new Map()));
    const cached = ofSource.get(start);
    if (cached !== undefined) return cached;
    const end = monthEnd(monthIndex(start) + months - 1);
    let best: number | null = null;
    for (const v of bySource.get(source) ?? [])
      if (v.from <= end && v.to >= start && (best === null || v.id > best)) best = v.id;
    ofSource.set(start, best);
    return best;
  };
}
