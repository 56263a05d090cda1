/**
 * Callaway and Sant'Anna's ATT(g,t) cells: for every cohort g and period t, a 2×2 comparison of the
 * cohort's change since its base period with the controls' (never-treated units, or also those not yet
 * treated at t), and its influence function over the panel's units. Without covariates a comparison is
 * a difference of means; with covariates it is the doubly robust estimator of Sant'Anna and Zhao (2020).
 * A unit missing either period of a comparison sits that comparison out, so panels need not be balanced.
 * @module
 */
import type { AttGT, CsPanel } from './cs-panel.js';
import { SingularError } from '../linalg.js';
import { design, doublyRobust, type Design } from './doubly-robust.js';
import { EstimationError } from './estimation-error.js';
import { LogitError } from './logit.js';

/** Covariates of the units (row-major, `k` per unit), fixed in time: the doubly robust estimator. */
export interface Covariates {
  values: Float64Array;
  k: number;
}

export interface CellOptions {
  control: 'never' | 'notyet';
  covariates?: Covariates | undefined;
  /** The panel's period labels, for the messages. */
  labels?: string[] | undefined;
}

export interface Cells {
  attgt: AttGT[];
  /** Each cell's influence function over the units, scaled so that its standard error is sqrt(Σψ²)/n. */
  influence: Float64Array[];
  /** Controls the doubly robust estimator's trimming left out, summed over the cells. */
  trimmed: number;
}

/**
 * The covariates with a column of ones in front, each other column centred and scaled: the estimates are
 * the same for any affine change of a covariate, and the fits are better conditioned. A covariate that
 * does not vary is refused.
 */
export function designMatrix(c: Covariates, units: number): Float64Array {
  const k = c.k + 1;
  const x = new Float64Array(units * k);
  for (let j = 0; j < c.k; j++) {
    let mean = 0;
    for (let u = 0; u < units; u++) mean += c.values[u * c.k + j]!;
    mean /= units;
    let sd = 0;
    for (let u = 0; u < units; u++) sd += (c.values[u * c.k + j]! - mean) ** 2;
    sd = Math.sqrt(sd / units);
    if (!(sd > 1e-12 * Math.max(1, Math.abs(mean))))
      throw new EstimationError({ key: 'validation.panel.covariateConstant', values: { covariate: j + 1 } });
    for (let u = 0; u < units; u++) x[u * k + j + 1] = (c.values[u * c.k + j]! - mean) / sd;
  }
  for (let u = 0; u < units; u++) x[u * k] = 1;
  return x;
}

/** Every ATT(g,t) with its influence function; see the module documentation. */
export function attCells(panel: CsPanel, group: Int32Array, options: CellOptions): Cells {
  const { control } = options;
  const { units, periods, y } = panel;
  const cohorts = [...new Set(group)].filter((g) => g > 0 && g < periods).sort((a, b) => a - b);
  const x = options.covariates ? designMatrix(options.covariates, units) : undefined;
  const k = options.covariates ? options.covariates.k + 1 : 0;
  const label = (t: number) => options.labels?.[t] ?? String(t);
  const attgt: AttGT[] = [];
  const influence: Float64Array[] = [];
  let trimmed = 0;
  const members: number[] = [];
  const delta = new Float64Array(units);
  // The propensity score and the regressions' matrices read the units and their covariates, not the
  // outcome: comparisons of one cohort with the same units (never-treated controls on a balanced panel:
  // all of its periods) share one design. Only each cohort's last one is kept: sharing comes from
  // neighbouring periods, and a municipal monthly panel with holes would otherwise hold one per comparison.
  const designs = new Map<number, { key: string; design: Design }>();
  for (const g of cohorts) {
    for (let t = 1; t < periods; t++) {
      // Varying base period (R did's default): g−1 after treatment, t−1 before it.
      const base = t >= g ? g - 1 : t - 1;
      const isControl = (u: number) =>
        control === 'never'
          ? group[u] === -1
          : group[u] === -1 || (group[u]! > Math.max(t, base) && group[u] !== g);
      let sumT = 0;
      let nT = 0;
      let sumC = 0;
      let nC = 0;
      members.length = 0;
      for (let u = 0; u < units; u++) {
        const treated = group[u] === g;
        if (!treated && !isControl(u)) continue;
        const d = y[u * periods + t]! - y[u * periods + base]!;
        if (Number.isNaN(d)) continue;
        delta[u] = d;
        members.push(u);
        if (treated) {
          sumT += d;
          nT++;
        } else {
          sumC += d;
          nC++;
        }
      }
      if (nT === 0 || nC === 0) continue;
      const psi = new Float64Array(units);
      let att: number;
      if (x) {
        const dr = comparison(members, group, g, delta, x, k, designs, {
          cohort: label(g),
          period: label(t),
        });
        att = dr.att;
        trimmed += dr.trimmed;
        // DRDID's influence function is over the comparison's units; did scales it by n / n₁.
        const scale = units / members.length;
        members.forEach((u, i) => (psi[u] = dr.psi[i]! * scale));
      } else {
        const muT = sumT / nT;
        const muC = sumC / nC;
        att = muT - muC;
        for (const u of members)
          psi[u] = group[u] === g ? ((delta[u]! - muT) * units) / nT : (-(delta[u]! - muC) * units) / nC;
      }
      attgt.push({ group: g, period: t, event: t - g, att, se: 0, treated: nT, controls: nC });
      influence.push(psi);
    }
  }
  if (attgt.length === 0) throw new EstimationError({ key: 'validation.panel.noComparison', values: {} });
  return { attgt, influence, trimmed };
}

/** One comparison by the doubly robust estimator; a fit that fails names its cohort and period. */
function comparison(
  members: number[],
  group: Int32Array,
  g: number,
  delta: Float64Array,
  x: Float64Array,
  k: number,
  designs: Map<number, { key: string; design: Design }>,
  where: { cohort: string; period: string },
) {
  const n = members.length;
  const dy = Float64Array.from(members, (u) => delta[u]!);
  const key = `${g}:${members.join(',')}`;
  try {
    let shared = designs.get(g)?.key === key ? designs.get(g)!.design : undefined;
    if (!shared) {
      const d = Uint8Array.from(members, (u) => (group[u] === g ? 1 : 0));
      const controls = n - d.reduce((s, v) => s + v, 0);
      if (controls <= k)
        throw new EstimationError({
          key: 'validation.panel.covariateControls',
          values: { ...where, controls, covariates: k - 1 },
        });
      const sub = new Float64Array(n * k);
      members.forEach((u, i) => sub.set(x.subarray(u * k, u * k + k), i * k));
      shared = design(d, sub, n, k);
      designs.set(g, { key, design: shared });
    }
    return doublyRobust(dy, shared);
  } catch (error) {
    if (error instanceof LogitError)
      throw new EstimationError({ key: `validation.panel.propensity.${error.reason}`, values: where });
    if (error instanceof SingularError)
      throw new EstimationError({ key: 'validation.panel.covariateCollinear', values: where });
    throw error;
  }
}
