/**
 * The predictors of a synthetic control: each is the mean, over a span of periods, of the outcome (a span
 * before treatment) or of another series of the statistics store (a covariate: its measure, scale,
 * filters and source, as an outcome's). Resolved to one value per unit of the panel; a unit without a
 * value, or a span outside the pre-treatment periods, is refused with the predictor's path.
 * @module
 */
import { z } from 'zod';
import { textIssue, ValidationError } from '../../error.js';
import { periodCodes } from '../../stats/precedence/buckets.js';
import { bounds, querySeries } from '../../stats/series.js';
import type { StatsStore } from '../../stats/stats-store.js';
import type { CsPanel } from '../cs/cs-panel.js';

export const SynthPredictor = z
  .object({
    /** A series other than the outcome (a covariate); absent: the outcome. */
    measure: z.string().min(1).optional(),
    scale: z.enum(['count', 'rate', 'log_rate']).optional(),
    filters: z.record(z.string(), z.string()).optional(),
    source: z.string().optional(),
    /** A covariate's periods (default: the panel's). */
    by: z.enum(['month', 'quarter', 'year']).optional(),
    /** The first and last period averaged; for the outcome, default the first and last before treatment. */
    from: z.string().optional(),
    to: z.string().optional(),
  })
  .strict();
export type SynthPredictor = z.output<typeof SynthPredictor>;

/** What a predictor is, for its label in a report. */
export interface PredictorLabel {
  /** `outcome`, or a covariate's measure. */
  measure: string;
  scale?: string;
  from: string;
  to: string;
}

export interface ResolvedPredictors {
  labels: PredictorLabel[];
  /** Units × predictors, row-major. */
  values: Float64Array;
  vintages: { source: string; file_name: string; sha256: string }[];
}

interface PanelContext {
  stats: StatsStore;
  panel: CsPanel;
  units: string[];
  /** The panel's period labels. */
  labels: string[];
  /** Pre-treatment periods of the cohort. */
  pre: number;
  spec: {
    level: 'state' | 'municipality';
    within?: string | undefined;
    by: 'month' | 'quarter' | 'year';
    outcome: { scale: 'count' | 'rate' | 'log_rate'; population: 'published' | 'interpolated' };
  };
  /** The specification's path to the predictors (`estimators.synth.predictors`). */
  path: string;
}

/** The outcome's mean over a span of pre-treatment periods, for every unit. */
function outcomePredictor(
  c: PanelContext,
  p: SynthPredictor,
  at: string,
): { label: PredictorLabel; column: Float64Array } {
  const from = p.from ?? c.labels[0]!;
  const to = p.to ?? c.labels[c.pre - 1]!;
  const a = c.labels.indexOf(from);
  const b = c.labels.indexOf(to);
  for (const [key, label, index] of [
    ['from', from, a],
    ['to', to, b],
  ] as const) {
    if (index < 0)
      throw new ValidationError([
        textIssue(`${at}.${key}`, 'validation.synth.predictorPeriod', {
          period: label,
          first: c.labels[0]!,
          last: c.labels.at(-1)!,
        }),
      ]);
    if (index >= c.pre)
      throw new ValidationError([
        textIssue(`${at}.${key}`, 'validation.synth.predictorAfter', {
          period: label,
          treated: c.labels[c.pre]!,
        }),
      ]);
  }
  if (a > b) throw new ValidationError([textIssue(at, 'validation.synth.predictorOrder', { from, to })]);
  const column = new Float64Array(c.panel.units);
  for (let u = 0; u < c.panel.units; u++) {
    let s = 0;
    for (let t = a; t <= b; t++) s += c.panel.y[u * c.panel.periods + t]!;
    column[u] = s / (b - a + 1);
  }
  // A unit missing a period of the span (an unbalanced panel) has no mean: named, as a covariate's are.
  const missing = c.units.filter((_, u) => Number.isNaN(column[u]));
  if (missing.length > 0)
    throw new ValidationError([
      textIssue(at, 'validation.synth.predictorMissing', {
        measure: 'outcome',
        count: missing.length,
        units: missing.slice(0, 5).join(', '),
      }),
    ]);
  return { label: { measure: 'outcome', from, to }, column };
}

/** A covariate's mean over its span, for every unit; every unit must have it in every period of the span. */
async function covariatePredictor(
  c: PanelContext,
  p: SynthPredictor & { measure: string },
  at: string,
): Promise<{ label: PredictorLabel; column: Float64Array; vintages: ResolvedPredictors['vintages'] }> {
  const by = p.by ?? c.spec.by;
  if ((p.from === undefined || p.to === undefined) && by !== c.spec.by)
    throw new ValidationError([textIssue(at, 'validation.synth.predictorWindow', { by })]);
  const from = p.from ?? c.labels[0]!;
  const to = p.to ?? c.labels[c.pre - 1]!;
  // Read by the panel's periods, a covariate must end before treatment, as an outcome predictor does.
  if (by === c.spec.by && c.labels.indexOf(to) >= c.pre)
    throw new ValidationError([
      textIssue(`${at}.to`, 'validation.synth.predictorAfter', { period: to, treated: c.labels[c.pre]! }),
    ]);
  const scale = p.scale ?? c.spec.outcome.scale;
  let result;
  try {
    result = await querySeries(c.stats, {
      measure: p.measure,
      level: c.spec.level,
      ...(c.spec.within ? { within: c.spec.within } : {}),
      by,
      from,
      to,
      ...(scale !== 'count' ? { per: 100_000, population: c.spec.outcome.population } : {}),
      ...(p.filters ? { filters: p.filters } : {}),
      ...(p.source ? { source: p.source } : {}),
    });
  } catch (error) {
    // A query the series engine refuses: its problems, under this predictor's path.
    if (error instanceof ValidationError)
      throw new ValidationError(error.issues.map((i) => ({ ...i, path: i.path ? `${at}.${i.path}` : at })));
    throw error;
  }
  // Every period of the span asked for, not only those some unit has: a unit needs a value in each.
  const periods = new Set(periodCodes(bounds({ from, to }), by));
  const means = new Map<string, number>();
  for (const s of result.series) {
    const values = s.points
      .filter((pt) => periods.has(pt.period))
      .map((pt) => (scale === 'count' ? pt.value : pt.rate))
      .filter((v): v is number => v !== null && Number.isFinite(v))
      .map((v) => (scale === 'log_rate' ? Math.log1p(v) : v));
    if (values.length === periods.size && values.length > 0)
      means.set(s.geo, values.reduce((a, v) => a + v, 0) / values.length);
  }
  const missing = c.units.filter((u) => !means.has(u));
  if (missing.length > 0)
    throw new ValidationError([
      textIssue(at, 'validation.synth.predictorMissing', {
        measure: p.measure,
        count: missing.length,
        units: missing.slice(0, 5).join(', '),
      }),
    ]);
  return {
    label: { measure: p.measure, scale, from, to },
    column: Float64Array.from(c.units, (u) => means.get(u)!),
    vintages: result.vintages.map(({ source, file_name, sha256 }) => ({ source, file_name, sha256 })),
  };
}

/** Resolves the predictors asked for; see the module documentation. */
export async function resolvePredictors(
  c: PanelContext,
  predictors: SynthPredictor[],
): Promise<ResolvedPredictors> {
  const k = predictors.length;
  const values = new Float64Array(c.panel.units * k);
  const labels: PredictorLabel[] = [];
  const vintages: ResolvedPredictors['vintages'] = [];
  for (let i = 0; i < k; i++) {
    const p = predictors[i]!;
    const at = `${c.path}[${i}]`;
    const resolved =
      p.measure === undefined
        ? { ...outcomePredictor(c, p, at), vintages: [] }
        : await covariatePredictor(c, { ...p, measure: p.measure }, at);
    labels.push(resolved.label);
    vintages.push(...resolved.vintages);
    resolved.column.forEach((v, u) => (values[u * k + i] = v));
  }
  return { labels, values, vintages };
}

/** A predictor's name for a reader: the outcome's span, or a covariate's measure, scale and span. */
export function predictorName(
  t: (key: string, values?: Record<string, unknown>) => string,
  label: PredictorLabel,
): string {
  if (label.measure === 'outcome')
    return label.from === label.to
      ? t('evaluate.control.outcomeOne', { from: label.from })
      : t('evaluate.control.outcome', { from: label.from, to: label.to });
  return t('evaluate.control.covariate', {
    measure: label.measure,
    scale: t(`web.evaluations.scale.${label.scale ?? 'rate'}`),
    span: label.from === label.to ? label.from : `${label.from}–${label.to}`,
  });
}
