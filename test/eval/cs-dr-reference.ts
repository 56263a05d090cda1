/**
 * A dense reference for the doubly robust Callaway–Sant'Anna tests, written from Sant'Anna and Zhao
 * (2020) and R's `DRDID::drdid_panel` in matrix form rather than from src/eval/cs/: arrays of rows, a
 * Gauss–Jordan inverse, a logistic regression by a fixed number of Newton steps on the raw covariates (no
 * centring or scaling), and the influence function as the products of matrices R writes. Also the
 * planted-effect panel the tests share: treatment more likely, and trends steeper, where a covariate is
 * higher, so that only the covariates make the trends parallel.
 * @module
 */
import type { CsPanel } from '../../src/eval/cs/cs-panel.js';
import { prng } from '../../src/eval/random.js';

type Matrix = number[][];

const transpose = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));
const multiply = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => s + v * b[p]![j]!, 0)));
const column = (v: number[]): Matrix => v.map((x) => [x]);
const colMeans = (a: Matrix): number[] =>
  a[0]!.map((_, j) => a.reduce((s, row) => s + row[j]!, 0) / a.length);
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
/** Each row of `a` times the matching entry of `w` (R's `w * a` for a vector and a matrix). */
const scaleRows = (w: number[], a: Matrix): Matrix => a.map((row, i) => row.map((v) => w[i]! * v));

/** Gauss–Jordan with partial pivoting. */
export function inverse(a: Matrix): Matrix {
  const k = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const p = m[c]![c]!;
    m[c] = m[c]!.map((v) => v / p);
    for (let r = 0; r < k; r++)
      if (r !== c) {
        const f = m[r]![c]!;
        m[r] = m[r]!.map((v, j) => v - f * m[c]![j]!);
      }
  }
  return m.map((row) => row.slice(k));
}

/** glm(D ~ -1 + X, family = binomial): Newton steps from zero, and its fitted values and vcov. */
function glmLogit(x: Matrix, d: number[]): { fitted: number[]; vcov: Matrix } {
  let beta = x[0]!.map(() => 0);
  const fit = () => x.map((row) => 1 / (1 + Math.exp(-row.reduce((s, v, j) => s + v * beta[j]!, 0))));
  for (let iteration = 0; iteration < 60; iteration++) {
    const p = fit();
    const information = multiply(
      transpose(x),
      scaleRows(
        p.map((pi) => pi * (1 - pi)),
        x,
      ),
    );
    const score = multiply(transpose(x), column(d.map((di, i) => di - p[i]!)));
    const step = multiply(inverse(information), score);
    beta = beta.map((b, j) => b + step[j]![0]!);
  }
  const p = fit();
  const vcov = inverse(
    multiply(
      transpose(x),
      scaleRows(
        p.map((pi) => pi * (1 - pi)),
        x,
      ),
    ),
  );
  return { fitted: p, vcov };
}

/** drdid_panel(y1, y0, D, covariates), as R writes it: the ATT and its influence function. */
export function drdidPanel(deltaY: number[], D: number[], x: Matrix): { att: number; inf: number[] } {
  const n = D.length;
  const ps = glmLogit(x, D);
  const psFit = ps.fitted.map((p) => Math.min(p, 1 - 1e-6));
  const trim = psFit.map((p, i) => (D[i] === 1 ? 1 : p < 0.995 ? 1 : 0));
  // Outcome regression on the controls.
  const controls = D.map((d, i) => [d, i] as const)
    .filter(([d]) => d === 0)
    .map(([, i]) => i);
  const xc = controls.map((i) => x[i]!);
  const yc = controls.map((i) => [deltaY[i]!]);
  const coefficients = multiply(inverse(multiply(transpose(xc), xc)), multiply(transpose(xc), yc));
  const outDelta = x.map((row) => row.reduce((s, v, j) => s + v * coefficients[j]![0]!, 0));
  const wTreat = D.map((d, i) => trim[i]! * d);
  const wCont = D.map((d, i) => (trim[i]! * psFit[i]! * (1 - d)) / (1 - psFit[i]!));
  const drTreat = wTreat.map((w, i) => w * (deltaY[i]! - outDelta[i]!));
  const drCont = wCont.map((w, i) => w * (deltaY[i]! - outDelta[i]!));
  const etaTreat = mean(drTreat) / mean(wTreat);
  const etaCont = mean(drCont) / mean(wCont);
  // Influence function, term by term.
  const weightsOls = D.map((d) => 1 - d);
  const wolsX = scaleRows(weightsOls, x);
  const wolsEX = scaleRows(
    weightsOls.map((w, i) => w * (deltaY[i]! - outDelta[i]!)),
    x,
  );
  const xpxInv = inverse(multiply(transpose(wolsX), x).map((row) => row.map((v) => v / n)));
  const asyLinRepWols = multiply(wolsEX, xpxInv);
  const scorePs = scaleRows(
    D.map((d, i) => d - psFit[i]!),
    x,
  );
  // DRDID's Hessian: (X'WX)^-1 at the capped scores (glm's vcov when no score reached the cap).
  const hessianPs = psFit.some((p, i) => p !== ps.fitted[i])
    ? inverse(
        multiply(
          transpose(x),
          scaleRows(
            psFit.map((pi) => pi * (1 - pi)),
            x,
          ),
        ),
      ).map((row) => row.map((v) => v * n))
    : ps.vcov.map((row) => row.map((v) => v * n));
  const asyLinRepPs = multiply(scorePs, hessianPs);
  const infTreat1 = drTreat.map((v, i) => v - wTreat[i]! * etaTreat);
  const m1 = colMeans(scaleRows(wTreat, x));
  const infTreat2 = multiply(asyLinRepWols, column(m1)).map((r) => r[0]!);
  const infTreat = infTreat1.map((v, i) => (v - infTreat2[i]!) / mean(wTreat));
  const infCont1 = drCont.map((v, i) => v - wCont[i]! * etaCont);
  const m2 = colMeans(
    scaleRows(
      wCont.map((w, i) => w * (deltaY[i]! - outDelta[i]! - etaCont)),
      x,
    ),
  );
  const infCont2 = multiply(asyLinRepPs, column(m2)).map((r) => r[0]!);
  const m3 = colMeans(scaleRows(wCont, x));
  const infCont3 = multiply(asyLinRepWols, column(m3)).map((r) => r[0]!);
  const infControl = infCont1.map((v, i) => (v + infCont2[i]! - infCont3[i]!) / mean(wCont));
  return { att: etaTreat - etaCont, inf: infTreat.map((v, i) => v - infControl[i]!) };
}

export interface ReferenceCell {
  group: number;
  period: number;
  att: number;
  /** Over the panel's units, scaled by n / n₁ as R's did does. */
  psi: number[];
}

/** Every ATT(g,t) of the doubly robust Callaway–Sant'Anna, from {@link drdidPanel}. */
export function drReference(
  panel: CsPanel,
  covariates: number[][],
  control: 'never' | 'notyet',
): ReferenceCell[] {
  const { units: n, periods: T, y, group } = panel;
  const cohorts = [...new Set(group)].filter((g) => g > 0 && g < T).sort((a, b) => a - b);
  const cells: ReferenceCell[] = [];
  for (const g of cohorts)
    for (let t = 1; t < T; t++) {
      const base = t < g ? t - 1 : g - 1;
      const change = (u: number) => y[u * T + t]! - y[u * T + base]!;
      const sample = Array.from({ length: n }, (_, u) => u).filter(
        (u) =>
          !Number.isNaN(change(u)) &&
          (group[u] === g ||
            group[u] === -1 ||
            (control === 'notyet' && group[u] !== g && group[u]! > Math.max(t, base))),
      );
      const D = sample.map((u) => (group[u] === g ? 1 : 0));
      if (!D.includes(1) || !D.includes(0)) continue;
      const x = sample.map((u) => [1, ...covariates[u]!]);
      const { att, inf } = drdidPanel(
        sample.map((u) => change(u)),
        D,
        x,
      );
      const psi = new Array<number>(n).fill(0);
      sample.forEach((u, i) => (psi[u] = (inf[i]! * n) / sample.length));
      cells.push({ group: g, period: t, att, psi });
    }
  return cells;
}

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * The planted-effect panel: `units` units over 8 periods, two covariates; the chance of treatment, and
 * the trend, rise with the first (by `selection` on the log-odds); cohorts 3, 5 and 6; the effect is 1 + 0.5 per period
 * since treatment. `missing` cells are removed at fixed places (an unbalanced panel).
 */
export function plantedPanel(
  units: number,
  seed: number,
  missing = 0,
  selection = 0.9,
): { panel: CsPanel; covariates: number[][]; effect: (g: number, t: number) => number } {
  const periods = 8;
  const random = prng(seed);
  const covariates = Array.from({ length: units }, () => [normal(random), random() < 0.4 ? 1 : 0]);
  const group = new Int32Array(units).fill(-1);
  covariates.forEach(([x1], u) => {
    const p = 1 / (1 + Math.exp(-(-0.4 + selection * x1!)));
    if (random() < p) {
      const r = random();
      group[u] = r < 0.4 ? 3 : r < 0.75 ? 5 : 6;
    }
  });
  const effect = (g: number, t: number) => (g > 0 && t >= g ? 1 + 0.5 * (t - g) : 0);
  const y = new Float64Array(units * periods);
  for (let u = 0; u < units; u++) {
    const [x1, x2] = covariates[u]!;
    const level = 2 + normal(random);
    for (let t = 0; t < periods; t++)
      y[u * periods + t] =
        level + 0.3 * t + 0.6 * x1! * t + 0.25 * x2! * t + effect(group[u]!, t) + 0.5 * normal(random);
  }
  for (let m = 0; m < missing; m++) y[((m * 7 + 3) % units) * periods + ((m * 3) % periods)] = Number.NaN;
  return { panel: { units, periods, y, group }, covariates, effect };
}

/**
 * One 2×2 comparison where DRDID's trimming and cap act: 300 units whose chance of treatment rises
 * steeply with the first covariate, and five placed at its far end (three controls, whose scores reach
 * 0.995, and two treated, whose scores reach the cap of 1 − 1e-6).
 */
export function trimmedComparison(seed: number): {
  x: number[][];
  d: number[];
  dy: number[];
  /** The same as doublyRobust's arguments, in order. */
  args: [Float64Array, Uint8Array, Float64Array, number, number];
} {
  const random = prng(seed);
  const x: number[][] = [];
  const d: number[] = [];
  const dy: number[] = [];
  for (let i = 0; i < 300; i++) {
    const x1 = normal(random) * 1.6;
    const x2 = random() < 0.5 ? 1 : 0;
    const di = random() < 1 / (1 + Math.exp(-(1.5 + 2.5 * x1 + 0.5 * x2))) ? 1 : 0;
    x.push([1, x1, x2]);
    d.push(di);
    dy.push(0.5 + 0.7 * x1 + 0.3 * x2 * x1 + di + normal(random));
  }
  for (const [x1, di] of [
    [2.6, 0],
    [3.0, 0],
    [3.3, 0],
    [6.0, 1],
    [6.5, 1],
  ] as const) {
    x.push([1, x1, 1]);
    d.push(di);
    dy.push(0.5 + x1 + di + normal(random));
  }
  return {
    x,
    d,
    dy,
    args: [Float64Array.from(dy), Uint8Array.from(d), Float64Array.from(x.flat()), d.length, 3],
  };
}
