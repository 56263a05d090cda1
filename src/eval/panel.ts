/**
 * Panels for evaluation: a treatment definition that maps dated interventions to treated units and a
 * first-treated period, and a balanced panel of an outcome built from the statistics store, with a
 * report of what went in and what was dropped and why.
 * @module
 */
import type { Intervention } from '../domain/interventions.js';
import { z } from 'zod';
import { textIssue, ValidationError, type Text } from '../error.js';
import { translator } from '../i18n/index.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { periodCodes } from '../stats/precedence/buckets.js';
import { bounds, querySeries } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';
import type { CsPanel } from './cs/cs-panel.js';

/** A unit left out of the panel: `reason` in English (as saved), `text` for the reader's language. */
function droppedUnit(unit: string, why: string, values: Record<string, string | number>) {
  const text = { key: `panel.dropped.${why}`, values };
  return { unit, reason: translator('en')(text.key, values), text };
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
        /**
         * `published` (default): a rate needs a population figure for its period. `interpolated`: a
         * period without one, between two periods with one, takes the straight line between them.
         */
        population: z.enum(['published', 'interpolated']).default('published'),
      })
      .strict(),
    level: z.enum(['state', 'municipality']),
    /** For municipalities: only those of this state. */
    within: z
      .string()
      .regex(/^\d{2}$/, { message: 'validation.schema.stateCode' })
      .optional(),
    by: z.enum(['month', 'quarter', 'year']),
    from: z.string(),
    to: z.string(),
    /**
     * `drop` (default): a unit missing a period is dropped, so the panel is balanced. `keep`: it stays
     * with its observed periods (TWFE and Callaway–Sant'Anna); a unit left with one period is dropped as a
     * singleton.
     */
    balance: z.enum(['drop', 'keep']).default('drop'),
    treatment: z
      .object({
        /** Event types and/or ids that treat. */
        types: z.array(z.string()).optional(),
        events: z.array(z.string()).optional(),
        /**
         * `first`: a unit's first event defines its cohort (absorbing treatment). `every`: each event
         * starts an episode, and the event-time indicators count episodes (TWFE only).
         */
        rule: z.enum(['first', 'every']).default('first'),
        /** With `every`: an event this many periods or fewer after a unit's last counted event is part of the same episode. */
        exclusion: z.number().int().min(0).max(600).default(0),
      })
      .strict()
      .refine((t) => t.rule === 'every' || t.exclusion === 0, {
        message: 'validation.schema.exclusionRule',
        path: ['exclusion'],
      }),
  })
  .strict();
export type PanelSpec = z.input<typeof PanelSpec>;

export interface PanelReport {
  rows: number;
  units: number;
  periods: number;
  /** Every unit observed in every period. */
  balanced: boolean;
  /** Cells whose rate uses an interpolated population (`population: interpolated`). */
  interpolated: number;
  /** The treatment rule, and the episodes counted (with `every`, after the exclusion window). */
  rule: 'first' | 'every';
  episodes: number;
  /** Period labels, in order. */
  labels: string[];
  cohorts: { period: string; units: number }[];
  neverTreated: number;
  /** Units left out, each with its reason in English and, for the reader's language, its catalog text. */
  dropped: { unit: string; reason: string; text?: Text }[];
  /** Selected events that cannot treat units of this level (municipal events in a state panel). */
  ignoredEvents: string[];
  vintages: { source: string; file_name: string; sha256: string }[];
  /** Periods of the window asked for that no source covers: the panel is shorter than asked. */
  missingPeriods: string[];
  /** Periods whose source does not cover them whole (`partial` points), for any unit. */
  partialPeriods: string[];
  /** Where the outcome changes source or method along the window (see `precedence/plan.ts`). */
  breaks: { period: string; from: string; to: string }[];
}

/** The ordinal of the period holding `date` at `by` granularity (consecutive periods differ by 1). */
function ordinalOf(date: string, by: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1;
  if (by === 'year') return year;
  if (by === 'month') return year * 12 + month;
  return year * 4 + Math.floor(month / 3);
}

/** The ordinal of a period code of the panel (`2007`, `2007-Q1`, `2007-01`). */
function ordinalOfCode(code: string, by: string): number {
  if (by === 'quarter') return Number(code.slice(0, 4)) * 4 + Number(code.slice(6)) - 1;
  return ordinalOf(by === 'year' ? `${code}-01-01` : `${code}-01`, by);
}

/**
 * Builds a balanced panel of the outcome for every place of the level over [from, to], and the
 * treatment cohorts from the interventions. A state event treats every municipality of the state when
 * the panel is municipal; a municipal event cannot define a state panel's treatment. Units missing a
 * period are dropped, and said so (unless `balance: keep`). With rule `first`, an event before the window
 * makes its units treated throughout, so they are dropped too (they have no pre-period). `events` holds
 * each unit's episodes as period indices from the window's first period (negative before it).
 */
export async function buildPanel(
  stats: StatsStore,
  input: unknown,
  interventions: Intervention[],
): Promise<{ panel: CsPanel; units: string[]; events: number[][]; report: PanelReport }> {
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
    ...(spec.outcome.scale !== 'count' ? { per: 100_000, population: spec.outcome.population } : {}),
    ...(spec.outcome.filters ? { filters: spec.outcome.filters } : {}),
    ...(spec.outcome.source ? { source: spec.outcome.source } : {}),
  });
  if (result.series.length === 0)
    throw new ValidationError([
      spec.within
        ? textIssue('level', 'validation.panel.noUnitsWithin', { level: spec.level, within: spec.within })
        : textIssue('level', 'validation.panel.noUnits', { level: spec.level }),
    ]);
  const labels = [...new Set(result.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  if (labels.length < 2)
    throw new ValidationError([
      textIssue('from', 'validation.panel.fewPeriods', {
        count: labels.length,
        measure: spec.outcome.measure,
        from: spec.from,
        to: spec.to,
      }),
    ]);
  const dropped: PanelReport['dropped'] = [];
  const kept: { geo: string; values: Float64Array }[] = [];
  let interpolated = 0;
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  for (const s of result.series) {
    const values = new Float64Array(labels.length).fill(Number.NaN);
    // Rates between two published populations are the series engine's (`population: interpolated`).
    let filled = 0;
    for (const p of s.points) {
      const v = spec.outcome.scale === 'count' ? p.value : p.rate;
      if (v === null) continue;
      values[labelIndex.get(p.period)!] = spec.outcome.scale === 'log_rate' ? Math.log1p(v) : v;
      if (p.populationMethod === 'interpolated') filled++;
    }
    const missing = values.filter((v) => Number.isNaN(v)).length;
    const why = spec.outcome.scale === 'count' ? 'Value' : 'ValueOrPopulation';
    const counts = { missing, total: labels.length };
    if (missing && spec.balance === 'drop') dropped.push(droppedUnit(s.geo, `missing${why}`, counts));
    else if (labels.length - missing < 2)
      // One observation is absorbed entirely by the unit's fixed effect (fixest drops such singletons).
      dropped.push(droppedUnit(s.geo, `singleton${why}`, counts));
    else {
      kept.push({ geo: s.geo, values });
      interpolated += filled;
    }
  }

  // Treatment: the first selected event per unit.
  const selected = interventions.filter(
    (e) =>
      (spec.treatment.types?.includes(e.type) ?? false) || (spec.treatment.events?.includes(e.id) ?? false),
  );
  if (selected.length === 0)
    throw new ValidationError([textIssue('treatment', 'validation.panel.noIntervention')]);
  // A municipal event does not treat a state panel (it would treat the whole state): it is left out
  // and listed in the report.
  const ignored = spec.level === 'state' ? selected.filter((e) => e.level === 'municipality') : [];
  const used = selected.filter((e) => !ignored.includes(e));
  if (used.length === 0)
    throw new ValidationError([textIssue('treatment', 'validation.panel.municipalOnly')]);
  // Each unit's event dates, sorted; with `every`, events inside the exclusion window of the last
  // counted event are merged into its episode.
  const dates = new Map<string, string[]>();
  for (const e of used) {
    const unitsOf =
      spec.level === e.level
        ? e.places
        : kept.map((k) => k.geo).filter((g) => e.places.includes(g.slice(0, 2)));
    for (const u of unitsOf) dates.set(u, [...(dates.get(u) ?? []), e.date]);
  }
  const start = ordinalOfCode(labels[0]!, spec.by);
  const end = ordinalOfCode(labels.at(-1)!, spec.by);
  const units: string[] = [];
  const rows: Float64Array[] = [];
  const group: number[] = [];
  const events: number[][] = [];
  for (const k of kept) {
    const own = [...new Set(dates.get(k.geo) ?? [])].sort();
    const episodes: number[] = [];
    for (const date of own) {
      const at = ordinalOf(date, spec.by) - start;
      if (spec.treatment.rule === 'first' && episodes.length) break;
      if (episodes.length && at - episodes.at(-1)! <= spec.treatment.exclusion) continue;
      episodes.push(at);
    }
    let g = -1;
    if (spec.treatment.rule === 'first' && episodes.length) {
      const date = own[0]!;
      if (episodes[0]! < 0) {
        dropped.push(droppedUnit(k.geo, 'treatedBefore', { date }));
        continue;
      }
      if (episodes[0] === 0) {
        dropped.push(droppedUnit(k.geo, 'treatedFirst', { period: labels[0]! }));
        continue;
      }
      // Treated after the window: untreated for the whole window, so a control.
      if (episodes[0]! + start > end) episodes.length = 0;
      else g = episodes[0]!;
    } else if (episodes.length) {
      // With `every`, the cohort is the first episode inside the window (for the report).
      g = episodes.find((e) => e >= 0 && e + start <= end) ?? -1;
    }
    units.push(k.geo);
    rows.push(k.values);
    group.push(g);
    events.push(episodes);
  }
  const treated = group.filter((g) => g >= 0).length;
  if (treated === 0)
    throw new ValidationError([
      dropped.length
        ? textIssue('treatment', 'validation.panel.noneTreatedDropped', {
            count: dropped.length,
            unit: dropped[0]!.unit,
            reason: dropped[0]!.text ?? dropped[0]!.reason,
          })
        : textIssue('treatment', 'validation.panel.noneTreated'),
    ]);
  const signature = (e: number[]) => e.join(',');
  if (events.every((e) => e.length > 0 && signature(e) === signature(events[0]!)))
    throw new ValidationError([textIssue('treatment', 'validation.panel.noControls')]);
  const y = new Float64Array(units.length * labels.length);
  rows.forEach((r, u) => y.set(r, u * labels.length));
  const cohortSizes = new Map<number, number>();
  for (const g of group) if (g >= 0) cohortSizes.set(g, (cohortSizes.get(g) ?? 0) + 1);
  return {
    panel: { units: units.length, periods: labels.length, y, group: Int32Array.from(group) },
    units,
    events,
    report: {
      rows: y.filter((v) => !Number.isNaN(v)).length,
      units: units.length,
      periods: labels.length,
      balanced: !y.some((v) => Number.isNaN(v)),
      interpolated,
      rule: spec.treatment.rule,
      episodes: events.reduce((n, e) => n + e.length, 0),
      labels,
      cohorts: [...cohortSizes]
        .sort((a, b) => a[0] - b[0])
        .map(([g, n]) => ({ period: labels[g]!, units: n })),
      neverTreated: events.filter((e) => e.length === 0).length,
      dropped,
      ignoredEvents: ignored.map((e) => e.id),
      vintages: result.vintages.map(({ source, file_name, sha256 }) => ({ source, file_name, sha256 })),
      ...coverageOf(result, spec),
    },
  };
}

/**
 * What the window asked for holds: the periods no source covers (the panel is then shorter than asked),
 * the partial periods, and where the outcome changes source. The series of one level share their plan,
 * so the first series with breaks speaks for all.
 */
function coverageOf(
  result: Awaited<ReturnType<typeof querySeries>>,
  spec: { by: 'month' | 'quarter' | 'year'; from: string; to: string },
): Pick<PanelReport, 'missingPeriods' | 'partialPeriods' | 'breaks'> {
  const held = new Set(result.series.flatMap((s) => s.points.map((p) => p.period)));
  const partial = new Set(
    result.series.flatMap((s) => s.points.filter((p) => p.partial).map((p) => p.period)),
  );
  const breaks = result.series.find((s) => s.breaks.length > 0)?.breaks ?? [];
  return {
    missingPeriods: periodCodes(bounds(spec), spec.by).filter((code) => !held.has(code)),
    partialPeriods: [...partial].sort(),
    breaks: breaks.map((b) => ({
      period: b.period,
      from: `${b.from.source} (${b.from.method})`,
      to: `${b.to.source} (${b.to.method})`,
    })),
  };
}
