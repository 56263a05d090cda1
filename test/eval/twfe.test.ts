/**
 * The TWFE estimator against a dense dummy-variable OLS solved here with a plain dense solver (to 1e-8),
 * on generated panels and on a real one, and against R's estimatr::lm_robust on the real panel (to 1e-6).
 */
import { describe, expect, it } from 'vitest';
import { ConvergenceError, demean, eventStudy, twfe, type Panel } from '../../src/eval/twfe.js';
import { tQuantile } from '../../src/eval/distributions.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';
import { haveEstimatr, lmRobust } from './r-estimatr.js';
import { columns, denseOls, fixestK, generated } from './twfe-reference.js';

describe('TWFE by alternating projections', () => {
  for (const [name, seed, drop] of [
    ['a balanced generated panel', 1, 0],
    ['an unbalanced generated panel', 2, 0.15],
  ] as const) {
    it(`equals dense dummy-variable OLS on ${name}, coefficients and CR1 SEs to 1e-8`, () => {
      const { panel, first } = generated(seed, 24, 14, drop);
      const es = eventStudy(panel, first, { leads: 3, lags: 4, tolerance: 1e-14 });
      const dense = denseOls(
        panel,
        columns(panel, first, es.relative, 3, 4),
        fixestK(panel, es.relative.length),
      );
      for (let a = 0; a < es.relative.length; a++) {
        expect(Math.abs(es.coefficients[a]! - dense.beta[a]!)).toBeLessThan(1e-8);
        expect(Math.abs(es.se[a]! - dense.se[a]!)).toBeLessThan(1e-8);
      }
      expect(es.relative).toEqual([-3, -2, 0, 1, 2, 3, 4]);
      expect(es.demeaning.every((d) => d.converged)).toBe(true);
    });
  }

  it('clusters by a coarser unit (states over municipalities) with the same sandwich', () => {
    const { panel, first } = generated(3, 30, 10, 0.1);
    const clustered: Panel = { ...panel, cluster: Int32Array.from(panel.unit, (u) => Math.floor(u / 5)) };
    const es = eventStudy(clustered, first, { leads: 2, lags: 2, tolerance: 1e-14 });
    const dense = denseOls(
      clustered,
      columns(clustered, first, es.relative, 2, 2),
      fixestK(clustered, es.relative.length),
    );
    expect(es.clusters).toBe(6);
    for (let a = 0; a < es.relative.length; a++) {
      expect(Math.abs(es.coefficients[a]! - dense.beta[a]!)).toBeLessThan(1e-8);
      expect(Math.abs(es.se[a]! - dense.se[a]!)).toBeLessThan(1e-8);
    }
  });

  it('counts the unit effects in K when clusters cut across units, as fixest does', () => {
    const { panel, first } = generated(4, 20, 10);
    // Clusters by period parity: every unit's rows fall in two clusters, so unit effects are not nested.
    const crossed: Panel = { ...panel, cluster: Int32Array.from(panel.period, (t) => t % 2) };
    const x = [
      Float64Array.from(crossed.y, (_, i) => Math.cos(3 * i) + (first[crossed.unit[i]!]! >= 0 ? 1 : 0)),
    ];
    const fit = twfe(crossed, x, { tolerance: 1e-14 });
    expect(fit.dfK).toBe(1 + 1 + (10 - 1) + (20 - 1));
    const dense = denseOls(crossed, x, fixestK(crossed, 1));
    expect(Math.abs(fit.se[0]! - dense.se[0]!)).toBeLessThan(1e-10);
    // fixest's documented example: y ~ x | fe1 + fe2, fe1 with 3 levels, fe2 with 5, clustered by fe1.
    const fe1 = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    const fe2 = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4];
    const example: Panel = {
      unit: Int32Array.from(fe1),
      period: Int32Array.from(fe2),
      y: Float64Array.from({ length: 10 }, (_, i) => Math.sin(i + 1) + fe1[i]! - 0.5 * fe2[i]!),
      units: 3,
      periods: 5,
    };
    const xs = [Float64Array.from({ length: 10 }, (_, i) => Math.cos(3 * i))];
    expect(twfe(example, xs, { tolerance: 1e-14 }).dfK).toBe(1 + 5);
  });

  it('counts repeated events per unit (Schmidheiny–Siegloch) and equals the dense OLS on count columns', () => {
    const { panel } = generated(5, 24, 14, 0.1);
    // Units with none, one or two events, some before or after the panel (they enter through the bins).
    const events = Array.from({ length: panel.units }, (_, u) =>
      u % 4 === 0 ? [] : u % 4 === 1 ? [3 + (u % 5)] : u % 4 === 2 ? [-2, 6 + (u % 4)] : [2, 9, 16],
    );
    const es = eventStudy(panel, events, { leads: 3, lags: 4, tolerance: 1e-14 });
    const counts = es.relative.map((r) =>
      Float64Array.from(
        panel.y,
        (_, i) =>
          events[panel.unit[i]!]!.filter((f) => Math.min(4, Math.max(-3, panel.period[i]! - f)) === r).length,
      ),
    );
    expect(Math.max(...counts.map((c) => Math.max(...c)))).toBe(2);
    const dense = denseOls(panel, counts, fixestK(panel, es.relative.length));
    for (let a = 0; a < es.relative.length; a++) {
      expect(Math.abs(es.coefficients[a]! - dense.beta[a]!)).toBeLessThan(1e-8);
      expect(Math.abs(es.se[a]! - dense.se[a]!)).toBeLessThan(1e-8);
    }
    // With at most one event per unit inside the panel, the lists give the first-treatment estimate.
    const { first } = generated(5, 24, 14, 0.1);
    const single = Array.from(first, (f) => (f >= 0 ? [f] : []));
    expect(eventStudy(panel, single, { leads: 3, lags: 4 }).coefficients).toEqual(
      eventStudy(panel, first, { leads: 3, lags: 4 }).coefficients,
    );
  });

  it('reports a demeaning that does not converge instead of returning it', () => {
    const { panel } = generated(4, 20, 10, 0.3);
    const x = Float64Array.from(panel.y);
    expect(() => demean(panel, x, { maxIterations: 1, tolerance: 1e-16 })).toThrow(ConvergenceError);
  });
});

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const EVENTS = sharedFile('events/interventions.csv');

/** State × year log(1 + homicides), 2000–2022, from the raw file; first treated = the first state operation. */
async function realPanel() {
  const sums = new Map<string, number>();
  for (const line of (await sharedLines(STATE!)).slice(1)) {
    const [code, year, , homicides] = line.split('|');
    sums.set(`${code}|${year}`, (sums.get(`${code}|${year}`) ?? 0) + Number(homicides));
  }
  const firstYear = new Map<number, number>();
  for (const line of (await sharedLines(EVENTS!)).slice(1)) {
    const f = line.split(',');
    if (f[1] !== 'military_operation' || f[4] !== 'state') continue;
    for (const code of f[5]!.split(';')) {
      const u = Number(code) - 1;
      const y = Number(f[3]!.slice(0, 4)) - 2000;
      firstYear.set(u, Math.min(firstYear.get(u) ?? y, y));
    }
  }
  const unit: number[] = [];
  const period: number[] = [];
  const y: number[] = [];
  for (let s = 1; s <= 32; s++)
    for (let year = 2000; year <= 2022; year++) {
      unit.push(s - 1);
      period.push(year - 2000);
      y.push(Math.log1p(sums.get(`${String(s).padStart(2, '0')}|${year}`)!));
    }
  const panel: Panel = {
    unit: Int32Array.from(unit),
    period: Int32Array.from(period),
    y: Float64Array.from(y),
    units: 32,
    periods: 23,
  };
  const first = Int32Array.from({ length: 32 }, (_, u) => firstYear.get(u) ?? -1);
  return { panel, first };
}

(STATE && EVENTS ? describe : describe.skip)(
  'TWFE on a real panel: state homicides and the 2006–2009 operations',
  () => {
    it('equals dense dummy-variable OLS to 1e-8', async () => {
      const { panel, first } = await realPanel();
      expect([...first].filter((f) => f >= 0).length).toBeGreaterThan(5);
      const es = eventStudy(panel, first, { leads: 4, lags: 6, tolerance: 1e-14 });
      const dense = denseOls(
        panel,
        columns(panel, first, es.relative, 4, 6),
        fixestK(panel, es.relative.length),
      );
      for (let a = 0; a < es.relative.length; a++) {
        expect(Math.abs(es.coefficients[a]! - dense.beta[a]!)).toBeLessThan(1e-8);
        expect(Math.abs(es.se[a]! - dense.se[a]!)).toBeLessThan(1e-8);
      }
      expect(es.pretrend.df).toBe(3);
      expect(es.pretrend.p).toBeGreaterThan(0);
      expect(es.pretrend.p).toBeLessThanOrEqual(1);
    });

    const haveR = haveEstimatr();
    (haveR ? it : it.skip)('equals R estimatr::lm_robust on the same panel to 1e-6', async () => {
      const { panel, first } = await realPanel();
      const es = eventStudy(panel, first, { leads: 4, lags: 6, tolerance: 1e-14 });
      const cols = columns(panel, first, es.relative, 4, 6);
      const names = es.relative.map((r) => (r < 0 ? `m${-r}` : `p${r}`));
      // estimatr's "stata" CR1 counts every fixed effect in K; Marco counts only those not nested in the
      // clusters (as fixest does), so the SEs differ by a known factor, applied here.
      const n = panel.y.length;
      const kR = es.relative.length + panel.units + panel.periods - 1;
      const rescale = Math.sqrt((n - fixestK(panel, es.relative.length)) / (n - kR));
      const r = await lmRobust(
        panel,
        names,
        cols,
        `# The pre-trend Wald test on Marco's variance (estimatr's divided by the K rescale squared), as F(q, G - 1).
pre <- grep("^m", names(coef(f)))
V <- vcov(f)[pre, pre] / ${rescale.toPrecision(17)}^2
b <- coef(f)[pre]
W <- as.numeric(t(b) %*% solve(V) %*% b)
G <- length(unique(d$unit))
cat(sprintf("%.17g", c(W / length(pre), pf(W / length(pre), length(pre), G - 1, lower.tail = FALSE), G - 1)), "\\n")`,
      );
      for (let a = 0; a < es.relative.length; a++) {
        expect(Math.abs(es.coefficients[a]! - r.coef[a]!)).toBeLessThan(1e-6);
        expect(Math.abs(es.se[a]! * rescale - r.se[a]!)).toBeLessThan(1e-6);
      }
      // Intervals with Student's t and G − 1 degrees of freedom, as estimatr gives them (on its SEs).
      const G = es.clusters;
      expect(r.df.every((df) => df === G - 1)).toBe(true);
      const critical = tQuantile(0.975, G - 1);
      for (let a = 0; a < es.relative.length; a++) {
        expect(Math.abs(es.coefficients[a]! - critical * es.se[a]! * rescale - r.low[a]!)).toBeLessThan(1e-6);
        expect(Math.abs(es.coefficients[a]! + critical * es.se[a]! * rescale - r.high[a]!)).toBeLessThan(
          1e-6,
        );
      }
      // The pre-trend test as F(q, G − 1), statistic and p-value, with the χ² version beside it.
      const [rF, rP, rDf2] = r.extra[0]!;
      expect(es.pretrend.f!.df2).toBe(rDf2);
      expect(es.pretrend.f!.df1).toBe(es.relative.filter((r) => r < 0).length);
      expect(Math.abs(es.pretrend.f!.statistic - rF!)).toBeLessThan(1e-6);
      expect(Math.abs(es.pretrend.f!.p - rP!)).toBeLessThan(1e-6);
      expect(es.pretrend.statistic).toBeCloseTo(rF! * es.pretrend.df, 6);
      // With 32 clusters the t interval is wider than the normal one: 2.0395 against 1.96.
      expect(critical).toBeGreaterThan(2.03);
    });
  },
);
