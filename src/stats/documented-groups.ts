/**
 * The documented series as readers see them (reference/literature/documented-series.md): figures of
 * one measure, place and period stand together, and when they disagree they are a **conflict**, kept
 * side by side with each source, never averaged. A row whose period is a range, or whose note says it
 * is cumulative, is a multi-year total that must never be added to the yearly rows: it is marked so.
 * @module
 */
import { documentedSeries } from './sources/documented-series.js';
import type { StatsStore } from './stats-store.js';

export interface DocumentedFigure {
  figure: string;
  measure: string;
  geo: string;
  period: string;
  value: number | null;
  value_text: string;
  unit: string | null;
  qualifier: string | null;
  confidence: string | null;
  statement: string | null;
  citation: string;
  url: string | null;
  note: string | null;
  /** A multi-year total or a snapshot of one: never summed with other rows. */
  cumulative: boolean;
}

export interface FigureGroup {
  measure: string;
  geo: string;
  period: string;
  figures: DocumentedFigure[];
  /** More than one value for the same measure, place and period. */
  conflict: boolean;
}

/** The documented series in the store, grouped by measure, place and period, in measure order. */
export async function documentedSeriesGroups(stats: StatsStore): Promise<FigureGroup[]> {
  const rows = await stats.all<Omit<DocumentedFigure, 'cumulative'>>(
    `select f.figure_id as figure, f.measure, f.geo, f.period, f.value, f.value_text, f.unit, f.qualifier,
       f.confidence, f.statement, f.citation, f.url, f.note
     from figures f join vintages v on v.id = f.vintage_id
     where v.source = $1 order by f.measure, f.geo, f.period, f.figure_id`,
    [documentedSeries.id],
  );
  const groups = new Map<string, FigureGroup>();
  for (const r of rows) {
    const key = `${r.measure}|${r.geo}|${r.period}`;
    const group = groups.get(key) ?? {
      measure: r.measure,
      geo: r.geo,
      period: r.period,
      figures: [],
      conflict: false,
    };
    group.figures.push({
      ...r,
      cumulative: r.period.includes('/') || /cumulative/i.test(r.note ?? ''),
    });
    groups.set(key, group);
  }
  for (const g of groups.values()) g.conflict = new Set(g.figures.map((f) => f.value_text)).size > 1;
  return [...groups.values()];
}
