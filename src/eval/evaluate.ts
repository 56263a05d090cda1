/**
 * An evaluation run from a specification: the panel, the TWFE event study and/or Callaway–Sant'Anna, and
 * a JSON result with the specification, the panel report, the data vintages and a hash that identifies
 * the run (the same specification on the same vintages with the same Marco gives the same hash).
 * @module
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../error.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import type { StatsStore } from '../stats/stats-store.js';
import { callawaySantAnna, qnorm, toLong, type CsResult } from './cs.js';
import { buildPanel, PanelSpec, readInterventions, type PanelReport } from './panel.js';
import { ConvergenceError, eventStudy, type Panel } from './twfe.js';

export const EvaluationSpec = z
  .object({
    marco: z.literal('evaluation/1'),
    title: z.string().min(1).max(200),
    panel: PanelSpec,
    estimators: z
      .object({
        twfe: z
          .object({
            leads: z.number().int().min(1).max(60),
            lags: z.number().int().min(0).max(120),
            reference: z.number().int().max(-1).default(-1),
            cluster: z.enum(['unit', 'state']).default('unit'),
          })
          .strict()
          .optional(),
        cs: z
          .object({
            control: z.enum(['never', 'notyet']).default('never'),
            draws: z.number().int().min(99).max(99_999).default(999),
            seed: z
              .number()
              .int()
              .min(0)
              .max(2 ** 31)
              .default(1),
          })
          .strict()
          .optional(),
      })
      .strict()
      .refine((e) => e.twfe || e.cs, { message: 'choose at least one estimator: twfe or cs' }),
  })
  .strict();
export type EvaluationSpec = z.input<typeof EvaluationSpec>;

export interface EvaluationResult {
  title: string;
  specification: z.output<typeof EvaluationSpec>;
  panel: PanelReport;
  twfe?: {
    relative: number[];
    coefficients: number[];
    se: number[];
    lower: number[];
    upper: number[];
    n: number;
    clusters: number;
    pretrend: { statistic: number; df: number; p: number };
    demeaning: { iterations: number; converged: boolean }[];
  };
  cs?: CsResult;
  marco: string;
  /** sha256 of the specification, the vintages' checksums and Marco's version. */
  hash: string;
}

/** Runs an evaluation; see the module documentation. */
export async function evaluate(
  stats: StatsStore,
  input: unknown,
  version: string,
): Promise<EvaluationResult> {
  const parsed = safeParseInput(EvaluationSpec, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'evaluation specification');
  const spec = parsed.data;
  const { panel, units, report } = await buildPanel(stats, spec.panel, await readInterventions());
  const result: EvaluationResult = {
    title: spec.title,
    specification: spec,
    panel: report,
    marco: version,
    hash: createHash('sha256')
      .update(JSON.stringify({ spec, vintages: report.vintages.map((v) => v.sha256).sort(), version }))
      .digest('hex'),
  };
  if (spec.estimators.twfe) {
    const o = spec.estimators.twfe;
    const long: Panel = {
      ...toLong(panel),
      ...(o.cluster === 'state'
        ? {
            cluster: (() => {
              const states = [...new Set(units.map((u) => u.slice(0, 2)))];
              return Int32Array.from({ length: panel.units * panel.periods }, (_, i) =>
                states.indexOf(units[Math.floor(i / panel.periods)]!.slice(0, 2)),
              );
            })(),
          }
        : {}),
    };
    try {
      const es = eventStudy(long, panel.group, { leads: o.leads, lags: o.lags, reference: o.reference });
      const z = qnorm(0.975);
      result.twfe = {
        relative: es.relative,
        coefficients: es.coefficients,
        se: es.se,
        lower: es.coefficients.map((b, i) => b - z * es.se[i]!),
        upper: es.coefficients.map((b, i) => b + z * es.se[i]!),
        n: es.n,
        clusters: es.clusters,
        pretrend: es.pretrend,
        demeaning: es.demeaning.map(({ iterations, converged }) => ({ iterations, converged })),
      };
    } catch (error) {
      if (error instanceof ConvergenceError)
        throw new ValidationError([{ path: 'estimators.twfe', message: error.message }], 'evaluation');
      throw error;
    }
  }
  if (spec.estimators.cs) result.cs = callawaySantAnna(panel, spec.estimators.cs);
  return result;
}
