/**
 * Jackknife and bootstrap standard errors of synthetic DiD (`resampling.ts`), on the real state panel's
 * 2007 cohort (eight treated states): each replication equals the estimator run afresh, with the fitted
 * weights kept and renormalised, on the panel with the unit left out or the units drawn (a dense
 * reference built here from the rows); the bootstrap's draws are R's `sample(N, replace = TRUE)` from the
 * seed; both are undefined with one treated unit.
 */
import { describe, expect, it } from 'vitest';
import { rRandom } from '../../../src/eval/r-random.js';
import { bootstrapSe, jackknifeSe } from '../../../src/eval/synth/resampling.js';
import { synthEstimate, type BlockPanel, type SynthMethod } from '../../../src/eval/synth/synthdid.js';
import { EVENTS, POP, STATE, statePanel } from '../state-panel.js';

/** The block of `rows` of `p` (repeats allowed), controls first, and the estimate with the weights kept. */
function afresh(
  p: BlockPanel,
  fitted: { omega: Float64Array; lambda: Float64Array },
  rows: number[],
  method: SynthMethod,
) {
  const sorted = [...rows].sort((a, b) => a - b);
  const controls = sorted.filter((i) => i < p.controls);
  const y = new Float64Array(sorted.length * p.periods);
  sorted.forEach((i, r) => y.set(p.y.subarray(i * p.periods, (i + 1) * p.periods), r * p.periods));
  const raw = Float64Array.from(controls, (i) => fitted.omega[i]!);
  const sum = raw.reduce((a, v) => a + v, 0);
  const omega = sum !== 0 ? raw.map((v) => v / sum) : raw.map(() => 1 / raw.length);
  const block = { y, units: sorted.length, periods: p.periods, controls: controls.length, pre: p.pre };
  return synthEstimate(block, method, { omega, lambda: fitted.lambda }).estimate;
}

(STATE && POP && EVENTS ? describe : describe.skip)('jackknife and bootstrap standard errors', () => {
  it('equal the spread of the estimator run afresh on each left-out or drawn panel', async () => {
    const raw = await statePanel(STATE!, POP!, EVENTS!);
    const g = 6; // 2007: eight states
    const donors = [...raw.group.keys()].filter((i) => raw.group[i]! < 0);
    const treated = [...raw.group.keys()].filter((i) => raw.group[i] === g);
    expect(treated).toHaveLength(8);
    const rows = [...donors, ...treated];
    const y = new Float64Array(rows.length * raw.periods);
    rows.forEach((u, i) => y.set(raw.y.subarray(u * raw.periods, (u + 1) * raw.periods), i * raw.periods));
    const p: BlockPanel = { y, units: rows.length, periods: raw.periods, controls: donors.length, pre: g };
    for (const method of ['sdid', 'sc', 'did'] as SynthMethod[]) {
      const fitted = synthEstimate(p, method);
      const all = [...Array(p.units).keys()];
      const u = all.map((left) =>
        afresh(
          p,
          fitted,
          all.filter((i) => i !== left),
          method,
        ),
      );
      const n = u.length;
      const mean = u.reduce((a, v) => a + v, 0) / n;
      const jack = Math.sqrt(((n - 1) / n) * u.reduce((a, v) => a + (v - mean) ** 2, 0));
      expect(jackknifeSe(p, fitted), method).toBeCloseTo(jack, 10);
      // The bootstrap: R's draws, a draw without a treated unit or a control drawn again.
      const draw = rRandom(11).sampleReplace;
      const boots: number[] = [];
      while (boots.length < 50) {
        const sample = draw(p.units);
        if (sample.every((i) => i < p.controls) || sample.every((i) => i >= p.controls)) continue;
        boots.push(afresh(p, fitted, sample, method));
      }
      const bm = boots.reduce((a, v) => a + v, 0) / 50;
      const bse = Math.sqrt((49 / 50) * (boots.reduce((a, v) => a + (v - bm) ** 2, 0) / 49));
      expect(bootstrapSe(p, fitted, 50, rRandom(11).sampleReplace), method).toBeCloseTo(bse, 10);
    }
    // One treated unit: neither is defined.
    const one: BlockPanel = { ...p, units: p.controls + 1, y: p.y.subarray(0, (p.controls + 1) * p.periods) };
    const fitted = synthEstimate(one, 'sdid');
    expect(jackknifeSe(one, fitted)).toBeUndefined();
    expect(bootstrapSe(one, fitted, 50, rRandom(1).sampleReplace)).toBeUndefined();
  });
});
