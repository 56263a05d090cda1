/**
 * Synthetic DiD, synthetic control and DiD on an evaluation's panel (`estimators.sdid` of the
 * specification), on the split of `cohort.ts`. For each method: the
 * estimate, its placebo standard error, the unit and time weights, the gap between the treated units and
 * their synthetic counterpart in every period (the estimate is the gap's mean after treatment), the
 * pre-treatment fit, and how each weight fit ended.
 * @module
 */
import type { CsPanel } from '../cs/cs-panel.js';
import { rRandom } from '../r-random.js';
import { blockOf, cohortSplit } from './cohort.js';
import { placeboRuns, type PlaceboReport } from './placebo.js';
import { placeboThreaded } from './placebo-threads.js';
import { runStaggered } from './staggered-run.js';
import { bootstrapSe, jackknifeSe } from './resampling.js';
import type { SynthMethodReport, SynthOptions, SynthReport } from './sdid-report.js';

export type { SynthMethodReport, SynthOptions, SynthReport } from './sdid-report.js';
import { synthEstimate, type BlockPanel } from './synthdid.js';

/** Controls × pre-treatment periods × replications above which the replications go to threads. */
const THREAD_WORK = 5_000_000;

/** The treated units' mean in each period. */
function treatedMean(p: BlockPanel): Float64Array {
  const n1 = p.units - p.controls;
  const mean = new Float64Array(p.periods);
  for (let i = p.controls; i < p.units; i++)
    for (let t = 0; t < p.periods; t++) mean[t] = mean[t]! + p.y[i * p.periods + t]! / n1;
  return mean;
}

/** The gap of each period (see {@link SynthMethodReport.gap}). */
function gapOf(p: BlockPanel, treated: Float64Array, omega: Float64Array, lambda: Float64Array): number[] {
  const raw = Array.from(treated, (mean, t) => {
    let synthetic = 0;
    for (let i = 0; i < p.controls; i++) synthetic += omega[i]! * p.y[i * p.periods + t]!;
    return mean - synthetic;
  });
  let offset = 0;
  for (let t = 0; t < p.pre; t++) offset += lambda[t]! * raw[t]!;
  return raw.map((g) => g - offset);
}

/** See {@link SynthReport.outsideHull}. */
function outsideHull(p: BlockPanel, treated: Float64Array): number {
  let outside = 0;
  for (let t = 0; t < p.pre; t++) {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < p.controls; i++) {
      low = Math.min(low, p.y[i * p.periods + t]!);
      high = Math.max(high, p.y[i * p.periods + t]!);
    }
    if (treated[t]! > high || treated[t]! < low) outside++;
  }
  return outside;
}

/**
 * Runs the methods asked for; refuses a panel they cannot be run on, saying why. `pause` is awaited
 * between two placebo replications (a job yields the thread there, and hears a cancel).
 */
export async function runSynth(
  panel: CsPanel,
  units: string[],
  labels: string[],
  options: SynthOptions,
  pause: () => Promise<void> = async () => undefined,
): Promise<SynthReport> {
  if (options.cohort === 'all') return runStaggered(panel, units, labels, options, pause);
  const { g, treated, donors, excluded } = cohortSplit(
    panel,
    units,
    labels,
    options.cohort,
    'sdid',
    options.notDonors,
  );
  const block = blockOf(panel, donors, treated, g);
  const mean = treatedMean(block);
  const methods: SynthMethodReport[] = [];
  let noise = 0;
  for (const method of options.methods) {
    const fitted = synthEstimate(block, method);
    noise = fitted.noiseLevel;
    const gap = gapOf(block, mean, fitted.omega, fitted.lambda);
    const pre = gap.slice(0, g);
    const weights = donors
      .map((unit, i) => ({ unit: units[unit]!, weight: fitted.omega[i]! }))
      .filter((w) => w.weight > 0)
      .sort((a, b) => b.weight - a.weight);
    const timeWeights = Array.from(fitted.lambda, (weight, t) => ({ period: labels[t]!, weight })).filter(
      (w) => method !== 'did' && w.weight > 0,
    );
    const report: SynthMethodReport = {
      method,
      estimate: fitted.estimate,
      weights,
      timeWeights,
      gap,
      preRmspe: Math.sqrt(pre.reduce((a, v) => a + v * v, 0) / pre.length),
      fits: fitted.fits,
    };
    if (options.placebo > 0 && donors.length > treated.length) {
      const shuffle = rRandom(options.seed).sample;
      const threads = options.threads ?? 1;
      let placebo: PlaceboReport | undefined;
      if (threads > 1 && block.controls * block.pre * options.placebo >= THREAD_WORK)
        placebo = await placeboThreaded(block, fitted, options.placebo, shuffle, threads, pause);
      else
        for (const runs = placeboRuns(block, fitted, options.placebo, shuffle); !placebo;) {
          const next = runs.next();
          if (next.done) placebo = next.value;
          else await pause();
        }
      report.se = placebo.se;
      report.placeboUnconverged = placebo.unconverged;
    }
    if (options.resampling?.includes('jackknife')) {
      const se = jackknifeSe(block, fitted);
      if (se !== undefined) report.jackknifeSe = se;
    }
    if (options.resampling?.includes('bootstrap')) {
      // Its own draws, from the same seed: R's sample(N, replace = TRUE), as the package draws them.
      const se = bootstrapSe(block, fitted, options.placebo || 200, rRandom(options.seed).sampleReplace);
      if (se !== undefined) report.bootstrapSe = se;
    }
    methods.push(report);
  }
  return {
    cohort: labels[g]!,
    treated: treated.map((i) => units[i]!),
    donors: donors.length,
    excluded,
    pre: g,
    post: panel.periods - g,
    noiseLevel: noise,
    outsideHull: outsideHull(block, mean),
    methods,
  };
}
