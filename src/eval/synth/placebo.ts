/**
 * Placebo standard errors for synthetic DiD and its special cases (Arkhangelsky et al. 2021, algorithm 4;
 * `synthdid::vcov(method = "placebo")`): the one valid with a single treated unit. Each replication
 * shuffles the controls, pretends the last N1 of them were treated, and estimates again with the original
 * fit's penalties, its time weights as the start (or as they are, when the method does not fit them), and
 * its unit weights of the controls kept, rescaled, as the start; the standard error is the replications'
 * standard deviation times √((B − 1)/B).
 * @module
 */
import { gramSubset } from './frank-wolfe.js';
import {
  synthEstimate,
  timeGram,
  timeMoments,
  unitGram,
  type BlockPanel,
  type SynthEstimate,
  type TimeMoments,
} from './synthdid.js';

/** Rescaled to sum to one; equal weights when they sum to zero. */
function normalised(w: Float64Array): Float64Array {
  const sum = w.reduce((a, v) => a + v, 0);
  return sum !== 0 ? w.map((v) => v / sum) : new Float64Array(w.length).fill(1 / w.length);
}

export interface PlaceboReport {
  se: number;
  /** Each replication's estimate. */
  estimates: number[];
  /** Replications whose weight fit stopped at its step limit. */
  unconverged: number;
}

/**
 * The placebo standard error of `fitted` on `p`, from `replications` orders of the controls drawn by
 * `shuffle` (R's `sample`, from `r-random.ts`, draws what the R package draws with the same seed).
 */
export function placeboSe(
  p: BlockPanel,
  fitted: SynthEstimate,
  replications: number,
  shuffle: (n: number) => number[],
): PlaceboReport {
  const runs = placeboRuns(p, fitted, replications, shuffle);
  for (;;) {
    const next = runs.next();
    if (next.done) return next.value;
  }
}

/** What every replication of one fit reads: the Gram matrices of all controls, computed once. */
export interface PlaceboShared {
  /** Every control's pre-treatment path against every other's (not for DiD). */
  units?: Float64Array | undefined;
  /** The time weights' moments (synthetic DiD only). */
  times?: TimeMoments | undefined;
}

export function placeboShared(p: BlockPanel, fitted: Pick<SynthEstimate, 'method'>): PlaceboShared {
  return {
    units: fitted.method === 'did' ? undefined : unitGram(p, fitted.method),
    times: fitted.method === 'sdid' ? timeMoments(p) : undefined,
  };
}

/** The fields of a fit a replication needs (what a thread is sent). */
export type FittedForPlacebo = Pick<
  SynthEstimate,
  'method' | 'omega' | 'lambda' | 'zetaOmega' | 'zetaLambda' | 'minDecrease'
>;

/**
 * One replication: the controls in `drawn` order (R's `sample`), the last N1 pretending to be treated,
 * estimated again as the module documentation says.
 */
export function replicate(
  p: BlockPanel,
  fitted: FittedForPlacebo,
  drawn: readonly number[],
  shared: PlaceboShared,
): { estimate: number; converged: boolean } {
  const n1 = p.units - p.controls;
  const controls = p.controls - n1;
  // The controls kept in their own order (the estimate does not depend on it, and the fits then read the
  // Gram matrix's rows in order), the pretend-treated after them.
  const kept = drawn.slice(0, controls).sort((a, b) => a - b);
  const order = [...kept, ...drawn.slice(controls)];
  const y = new Float64Array(p.controls * p.periods);
  order.forEach((unit, i) => y.set(p.y.subarray(unit * p.periods, (unit + 1) * p.periods), i * p.periods));
  const start = normalised(Float64Array.from(kept, (unit) => fitted.omega[unit]!));
  const panel: BlockPanel = { y, units: p.controls, periods: p.periods, controls, pre: p.pre };
  const fits = {
    zetaOmega: fitted.zetaOmega,
    zetaLambda: fitted.zetaLambda,
    minDecrease: fitted.minDecrease,
    ...(shared.units
      ? { omegaGram: gramSubset(shared.units, p.controls + 1, p.pre, kept, drawn.slice(controls)) }
      : {}),
    ...(shared.times ? { lambdaGram: timeGram(shared.times, drawn.slice(controls)) } : {}),
  };
  const replication =
    fitted.method === 'did'
      ? synthEstimate(panel, 'did', { ...fits, omega: start, lambda: fitted.lambda })
      : fitted.method === 'sc'
        ? synthEstimate(panel, 'sc', { ...fits, omegaStart: start, lambda: fitted.lambda })
        : synthEstimate(panel, 'sdid', { ...fits, omegaStart: start, lambdaStart: fitted.lambda });
  return { estimate: replication.estimate, converged: replication.converged };
}

/** The standard error of the replications' estimates (see the module documentation). */
export function placeboReport(estimates: number[], unconverged: number): PlaceboReport {
  const b = estimates.length;
  const mean = estimates.reduce((a, v) => a + v, 0) / b;
  const sd = Math.sqrt(estimates.reduce((a, v) => a + (v - mean) ** 2, 0) / (b - 1));
  return { se: Math.sqrt((b - 1) / b) * sd, estimates, unconverged };
}

/**
 * {@link placeboSe} one replication at a time: it yields the number done after each, so that a server
 * running it as a job can answer requests and hear a cancel between two.
 */
export function* placeboRuns(
  p: BlockPanel,
  fitted: SynthEstimate,
  replications: number,
  shuffle: (n: number) => number[],
): Generator<number, PlaceboReport> {
  const n1 = p.units - p.controls;
  if (p.controls <= n1) throw new RangeError('placebo inference needs more controls than treated units');
  const estimates: number[] = [];
  let unconverged = 0;
  // Every control's pre-treatment path against every other's, once: each replication reads its split.
  const shared = placeboShared(p, fitted);
  for (let b = 0; b < replications; b++) {
    const replication = replicate(p, fitted, shuffle(p.controls), shared);
    if (!replication.converged) unconverged++;
    estimates.push(replication.estimate);
    yield b + 1;
  }
  return placeboReport(estimates, unconverged);
}
