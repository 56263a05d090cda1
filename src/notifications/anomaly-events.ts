/**
 * Anomalies in followed places, found when new statistics arrive. An import's audit entry names its
 * source and the months it covers; for each monthly measure of that source, the followed places are
 * scored by the same trailing median/MAD test as the profile pages (`stats/anomalies.ts`), over the
 * import's last {@link RECENT_MONTHS} months only: a file that restates fifteen years of history tells a
 * follower what is new, not every surge since 2008.
 * @module
 */
import type { AuditedWrite } from '../domain/notification-events.js';
import { VINTAGE_ENTITY } from '../custody/statistics-custody.js';
import { MarcoError } from '../error.js';
import { findAnomalies } from '../stats/anomalies.js';
import type { StatsStore } from '../stats/stats-store.js';

/** The months of an import, counted back from its last, in which anomalies are news. */
export const RECENT_MONTHS = 3;

/** One anomalous month in a followed place. */
export interface AnomalyEvent {
  kind: 'anomaly';
  event: 'anomaly';
  entry: number;
  at: string;
  actor: string;
  source: string;
  measure: string;
  place: string;
  name: string | null;
  month: string;
  value: number;
  expected: number;
  direction: 'spike' | 'drop';
  quietBaseline: boolean;
}

/**
 * The month of an import's last period: its start date (`2022-12-01`, as imports record it) or its code
 * (`2022-12`, `2022-Q4`, `2022`: the last month it reaches); null for anything else.
 */
export function lastMonth(period: unknown): string | null {
  if (typeof period !== 'string') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return period.slice(0, 7);
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/.exec(period);
  if (!m) return null;
  const month = m[2] ? Number(m[2]) : m[3] ? Number(m[3]) * 3 : 12;
  return `${m[1]}-${String(month).padStart(2, '0')}`;
}

/** `YYYY-MM` moved by `n` months. */
export function shiftMonth(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The anomalies an import's audit entry brought to `places`; none for other entries. */
export async function anomaliesOfImport(
  stats: StatsStore | undefined,
  write: AuditedWrite,
  places: readonly string[],
): Promise<AnomalyEvent[]> {
  if (!stats || places.length === 0) return [];
  if (write.entity !== VINTAGE_ENTITY || write.action !== 'create' || !write.after) return [];
  const source = String(write.after.source);
  const to = lastMonth(write.after.period_to);
  if (to === null) return [];
  const meta = await stats.metadata();
  const measures = [
    ...new Set(
      meta.coverage.filter((c) => c.source === source && c.granularity === 'month').map((c) => c.measure),
    ),
  ];
  const out: AnomalyEvent[] = [];
  for (const measure of measures) {
    let found;
    try {
      found = await findAnomalies(stats, {
        measure,
        source,
        geo: [...places],
        from: shiftMonth(to, 1 - RECENT_MONTHS),
        to,
      });
    } catch (error) {
      // A place the measure does not cover, or a source since rolled back: nothing to tell.
      if (error instanceof MarcoError) continue;
      throw error;
    }
    for (const a of found.anomalies)
      out.push({
        kind: 'anomaly',
        event: 'anomaly',
        entry: write.entry,
        at: write.at,
        actor: write.actor,
        source,
        measure,
        place: a.geo,
        name: a.name,
        month: a.period,
        value: a.value,
        expected: a.expected,
        direction: a.direction,
        quietBaseline: a.quietBaseline,
      });
  }
  return out;
}
