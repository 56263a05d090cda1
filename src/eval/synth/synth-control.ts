/**
 * Synthetic control on an evaluation's panel (`estimators.synth` of the specification), on the split of
 * `cohort.ts`: the treated units' mean (one unit, usually) against a weighted average of the donors, with
 * weights from `adh.ts`. Reported: the donor and predictor weights, the predictors' balance (treated,
 * synthetic, donors' mean: Abadie, Diamond and Hainmueller 2010, table 1), the treated and synthetic
 * series and their gap, the pre- and post-treatment RMSPE, and the estimate (the mean gap after
 * treatment). Inference is by in-space placebos (ADH 2010, section 3.3): each donor in turn is fitted as
 * if treated, from the other donors, and the treated units' ratio of post- to pre-treatment RMSPE is
 * ranked among the placebos'; the p-value is that rank over the placebos plus one. Leave-one-out (Abadie,
 * Diamond and Hainmueller 2015, section 4.3) fits again without each donor that has a weight.
 *
 * Without predictors, each pre-treatment outcome is a predictor, unscaled, with equal weights: the
 * synthetic control of Arkhangelsky et al. (2021)'s comparisons.
 * @module
 */
import { ValidationError, textIssue } from '../../error.js';
import type { CsPanel } from '../cs/cs-panel.js';
import { adhFit, ConstantPredictorError, type AdhFit, type AdhInput } from './adh.js';
import { cohortSplit, type CohortSummary } from './cohort.js';
import { noiseLevel } from './synthdid.js';

export interface ControlOptions {
  cohort?: string | undefined;
  /** Units × k predictor values (row-major), or none: the pre-treatment outcomes. */
  predictors?: { values: Float64Array; k: number } | undefined;
  v: 'nested' | 'equal';
  /** In-space placebos: every donor (`all`), at most this many (the donors nearest the treated units' pre-treatment path), or none (0). */
  placebos: number | 'all';
  /** `refit`: each placebo chooses its own V, as the treated fit did; `fixed`: it keeps the treated fit's. */
  placeboV: 'refit' | 'fixed';
  leaveOneOut: boolean;
  /** Placebos whose pre-treatment RMSPE is at most this many times the treated's keep their gap series (for plots). */
  keepGaps: number;
  /** Units that may not be donors (touched by other interventions). */
  notDonors?: ReadonlySet<string>;
}

export interface PlaceboRun {
  unit: string;
  preRmspe: number;
  postRmspe: number;
  ratio: number;
  /** The gap series, for placebos that fit nearly as well as the treated units (see `keepGaps`). */
  gap?: number[];
}

export interface ControlReport extends CohortSummary {
  /** Donors with a weight, largest first. */
  weights: { unit: string; weight: number }[];
  /** Each predictor: its weight, the treated value, the synthetic value and the donors' mean. */
  predictors: { v: number; treated: number; synthetic: number; donors: number }[];
  treatedSeries: number[];
  synthetic: number[];
  gap: number[];
  estimate: number;
  preRmspe: number;
  postRmspe: number;
  ratio: number;
  predictorLoss: number;
  search?: AdhFit['search'];
  converged: boolean;
  placebos?: {
    runs: PlaceboRun[];
    /** The treated units' rank (1: largest ratio) among themselves and the placebos. */
    rank: number;
    p: number;
    /** Placebo fits whose donor weights did not meet their optimality conditions. */
    unconverged: number;
    /** Donors no placebo could be fitted for (a predictor with one value across the others). */
    skipped: string[];
  };
  leaveOneOut?: { unit: string; estimate: number; preRmspe: number; gap: number[] }[];
}

const PATH = 'estimators.synth';

/** The fit of `target` (a units' mean) on donors `pool`, and its series. */
interface Fitted {
  fit: AdhFit;
  series: Float64Array;
  synthetic: Float64Array;
  gap: Float64Array;
  pre: number;
  post: number;
}

function rmspe(gap: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let t = from; t < to; t++) s += gap[t]! ** 2;
  return Math.sqrt(s / (to - from));
}

/** Fits the mean of units `target` from donors `pool`; see the module documentation. */
function fitOne(
  panel: CsPanel,
  predictors: ControlOptions['predictors'],
  target: number[],
  pool: number[],
  g: number,
  v: 'nested' | 'equal' | Float64Array,
): Fitted {
  const T = panel.periods;
  const j = pool.length;
  const series = new Float64Array(T);
  for (const u of target) for (let t = 0; t < T; t++) series[t]! += panel.y[u * T + t]! / target.length;
  const z1 = series.slice(0, g);
  const z0 = new Float64Array(g * j);
  pool.forEach((u, c) => {
    for (let t = 0; t < g; t++) z0[t * j + c] = panel.y[u * T + t]!;
  });
  let input: AdhInput;
  if (predictors) {
    const k = predictors.k;
    const x1 = new Float64Array(k);
    for (const u of target)
      for (let r = 0; r < k; r++) x1[r]! += predictors.values[u * k + r]! / target.length;
    const x0 = new Float64Array(k * j);
    pool.forEach((u, c) => {
      for (let r = 0; r < k; r++) x0[r * j + c] = predictors.values[u * k + r]!;
    });
    input = { x1, x0, z1, z0, donors: j };
  } else input = { x1: z1, x0: z0, z1, z0, donors: j };
  // Outcomes as predictors share one unit: they are fitted as they are, not scaled.
  const fit = predictors ? adhFit(input, v) : adhFit(input, 'equal', false);
  const synthetic = new Float64Array(T);
  pool.forEach((u, c) => {
    const w = fit.weights[c]!;
    if (w !== 0) for (let t = 0; t < T; t++) synthetic[t]! += w * panel.y[u * T + t]!;
  });
  const gap = series.map((y, t) => y - synthetic[t]!);
  return { fit, series, synthetic, gap, pre: rmspe(gap, 0, g), post: rmspe(gap, g, T) };
}

/** Placebo units: every donor, or the `n` whose pre-treatment path is nearest the treated units' mean. */
function placeboUnits(
  panel: CsPanel,
  treatedSeries: Float64Array,
  donors: number[],
  g: number,
  n: number | 'all',
): number[] {
  if (n === 'all' || n >= donors.length) return donors;
  const T = panel.periods;
  const distance = (u: number) => {
    let s = 0;
    for (let t = 0; t < g; t++) s += (panel.y[u * T + t]! - treatedSeries[t]!) ** 2;
    return s;
  };
  return donors
    .map((u) => ({ u, d: distance(u) }))
    .sort((a, b) => a.d - b.d || a.u - b.u)
    .slice(0, n)
    .map((x) => x.u)
    .sort((a, b) => a - b);
}

/**
 * Runs synthetic control; `pause` is awaited between two placebo or leave-one-out fits (a job yields the
 * thread there and hears a cancel).
 */
export async function runSynthControl(
  panel: CsPanel,
  units: string[],
  labels: string[],
  options: ControlOptions,
  pause: () => Promise<void> = async () => undefined,
): Promise<ControlReport> {
  const { g, treated, donors, excluded } = cohortSplit(
    panel,
    units,
    labels,
    options.cohort,
    'synth',
    options.notDonors,
  );
  const k = options.predictors?.k ?? g;
  if (donors.length < 2 || (options.predictors && donors.length < k))
    throw new ValidationError([
      textIssue(`${PATH}.predictors`, 'validation.synth.fewerDonors', {
        donors: donors.length,
        predictors: k,
      }),
    ]);
  let main: Fitted;
  try {
    main = fitOne(panel, options.predictors, treated, donors, g, options.v);
  } catch (error) {
    if (error instanceof ConstantPredictorError)
      throw new ValidationError([
        textIssue(`${PATH}.predictors[${error.predictor}]`, 'validation.synth.predictorConstant'),
      ]);
    throw error;
  }
  const T = panel.periods;
  const values = (u: number, r: number) =>
    options.predictors ? options.predictors.values[u * k + r]! : panel.y[u * T + r]!;
  const predictors = Array.from({ length: options.predictors ? k : 0 }, (_, r) => {
    let t = 0;
    for (const u of treated) t += values(u, r) / treated.length;
    let s = 0;
    let m = 0;
    donors.forEach((u, c) => {
      s += main.fit.weights[c]! * values(u, r);
      m += values(u, r) / donors.length;
    });
    return { v: main.fit.v[r]!, treated: t, synthetic: s, donors: m };
  });
  let outside = 0;
  for (let t = 0; t < g; t++) {
    let low = Infinity;
    let high = -Infinity;
    for (const u of donors)
      [low, high] = [Math.min(low, panel.y[u * T + t]!), Math.max(high, panel.y[u * T + t]!)];
    if (main.series[t]! > high || main.series[t]! < low) outside++;
  }
  const post = main.gap.subarray(g);
  const report: ControlReport = {
    cohort: labels[g]!,
    treated: treated.map((i) => units[i]!),
    donors: donors.length,
    excluded,
    pre: g,
    post: T - g,
    weights: donors
      .map((u, c) => ({ unit: units[u]!, weight: main.fit.weights[c]! }))
      .filter((w) => w.weight > 0)
      .sort((a, b) => b.weight - a.weight),
    predictors,
    treatedSeries: Array.from(main.series),
    synthetic: Array.from(main.synthetic),
    gap: Array.from(main.gap),
    estimate: post.reduce((a, v) => a + v, 0) / post.length,
    preRmspe: main.pre,
    postRmspe: main.post,
    ratio: main.post / main.pre,
    predictorLoss: main.fit.predictorLoss,
    ...(main.fit.search ? { search: main.fit.search } : {}),
    converged: main.fit.converged,
    outsideHull: outside,
    noiseLevel: noiseLevel({
      y: Float64Array.from(donors.flatMap((u) => Array.from(panel.y.subarray(u * T, (u + 1) * T)))),
      units: donors.length,
      periods: T,
      controls: donors.length,
      pre: g,
    }),
  };
  const refit = (target: number[], pool: number[]) =>
    fitOne(panel, options.predictors, target, pool, g, options.placeboV === 'fixed' ? main.fit.v : options.v);
  if (options.placebos === 'all' || options.placebos > 0) {
    const runs: PlaceboRun[] = [];
    let unconverged = 0;
    const skipped: string[] = [];
    for (const u of placeboUnits(panel, main.series, donors, g, options.placebos)) {
      let fitted: Fitted;
      try {
        fitted = refit(
          [u],
          donors.filter((d) => d !== u),
        );
      } catch (error) {
        // A predictor constant across the other donors and this one: no fit, so no placebo.
        if (error instanceof ConstantPredictorError) {
          skipped.push(units[u]!);
          continue;
        }
        throw error;
      }
      if (!fitted.fit.converged) unconverged++;
      const run: PlaceboRun = {
        unit: units[u]!,
        preRmspe: fitted.pre,
        postRmspe: fitted.post,
        ratio: fitted.post / fitted.pre,
      };
      if (fitted.pre <= options.keepGaps * main.pre) run.gap = Array.from(fitted.gap);
      runs.push(run);
      await pause();
    }
    const rank = 1 + runs.filter((r) => r.ratio >= report.ratio).length;
    report.placebos = { runs, rank, p: rank / (runs.length + 1), unconverged, skipped };
  }
  if (options.leaveOneOut) {
    report.leaveOneOut = [];
    for (const w of report.weights) {
      const drop = units.indexOf(w.unit);
      const pool = donors.filter((d) => d !== drop);
      if (pool.length < 2) continue;
      // V is chosen again without the donor, as the treated fit chose it; a predictor left with one value
      // across the treated units and the other donors leaves no fit, and no row.
      let fitted: Fitted;
      try {
        fitted = fitOne(panel, options.predictors, treated, pool, g, options.v);
      } catch (error) {
        if (error instanceof ConstantPredictorError) continue;
        throw error;
      }
      const after = fitted.gap.subarray(g);
      report.leaveOneOut.push({
        unit: w.unit,
        estimate: after.reduce((a, v) => a + v, 0) / after.length,
        preRmspe: fitted.pre,
        gap: Array.from(fitted.gap),
      });
      await pause();
    }
  }
  return report;
}
