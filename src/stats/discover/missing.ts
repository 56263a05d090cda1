/**
 * The periods inside a series that have no value, grouped for people to read: one line per reason and
 * source (`1994, 1998: no value: the extract lists only …`), in the CLI and the explorer alike.
 * @module
 */
import type { Series } from '../series.js';

/** A series' missing periods by reason and source, in period order. */
export function groupMissing(
  missing: Series['missing'],
): { reason: string; source: string; periods: string[] }[] {
  const groups = new Map<string, { reason: string; source: string; periods: string[] }>();
  for (const m of missing ?? []) {
    const key = `${m.reason}|${m.source}`;
    const group = groups.get(key);
    if (group) group.periods.push(m.period);
    else groups.set(key, { reason: m.reason, source: m.source, periods: [m.period] });
  }
  return [...groups.values()];
}
