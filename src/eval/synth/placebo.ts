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
  const units = fitted.method === 'did' ? undefined : unitGram(p, fitted.method);
  const times = fitted.method === 'sdid' ? timeMoments(p) : undefined;
  for (let b = 0; b < replications; b++) {
    const drawn = shuffle(p.controls);
    // The controls kept in their own order (the estimate does not depend on it, and the fits then read the
    // Gram matrix's rows in order), the pretend-treated after them.
    const kept = drawn.slice(0, p.controls - n1).sort((a, b) => a - b);
    const order = [...kept, ...drawn.slice(p.controls - n1)];
    const y = new Float64Array(p.controls * p.periods);
    order.forEach((unit, i) => y.set(p.y.subarray(unit * p.periods, (unit + 1) * p.periods), i * p.periods));
    const controls = p.controls - n1;
    const start = normalised(Float64Array.from(order.slice(0, controls), (unit) => fitted.omega[unit]!));
    const panel: BlockPanel = { y, units: p.controls, periods: p.periods, controls, pre: p.pre };
    const fits = {
      zetaOmega: fitted.zetaOmega,
      zetaLambda: fitted.zetaLambda,
      minDecrease: fitted.minDecrease,
      ...(units
        ? {
            omegaGram: gramSubset(
              units,
              p.controls + 1,
              p.pre,
              order.slice(0, controls),
              order.slice(controls),
            ),
          }
        : {}),
      ...(times ? { lambdaGram: timeGram(times, drawn.slice(p.controls - n1)) } : {}),
    };
    const replication =
      fitted.method === 'did'
        ? synthEstimate(panel, 'did', { ...fits, omega: start, lambda: fitted.lambda })
        : fitted.method === 'sc'
          ? synthEstimate(panel, 'sc', { ...fits, omegaStart: start, lambda: fitted.lambda })
          : synthEstimate(panel, 'sdid', { ...fits, omegaStart: start, lambdaStart: fitted.lambda });
    if (!replication.converged) unconverged++;
    estimates.push(replication.estimate);
    yield b + 1;
  }
  const mean = estimates.reduce((a, v) => a + v, 0) / replications;
  const sd = Math.sqrt(estimates.reduce((a, v) => a + (v - mean) ** 2, 0) / (replications - 1));
  return { se: Math.sqrt((replications - 1) / replications) * sd, estimates, unconverged };
}
