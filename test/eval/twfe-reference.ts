/**
 * References for the TWFE tests, written from the method's definition rather than from src/eval/twfe.ts:
 * a dense dummy-variable OLS with its CR1 sandwich, fixest's small-sample K from its documentation,
 * generated staggered panels and the event-study indicator columns.
 * @module
 */
import { invertSpd } from '../../src/eval/linalg.js';
import type { Panel } from '../../src/eval/twfe.js';
import { prng } from '../../src/eval/random.js';

/** Dense OLS of y on [xs, unit dummies, period dummies but the first], with the same CR1 sandwich. */
export function denseOls(panel: Panel, xs: Float64Array[], dfK: number) {
  const n = panel.y.length;
  const cols: Float64Array[] = [...xs];
  for (let u = 0; u < panel.units; u++) cols.push(Float64Array.from(panel.unit, (x) => (x === u ? 1 : 0)));
  for (let t = 1; t < panel.periods; t++)
    cols.push(Float64Array.from(panel.period, (x) => (x === t ? 1 : 0)));
  const p = cols.length;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    for (let i = 0; i < n; i++) xty[a]! += cols[a]![i]! * panel.y[i]!;
    for (let b = 0; b < p; b++) for (let i = 0; i < n; i++) xtx[a * p + b]! += cols[a]![i]! * cols[b]![i]!;
  }
  const inv = invertSpd(xtx, p);
  const beta = Array.from({ length: p }, (_, a) =>
    cols.reduce((s, _c, b) => s + inv[a * p + b]! * xty[b]!, 0),
  );
  const u = Float64Array.from(panel.y, (yi, i) => yi - cols.reduce((s, c, b) => s + beta[b]! * c[i]!, 0));
  const cluster = panel.cluster ?? panel.unit;
  const groups = new Set(cluster).size;
  const scores = Array.from({ length: groups }, () => new Float64Array(p));
  for (let i = 0; i < n; i++) for (let a = 0; a < p; a++) scores[cluster[i]!]![a]! += cols[a]![i]! * u[i]!;
  const k = xs.length;
  const factor = (groups / (groups - 1)) * ((n - 1) / (n - dfK));
  // (X'X)⁻¹ meat (X'X)⁻¹ over the first k columns: Σ_g (row a of (X'X)⁻¹ · s_g)(row b of (X'X)⁻¹ · s_g).
  const projected = scores.map((s) =>
    Array.from({ length: k }, (_, a) => s.reduce((sum, sb, b) => sum + inv[a * p + b]! * sb, 0)),
  );
  const vcov = Array.from({ length: k * k }, (_, ab) => {
    const a = Math.floor(ab / k);
    const b = ab % k;
    return factor * projected.reduce((sum, r) => sum + r[a]! * r[b]!, 0);
  });
  const se = Array.from({ length: k }, (_, a) => Math.sqrt(vcov[a * k + a]!));
  return { beta: beta.slice(0, k), se, vcov };
}

/**
 * fixest's default small-sample K (`ssc(fixef.K = "nested")`), written out from its documentation rather
 * than read from the code under test: the regressors, 1 (the constant the fixed effects absorb), and
 * levels − 1 of every fixed effect not nested in the clusters. Periods are never nested in clusters of
 * units; units are nested when each unit's rows fall in one cluster (always, when clustering by unit).
 */
export function fixestK(panel: Panel, k: number): number {
  const clusterOf = new Map<number, number>();
  let unitsNested = true;
  const cluster = panel.cluster ?? panel.unit;
  for (let i = 0; i < panel.y.length; i++) {
    const seen = clusterOf.get(panel.unit[i]!);
    if (seen === undefined) clusterOf.set(panel.unit[i]!, cluster[i]!);
    else if (seen !== cluster[i]) unitsNested = false;
  }
  const levels = (xs: Int32Array) => new Set(xs).size;
  return k + 1 + (levels(panel.period) - 1) + (unitsNested ? 0 : levels(panel.unit) - 1);
}

/** A staggered panel with unit and period effects and a treatment effect growing with exposure. */
export function generated(seed: number, units: number, periods: number, drop = 0) {
  const random = prng(seed);
  const first = Int32Array.from({ length: units }, (_, u) =>
    u % 3 === 0 ? -1 : 2 + ((u * 7) % (periods - 4)),
  );
  const alpha = Array.from({ length: units }, () => random() * 10);
  const gamma = Array.from({ length: periods }, () => random() * 5);
  const unit: number[] = [];
  const period: number[] = [];
  const y: number[] = [];
  for (let u = 0; u < units; u++)
    for (let t = 0; t < periods; t++) {
      if (random() < drop) continue;
      const e = first[u]! >= 0 && t >= first[u]! ? 1 + 0.5 * (t - first[u]!) : 0;
      unit.push(u);
      period.push(t);
      y.push(alpha[u]! + gamma[t]! + e + (random() - 0.5) * 2);
    }
  const panel: Panel = {
    unit: Int32Array.from(unit),
    period: Int32Array.from(period),
    y: Float64Array.from(y),
    units,
    periods,
  };
  return { panel, first };
}

/** The event-study indicator columns, as eventStudy builds them, for the dense comparison. */
export function columns(panel: Panel, first: Int32Array, relative: number[], leads: number, lags: number) {
  return relative.map((r) =>
    Float64Array.from(panel.y, (_, i) => {
      const f = first[panel.unit[i]!]!;
      return f >= 0 && Math.min(lags, Math.max(-leads, panel.period[i]! - f)) === r ? 1 : 0;
    }),
  );
}
