/**
 * Which states' municipal boundaries the store holds: a municipal map is drawn one state at a time, so
 * a page asked for every municipality offers these states, or says how to import boundaries when there
 * are none.
 * @module
 */
import type { StatsStore } from './stats-store.js';

/** The two-digit codes of the states with at least one municipal boundary, sorted. */
export async function statesWithMunicipalBoundaries(stats: StatsStore): Promise<string[]> {
  const rows = await stats.all<{ state: string }>(
    `select distinct substr(code, 1, 2) as state from boundaries where level = 'municipality' order by state`,
  );
  return rows.map((r) => r.state);
}
