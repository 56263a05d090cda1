/**
 * An evaluation run from a specification: the panel, the TWFE event study and/or Callaway–Sant'Anna, and
 * a JSON result with the specification, the panel report, the data vintages and a hash that identifies
 * the run (the same specification on the same vintages with the same Marco gives the same hash).
 * @module
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { textIssue, ValidationError } from '../error.js';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import type { StatsStore } from '../stats/stats-store.js';
import { toLong } from './cs.js';
import { CsSpec } from './cs/cs-spec.js';
import { Seed } from './seed.js';
import { runCs, type CsReport } from './cs/cs-run.js';
import type { Intervention } from '../domain/interventions.js';
import { builtinInterventions } from './interventions.js';
import { buildPanel, PanelSpec, type PanelReport } from './panel.js';
import { ConvergenceError, eventStudy, type Panel, type PretrendTest } from './twfe.js';
import { tQuantile } from './distributions.js';
import { SingularError } from './linalg.js';
import { runSynth, type SynthReport } from './synth/synth-run.js';
import { SynthSpec } from './synth/synth-spec.js';
import { DonorExclusion, excludedDonors } from './synth/donor-exclusion.js';
import { runSynthControl, type ControlReport } from './synth/synth-control.js';
import { cohortSplit } from './synth/cohort.js';
import { resolvePredictors, type PredictorLabel } from './synth/predictors.js';
import { warningsOf, type EvaluationWarning } from './evaluation-warnings.js';

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
            /** Demeaning stops when no value moves by more than this, relative to the column's scale. */
            tolerance: z.number().positive().max(1e-3).default(1e-10),
            max_iterations: z.number().int().min(1).max(100_000).default(10_000),
            /**
             * The small-sample correction of the standard errors: `fixest` (when absent) or `estimatr`,
             * whose larger K gives wider intervals (see `RegressionOptions` in twfe.ts).
             */
            small_sample: z.enum(['fixest', 'estimatr']).optional(),
          })
          .strict()
          .optional(),
        cs: CsSpec.optional(),
        /** Synthetic DiD, synthetic control and DiD for one cohort (`src/eval/synth/`). */
        sdid: z
          .object({
            methods: z
              .array(z.enum(['sdid', 'sc', 'did']))
              .min(1)
              .default(['sdid', 'sc', 'did']),
            /**
             * The cohort's first treated period (a period of the panel); needed when there are several.
             * `all`: every cohort, each against the donors, averaged by treated unit-periods.
             */
            cohort: z.string().optional(),
            /** Placebo replications for the standard errors (0: none). */
            placebo: z.number().int().min(0).max(9999).default(200),
            /** Seed of the placebo draws, as R's `set.seed`: R draws the same with the same seed. */
            seed: Seed,
            /** Event types or ids whose places, touched inside the window, are no donors. */
            exclude: DonorExclusion.optional(),
            /**
             * Standard errors besides the placebo's, with the fitted weights kept (one cohort, two treated
             * units or more); the bootstrap draws `placebo` samples (200 when 0).
             */
            resampling: z.array(z.enum(['jackknife', 'bootstrap'])).optional(),
          })
          .strict()
          .optional(),
        /** Synthetic control with predictors, placebos and leave-one-out (`src/eval/synth/`). */
        synth: SynthSpec.optional(),
      })
      .strict()
      .refine((e) => e.twfe || e.cs || e.sdid || e.synth, { message: 'validation.schema.estimator' }),
  })
  .strict()
  .refine((s) => !(s.estimators.synth && s.panel.treatment.rule === 'every'), {
    message: 'validation.schema.synthAbsorbing',
    path: ['estimators', 'synth'],
  })
  .refine((s) => !(s.estimators.sdid && s.panel.treatment.rule === 'every'), {
    message: 'validation.schema.sdidAbsorbing',
    path: ['estimators', 'sdid'],
  })
  .refine((s) => !(s.estimators.cs && s.panel.treatment.rule === 'every'), {
    message: 'validation.schema.csAbsorbing',
    path: ['estimators', 'cs'],
  });
export type EvaluationSpec = z.input<typeof EvaluationSpec>;

/** The steps of an evaluation, as its progress names them. */
export type EvaluationStep = 'panel' | 'twfe' | 'cs' | 'permutations' | 'sdid' | 'synth';
/** Progress of an evaluation: steps done of the total, and the step under way. */
export type EvaluationProgress = (done: number, total: number, step: EvaluationStep) => void;

export interface EvaluationResult {
  title: string;
  specification: z.output<typeof EvaluationSpec>;
  panel: PanelReport;
  twfe?: {
    relative: number[];
    /** Relative periods without a treated observation (no coefficient). */
    omitted: number[];
    coefficients: number[];
    se: number[];
    lower: number[];
    upper: number[];
    n: number;
    clusters: number;
    pretrend: PretrendTest;
    /**
     * The critical value of the 95% intervals: Student's t with G − 1 degrees of freedom (absent in runs
     * saved before Marco 0.3, whose intervals used the normal 1.96).
     */
    critical?: { t: number; df: number };
    /** The small-sample convention of `se` (absent in runs saved before it could be chosen: `fixest`). */
    smallSample?: 'fixest' | 'estimatr';
    demeaning: { iterations: number; converged: boolean }[];
  };
  cs?: CsReport;
  sdid?: SynthReport;
  /** Synthetic control, with what each predictor is. */
  synth?: ControlReport & { predictorLabels: PredictorLabel[] };
  /** What a reader must know before trusting the estimates; texts in the catalogs (`evaluate.warning.*`). */
  warnings: EvaluationWarning[];
  marco: string;
  /** sha256 of the specification, the vintages' checksums and Marco's version. */
  hash: string;
}

/** See {@link EvaluationResult.hash}: computed again when the covariates add their vintages. */
function hashOf(spec: z.output<typeof EvaluationSpec>, report: PanelReport, version: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ spec, vintages: report.vintages.map((v) => v.sha256).sort(), version }))
    .digest('hex');
}

/** The covariates' vintages are the run's too. */
function addVintages(report: PanelReport, vintages: PanelReport['vintages']): void {
  for (const v of vintages) if (!report.vintages.some((w) => w.sha256 === v.sha256)) report.vintages.push(v);
}

/** Validates a specification, or throws a ValidationError with the path of each problem. */
export function parseEvaluationSpec(input: unknown): z.output<typeof EvaluationSpec> {
  const parsed = safeParseInput(EvaluationSpec, input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'evaluation specification');
  return parsed.data;
}

/**
 * Runs an evaluation; see the module documentation. `interventions` defaults to the built-in file;
 * callers with a records store pass the built-in events and those added there.
 */
export async function evaluate(
  stats: StatsStore,
  input: unknown,
  version: string,
  interventions?: Intervention[],
  onProgress?: EvaluationProgress,
  signal?: AbortSignal,
): Promise<EvaluationResult> {
  const spec = parseEvaluationSpec(input);
  // Steps: the panel, each estimator, and each permutation of the randomisation inference.
  const permutations = spec.estimators.cs?.permutations ?? 0;
  const total =
    1 +
    (spec.estimators.twfe ? 1 : 0) +
    (spec.estimators.cs ? 1 : 0) +
    permutations +
    (spec.estimators.sdid ? 1 : 0) +
    (spec.estimators.synth ? 1 : 0);
  let done = 0;
  const step = (name: EvaluationStep) => onProgress?.(done, total, name);
  step('panel');
  const known = interventions ?? (await builtinInterventions());
  const { panel, units, events, report } = await buildPanel(stats, spec.panel, known);
  /** The units an estimator's `exclude` keeps out of its donors. */
  const notDonors = (exclude: DonorExclusion | undefined, estimator: 'sdid' | 'synth') =>
    exclude
      ? excludedDonors(known, spec.panel, units, exclude, `estimators.${estimator}.exclude`)
      : undefined;
  if (spec.estimators.sdid && !report.balanced)
    throw new ValidationError([textIssue('estimators.sdid', 'validation.panel.sdidBalanced')]);
  if (spec.estimators.synth && !report.balanced)
    throw new ValidationError([textIssue('estimators.synth', 'validation.panel.synthBalanced')]);
  if (spec.estimators.cs?.control === 'never' && report.neverTreated === 0)
    throw new ValidationError([textIssue('estimators.cs.control', 'validation.panel.noNeverTreated')]);
  const result: EvaluationResult = {
    title: spec.title,
    specification: spec,
    panel: report,
    warnings: [],
    marco: version,
    hash: hashOf(spec, report, version),
  };
  done++;
  /** Between two steps: the thread is yielded (heartbeats, requests), and a cancel is heard. */
  const between = async () => {
    if (!signal) return;
    await new Promise((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
  };
  /**
   * Inside a long step (permutations, placebo replications), between two of its rounds: the thread is
   * yielded every 20 ms, so a server answers its requests while an evaluation job runs, and a cancel is
   * heard.
   */
  let paused = Date.now();
  const pause = async () => {
    if (Date.now() - paused < 20) return;
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    paused = Date.now();
  };
  await between();
  if (spec.estimators.twfe) {
    step('twfe');
    const o = spec.estimators.twfe;
    const long: Panel = toLong(panel);
    if (o.cluster === 'state') {
      const states = [...new Set(units.map((u) => u.slice(0, 2)))];
      const stateOf = Int32Array.from(units, (u) => states.indexOf(u.slice(0, 2)));
      long.cluster = Int32Array.from(long.unit, (u) => stateOf[u]!);
    }
    try {
      const smallSample = o.small_sample ?? 'fixest';
      const es = eventStudy(long, spec.panel.treatment.rule === 'every' ? events : panel.group, {
        leads: o.leads,
        lags: o.lags,
        reference: o.reference,
        tolerance: o.tolerance,
        maxIterations: o.max_iterations,
        smallSample,
      });
      // t with G − 1 degrees of freedom, as fixest and estimatr give clustered intervals.
      const critical = { t: tQuantile(0.975, es.clusters - 1), df: es.clusters - 1 };
      const z = critical.t;
      result.twfe = {
        relative: es.relative,
        omitted: es.omitted,
        coefficients: es.coefficients,
        se: es.se,
        lower: es.coefficients.map((b, i) => b - z * es.se[i]!),
        upper: es.coefficients.map((b, i) => b + z * es.se[i]!),
        n: es.n,
        clusters: es.clusters,
        pretrend: es.pretrend,
        critical,
        smallSample,
        demeaning: es.demeaning.map(({ iterations, converged }) => ({ iterations, converged })),
      };
    } catch (error) {
      if (error instanceof SingularError)
        throw new ValidationError([
          error.relative === undefined
            ? textIssue('estimators.twfe', 'validation.panel.singular', { column: error.column })
            : textIssue('estimators.twfe', 'validation.panel.singularRelative', { period: error.relative }),
        ]);
      if (error instanceof ConvergenceError)
        throw new ValidationError(
          [
            {
              path: 'estimators.twfe.max_iterations',
              message: error.message,
              ...(error.text ? { text: error.text } : {}),
            },
          ],
          'evaluation',
        );
      throw error;
    }
    done++;
  }
  await between();
  if (spec.estimators.cs) {
    step('cs');
    const before = done + 1;
    const { cs, vintages } = await runCs(
      { stats, panel, units, labels: report.labels, spec: spec.panel },
      spec.estimators.cs,
      (n) => {
        done = before + n;
        step('permutations');
      },
      pause,
    );
    result.cs = cs;
    addVintages(report, vintages);
    done = before + permutations;
  }
  if (spec.estimators.sdid) {
    await between();
    step('sdid');
    const o = spec.estimators.sdid;
    // Placebo replications one at a time, with a pause between two.
    result.sdid = await runSynth(
      panel,
      units,
      report.labels,
      {
        methods: o.methods,
        cohort: o.cohort,
        placebo: o.placebo,
        seed: o.seed,
        threads: availableParallelism(),
        notDonors: notDonors(o.exclude, 'sdid'),
        ...(o.resampling ? { resampling: o.resampling } : {}),
      },
      pause,
    );
    done++;
  }
  if (spec.estimators.synth) {
    await between();
    step('synth');
    const o = spec.estimators.synth;
    const excluded = notDonors(o.exclude, 'synth');
    const { g } = cohortSplit(panel, units, report.labels, o.cohort, 'synth', excluded);
    const resolved = o.predictors
      ? await resolvePredictors(
          {
            stats,
            panel,
            units,
            labels: report.labels,
            pre: g,
            spec: spec.panel,
            path: 'estimators.synth.predictors',
          },
          o.predictors,
        )
      : undefined;
    addVintages(report, resolved?.vintages ?? []);
    const control = await runSynthControl(
      panel,
      units,
      report.labels,
      {
        cohort: o.cohort,
        predictors: resolved && { values: resolved.values, k: resolved.labels.length },
        v: o.v ?? (o.predictors ? 'nested' : 'equal'),
        placebos: o.placebos,
        placeboV: o.placebo_v,
        leaveOneOut: o.leave_one_out,
        keepGaps: o.keep_gaps,
        notDonors: excluded,
      },
      pause,
    );
    result.synth = { ...control, predictorLabels: resolved?.labels ?? [] };
    done++;
  }
  result.hash = hashOf(spec, report, version);
  result.warnings = warningsOf(result);
  return result;
}
