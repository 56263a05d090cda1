/**
 * What can be asked: every measure with its names in English and Spanish, unit, definition, how it
 * combines over time, its source precedence, what each source holds (level, granularity, first and
 * last month), the levels it reaches, and its dimensions with their valid values. `marco measures` and
 * `GET /api/v1/measures` answer with it, so an error that says "see the measures" points somewhere.
 * @module
 */
import { MEASURES, type Measure } from '../measures.js';
import { MONTHS_OF, monthCode, monthIndex } from '../precedence/buckets.js';
import type { StatsStore } from '../stats-store.js';
import { measureDimensions } from './dimensions.js';

export interface MeasureEntry {
  id: string;
  title: Measure['title'];
  unit: Measure['unit'];
  definition: Measure['definition'];
  overTime: Measure['overTime'];
  additive: boolean;
  /** A dimension every query must filter on. */
  requiresFilter: string | null;
  /** The documented source precedence (`docs/measures.md`); empty when the measure has one source. */
  precedence: string[];
  /** What each source holds in this store: level, granularity, first and last month (`YYYY-MM`). */
  sources: { source: string; level: string; granularity: string; from: string; to: string }[];
  /** The levels a query can ask for: those held, and the parents their places add up to. */
  levels: string[];
  /** Each dimension and its values, as a filter must name them. */
  dimensions: Record<string, string[]>;
}

const PARENTS: Record<string, string[]> = {
  municipality: ['municipality', 'state', 'country'],
  state: ['state', 'country'],
  country: ['country'],
};
const LEVEL_ORDER = ['country', 'state', 'municipality'];

/** The catalogue; without a statistics store, the definitions alone. */
export async function measureCatalogue(stats?: StatsStore): Promise<MeasureEntry[]> {
  const coverage = stats ? (await stats.metadata()).coverage : [];
  const out: MeasureEntry[] = [];
  for (const m of MEASURES) {
    const held = coverage
      .filter((c) => c.measure === m.id)
      .map((c) => ({
        source: c.source,
        level: c.geo_level,
        granularity: c.granularity,
        from: c.period_from.slice(0, 7),
        to: monthCode(monthIndex(c.period_to) + (MONTHS_OF[c.granularity] ?? 1) - 1),
      }))
      .sort(
        (a, b) =>
          a.source.localeCompare(b.source) || LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level),
      );
    const levels = new Set(held.flatMap((h) => PARENTS[h.level] ?? [h.level]));
    out.push({
      id: m.id,
      title: m.title,
      unit: m.unit,
      definition: m.definition,
      overTime: m.overTime,
      additive: m.additive,
      requiresFilter: m.requiresFilter ?? null,
      precedence: [...(m.sources ?? [])],
      sources: held,
      levels: LEVEL_ORDER.filter((l) => levels.has(l)),
      dimensions: stats && held.length ? await measureDimensions(stats, m.id) : {},
    });
  }
  return out;
}
