/**
 * Interventions and panels for evaluation: dated events read from an interventions file (Marco ships
 * `reference/events/interventions.csv`), a treatment definition that maps events to treated units and a
 * first-treated period, and a balanced panel of an outcome built from the statistics store, with a
 * report of what went in and what was dropped and why.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValidationError } from '../error.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { querySeries } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';
import type { CsPanel } from './cs.js';

export interface Intervention {
  id: string;
  type: string;
  name: string;
  date: string;
  level: 'state' | 'municipality';
  places: string[];
  source: string;
}

/** The interventions Marco ships (dated military operations and leader captures, with sources). */
export const BUILTIN_INTERVENTIONS = new URL('../../reference/events/interventions.csv', import.meta.url);

/** Fields of a CSV line with quoted fields. */
function fields(line: string): string[] {
  return [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)]
    .slice(0, -1)
    .map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replaceAll('""', '"') : m[1]!));
}

/** Reads an interventions file, refusing a bad line with file:line and the reason. */
export async function readInterventions(file: string | URL = BUILTIN_INTERVENTIONS): Promise<Intervention[]> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const name = typeof file === 'string' ? file : file.pathname;
  const header = fields(lines[0] ?? '').join(',');
  if (header !== 'event_id,type,name,date,geo_level,geo_codes,source')
    throw new ValidationError([
      {
        path: `${name}:1`,
        message: 'expected the header event_id,type,name,date,geo_level,geo_codes,source',
      },
    ]);
  const out: Intervention[] = [];
  const issues: { path: string; message: string }[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const [id, type, title, date, level, codes, source] = fields(line);
    const where = `${name}:${i + 2}`;
    if (!id || !type) return issues.push({ path: where, message: 'an event needs an id and a type' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date ?? '') || Number.isNaN(Date.parse(date!)))
      return issues.push({
        path: `${where} date`,
        message: `not a date YYYY-MM-DD: ${JSON.stringify(date)}`,
      });
    if (level !== 'state' && level !== 'municipality')
      return issues.push({ path: `${where} geo_level`, message: 'expected state or municipality' });
    const places = (codes ?? '').split(';').map((c) => c.trim());
    const width = level === 'state' ? 2 : 5;
    if (places.some((c) => !new RegExp(`^\\d{${width}}$`).test(c)))
      return issues.push({
        path: `${where} geo_codes`,
        message: `expected ${width}-digit INEGI codes separated by ;`,
      });
    out.push({ id, type, name: title ?? '', date: date!, level, places, source: source ?? '' });
  });
  if (issues.length) throw new ValidationError(issues, 'interventions file');
  return out;
}

export const PanelSpec = z
  .object({
    outcome: z
      .object({
        measure: z.string(),
        /** `count`, `rate` (per 100,000) or `log_rate` (log(1 + rate per 100,000)). */
        scale: z.enum(['count', 'rate', 'log_rate']).default('rate'),
        filters: z.record(z.string(), z.string()).optional(),
        source: z.string().optional(),
      })
      .strict(),
    level: z.enum(['state', 'municipality']),
    /** For municipalities: only those of this state. */
    within: z
      .string()
      .regex(/^\d{2}$/)
      .optional(),
    by: z.enum(['month', 'quarter', 'year']),
    from: z.string(),
    to: z.string(),
    treatment: z
      .object({
        /** Event types and/or ids that treat. */
        types: z.array(z.string()).optional(),
        events: z.array(z.string()).optional(),
        /** The first event per unit defines its cohort. */
        rule: z.enum(['first']).default('first'),
      })
      .strict(),
  })
  .strict();
export type PanelSpec = z.input<typeof PanelSpec>;

export interface PanelReport {
  rows: number;
  units: number;
  periods: number;
  /** Period labels, in order. */
  labels: string[];
  cohorts: { period: string; units: number }[];
  neverTreated: number;
  dropped: { unit: string; reason: string }[];
  /** Selected events that cannot treat units of this level (municipal events in a state panel). */
  ignoredEvents: string[];
  vintages: { source: string; file_name: string; sha256: string }[];
}

/** The code of the period (at `by` granularity) that holds `date`: `2007`, `2007-Q1` or `2007-01`. */
function periodOf(date: string, by: string): string {
  if (by === 'year') return date.slice(0, 4);
  if (by === 'month') return date.slice(0, 7);
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * Builds a balanced panel of the outcome for every place of the level over [from, to], and the
 * treatment cohorts from the interventions. A state event treats every municipality of the state when
 * the panel is municipal; a municipal event cannot define a state panel's treatment. Units missing a
 * period are dropped, and said so; an event before the window makes its units treated throughout, so
 * they are dropped too (they have no pre-period).
 */
export async function buildPanel(
  stats: StatsStore,
  input: unknown,
  interventions: Intervention[],
): Promise<{ panel: CsPanel; units: string[]; report: PanelReport }> {
  const parsed = safeParseInput(PanelSpec, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'panel specification');
  const spec = parsed.data;
  const result = await querySeries(stats, {
    measure: spec.outcome.measure,
    level: spec.level,
    ...(spec.within ? { within: spec.within } : {}),
    by: spec.by,
    from: spec.from,
    to: spec.to,
    ...(spec.outcome.scale !== 'count' ? { per: 100_000 } : {}),
    ...(spec.outcome.filters ? { filters: spec.outcome.filters } : {}),
    ...(spec.outcome.source ? { source: spec.outcome.source } : {}),
  });
  const labels = [...new Set(result.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  if (labels.length < 2)
    throw new ValidationError([
      {
        path: 'from',
        message: `the data hold ${labels.length} period(s) of ${spec.outcome.measure} between ${spec.from} and ${spec.to}: choose a window inside the data`,
      },
    ]);
  const dropped: PanelReport['dropped'] = [];
  const kept: { geo: string; values: Float64Array }[] = [];
  for (const s of result.series) {
    const values = new Float64Array(labels.length).fill(Number.NaN);
    for (const p of s.points) {
      const v = spec.outcome.scale === 'count' ? p.value : p.rate;
      if (v === null) continue;
      values[labels.indexOf(p.period)] = spec.outcome.scale === 'log_rate' ? Math.log1p(v) : v;
    }
    const missing = values.filter((v) => Number.isNaN(v)).length;
    if (missing)
      dropped.push({
        unit: s.geo,
        reason: `${missing} of ${labels.length} periods without a value${spec.outcome.scale === 'count' ? '' : ' or population'}`,
      });
    else kept.push({ geo: s.geo, values });
  }

  // Treatment: the first selected event per unit.
  const selected = interventions.filter(
    (e) =>
      (spec.treatment.types?.includes(e.type) ?? false) || (spec.treatment.events?.includes(e.id) ?? false),
  );
  if (selected.length === 0)
    throw new ValidationError([
      { path: 'treatment', message: 'no intervention matches the treatment definition' },
    ]);
  // A municipal event does not treat a state panel (it would treat the whole state): it is left out
  // and listed in the report.
  const ignored = spec.level === 'state' ? selected.filter((e) => e.level === 'municipality') : [];
  const used = selected.filter((e) => !ignored.includes(e));
  if (used.length === 0)
    throw new ValidationError([
      {
        path: 'treatment',
        message: `every selected event is a municipal event: it cannot treat a state panel (choose level: municipality)`,
      },
    ]);
  const firstDate = new Map<string, string>();
  for (const e of used) {
    const unitsOf =
      spec.level === e.level
        ? e.places
        : kept.map((k) => k.geo).filter((g) => e.places.includes(g.slice(0, 2)));
    for (const u of unitsOf) if (!firstDate.has(u) || e.date < firstDate.get(u)!) firstDate.set(u, e.date);
  }
  const units: string[] = [];
  const rows: Float64Array[] = [];
  const group: number[] = [];
  for (const k of kept) {
    const date = firstDate.get(k.geo);
    let g = -1;
    if (date !== undefined) {
      const code = periodOf(date, spec.by);
      if (code < labels[0]!) {
        dropped.push({
          unit: k.geo,
          reason: `treated on ${date}, before the window: no pre-treatment period`,
        });
        continue;
      }
      // Treated after the window: untreated for the whole window, so a control.
      g = code > labels.at(-1)! ? -1 : labels.indexOf(code);
      if (g === 0) {
        dropped.push({
          unit: k.geo,
          reason: `treated in the window's first period (${labels[0]}): no pre-treatment period`,
        });
        continue;
      }
    }
    units.push(k.geo);
    rows.push(k.values);
    group.push(g);
  }
  const treated = group.filter((g) => g >= 0).length;
  if (treated === 0)
    throw new ValidationError([
      { path: 'treatment', message: 'no unit of the panel is treated inside the window' },
    ]);
  if (treated === units.length && new Set(group).size === 1)
    throw new ValidationError([
      { path: 'treatment', message: 'every unit is treated at the same time: there is no control group' },
    ]);
  const y = new Float64Array(units.length * labels.length);
  rows.forEach((r, u) => y.set(r, u * labels.length));
  const cohortSizes = new Map<number, number>();
  for (const g of group) if (g >= 0) cohortSizes.set(g, (cohortSizes.get(g) ?? 0) + 1);
  return {
    panel: { units: units.length, periods: labels.length, y, group: Int32Array.from(group) },
    units,
    report: {
      rows: units.length * labels.length,
      units: units.length,
      periods: labels.length,
      labels,
      cohorts: [...cohortSizes]
        .sort((a, b) => a[0] - b[0])
        .map(([g, n]) => ({ period: labels[g]!, units: n })),
      neverTreated: group.filter((g) => g < 0).length,
      dropped,
      ignoredEvents: ignored.map((e) => e.id),
      vintages: result.vintages.map(({ source, file_name, sha256 }) => ({ source, file_name, sha256 })),
    },
  };
}
