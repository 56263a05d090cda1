/**
 * Synthetic DiD with every cohort of the panel (`estimators.sdid.cohort: all`): the staggered estimate of
 * `staggered.ts` for each method, each cohort's own estimate and pre-treatment fit, and the placebo
 * standard error of the aggregate. Units of every cohort are treated; the donors are the never-treated
 * units the specification does not exclude.
 * @module
 */
import type { CsPanel } from '../cs/cs-panel.js';
import { rRandom } from '../r-random.js';
import { blockOf, cohortSplit } from './cohort.js';
import type { StaggeredCohortReport, SynthOptions, SynthReport } from './sdid-report.js';
import { staggeredEstimate, staggeredPlacebo, type StaggeredCohort } from './staggered.js';

/** The root mean squared pre-treatment gap of a block fit (treated mean less weighted donors, offset by λ). */
function preRmspe(
  panel: CsPanel,
  donors: number[],
  c: StaggeredCohort,
  omega: Float64Array,
  lambda: Float64Array,
) {
  const block = blockOf(panel, donors, c.units, c.g);
  const T = panel.periods;
  const raw = Array.from({ length: c.g }, (_, t) => {
    let s = 0;
    for (let i = block.controls; i < block.units; i++)
      s += block.y[i * T + t]! / (block.units - block.controls);
    for (let i = 0; i < block.controls; i++) s -= omega[i]! * block.y[i * T + t]!;
    return s;
  });
  const offset = raw.reduce((a, v, t) => a + lambda[t]! * v, 0);
  return Math.sqrt(raw.reduce((a, v) => a + (v - offset) ** 2, 0) / c.g);
}

export async function runStaggered(
  panel: CsPanel,
  units: string[],
  labels: string[],
  options: SynthOptions,
  pause: () => Promise<void>,
): Promise<SynthReport & { cohorts: StaggeredCohortReport[] }> {
  const gs = [...new Set(panel.group)].filter((g) => g >= 0).sort((a, b) => a - b);
  // Each cohort's split checks it (a pre-treatment period, two donors, every period of every unit).
  const splits = gs.map((g) => cohortSplit(panel, units, labels, labels[g], 'sdid', options.notDonors));
  const donors = splits[0]!.donors;
  const cohorts: StaggeredCohort[] = splits.map((s) => ({ g: s.g, units: s.treated }));
  const treated = cohorts.flatMap((c) => c.units);
  const reports: StaggeredCohortReport[] = cohorts.map((c) => ({
    cohort: labels[c.g]!,
    treated: c.units.map((u) => units[u]!),
    weight: 0,
    estimates: [],
  }));
  const methods: SynthReport['methods'] = [];
  let noise = 0;
  for (const method of options.methods) {
    const run = staggeredEstimate(panel, donors, cohorts, method);
    let pre = 0;
    run.cohorts.forEach((c, i) => {
      const rmspe = preRmspe(panel, donors, cohorts[i]!, c.fit.omega, c.fit.lambda);
      reports[i]!.weight = c.weight;
      reports[i]!.estimates.push({ method, estimate: c.estimate, preRmspe: rmspe });
      pre += c.weight * rmspe;
      noise = Math.max(noise, c.fit.noiseLevel);
    });
    // Each set of weights as its worst cohort fit ended (an unconverged one first), for the warnings.
    const worst = (which: 'omega' | 'lambda') =>
      run.cohorts
        .map((c) => c.fit.fits[which])
        .filter((f) => f !== undefined)
        .sort((a, b) => Number(a.converged) - Number(b.converged) || b.gap - a.gap)[0];
    const omega = worst('omega');
    const lambda = worst('lambda');
    const report: SynthReport['methods'][number] = {
      method,
      estimate: run.estimate,
      weights: [],
      timeWeights: [],
      gap: [],
      preRmspe: pre,
      fits: { ...(omega ? { omega } : {}), ...(lambda ? { lambda } : {}) },
    };
    if (options.placebo > 0 && donors.length > treated.length) {
      const runs = staggeredPlacebo(
        panel,
        donors,
        cohorts,
        method,
        options.placebo,
        rRandom(options.seed).sample,
      );
      for (;;) {
        const next = runs.next();
        if (next.done) {
          report.se = next.value.se;
          report.placeboUnconverged = next.value.unconverged;
          break;
        }
        await pause();
      }
    }
    methods.push(report);
  }
  const first = gs[0]!;
  return {
    cohort: 'all',
    treated: treated.map((u) => units[u]!),
    donors: donors.length,
    excluded: splits[0]!.excluded.filter((u) => !treated.some((t) => units[t] === u)),
    pre: first,
    post: panel.periods - first,
    noiseLevel: noise,
    outsideHull: 0,
    methods,
    cohorts: reports,
  };
}
