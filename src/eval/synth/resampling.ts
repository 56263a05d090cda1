/**
 * Jackknife and bootstrap standard errors of synthetic DiD and its special cases (Arkhangelsky et al.
 * 2021, algorithms 2 and 3; `synthdid::vcov(method = "jackknife" | "bootstrap")`), with the fitted weights
 * kept, as the package keeps them: a unit left out (jackknife) or drawn several times (bootstrap) changes
 * the treated mean and the controls' weights, renormalised to sum to one, not the fit. Both need more than
 * one treated unit (with one, the jackknife leaves no treated unit and the bootstrap's samples all but
 * lose it): they are then undefined, and the report says so.
 *
 * Each unit's double difference d_i = (its mean after treatment) − Σ_t λ_t Y_it is computed once; a
 * replication is then a weighted sum of the d_i, O(N).
 * @module
 */
import type { BlockPanel, SynthEstimate } from './synthdid.js';

/** Each unit's post-treatment mean less its λ-weighted pre-treatment outcomes. */
function differences(p: BlockPanel, lambda: Float64Array): Float64Array {
  const t1 = p.periods - p.pre;
  return Float64Array.from({ length: p.units }, (_, i) => {
    let s = 0;
    for (let t = 0; t < p.periods; t++) s += (t < p.pre ? -lambda[t]! : 1 / t1) * p.y[i * p.periods + t]!;
    return s;
  });
}

/** τ from the units `rows` (with repeats): the treated rows' mean less the controls' ω, renormalised. */
function estimateOf(p: BlockPanel, d: Float64Array, omega: Float64Array, rows: readonly number[]): number {
  let treated = 0;
  let n1 = 0;
  let weight = 0;
  let weighted = 0;
  let controls = 0;
  let plain = 0;
  for (const i of rows) {
    if (i >= p.controls) {
      treated += d[i]!;
      n1++;
    } else {
      weight += omega[i]!;
      weighted += omega[i]! * d[i]!;
      controls++;
      plain += d[i]!;
    }
  }
  // `sum_normalize`: weights summing to zero become equal weights.
  const synthetic = weight !== 0 ? weighted / weight : plain / controls;
  return treated / n1 - synthetic;
}

/** The jackknife standard error, or undefined with one treated unit or one control with a weight. */
export function jackknifeSe(
  p: BlockPanel,
  fitted: Pick<SynthEstimate, 'omega' | 'lambda'>,
): number | undefined {
  if (p.units - p.controls < 2) return undefined;
  if (fitted.omega.filter((w) => w !== 0).length === 1) return undefined;
  const d = differences(p, fitted.lambda);
  const all = Array.from({ length: p.units }, (_, i) => i);
  const u = all.map((left) =>
    estimateOf(
      p,
      d,
      fitted.omega,
      all.filter((i) => i !== left),
    ),
  );
  const n = u.length;
  const mean = u.reduce((a, v) => a + v, 0) / n;
  return Math.sqrt(((n - 1) / n) * u.reduce((a, v) => a + (v - mean) ** 2, 0));
}

/**
 * The bootstrap standard error from `replications` samples of the units with replacement (`draw`: R's
 * `sample(N, replace = TRUE)`), a sample with no treated unit or no control drawn again; undefined with
 * one treated unit.
 */
export function bootstrapSe(
  p: BlockPanel,
  fitted: Pick<SynthEstimate, 'omega' | 'lambda'>,
  replications: number,
  draw: (n: number) => number[],
): number | undefined {
  if (p.units - p.controls < 2 || replications < 2) return undefined;
  const d = differences(p, fitted.lambda);
  const estimates: number[] = [];
  while (estimates.length < replications) {
    const rows = draw(p.units);
    if (rows.every((i) => i < p.controls) || rows.every((i) => i >= p.controls)) continue;
    estimates.push(estimateOf(p, d, fitted.omega, rows));
  }
  const mean = estimates.reduce((a, v) => a + v, 0) / replications;
  const sd = Math.sqrt(estimates.reduce((a, v) => a + (v - mean) ** 2, 0) / (replications - 1));
  return Math.sqrt((replications - 1) / replications) * sd;
}
