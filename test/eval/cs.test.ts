/**
 * Callaway–Sant'Anna: each ATT(g,t) equals the 2×2 difference of means computed here on a real panel,
 * aggregations equal their weighted averages, a planted heterogeneous effect is recovered where a TWFE
 * event study is biased, and the bootstrap is reproducible.
 */
import { describe, expect, it } from 'vitest';
import { callawaySantAnna, qnorm, toLong } from '../../src/eval/cs.js';
import type { CsPanel } from '../../src/eval/cs/cs-panel.js';
import { randomizationInference } from '../../src/eval/cs/randomization.js';
import { eventStudy } from '../../src/eval/twfe.js';
import { prng } from '../../src/eval/random.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const EVENTS = sharedFile('events/interventions.csv');

async function realPanel(): Promise<CsPanel> {
  const sums = new Map<string, number>();
  for (const line of (await sharedLines(STATE!)).slice(1)) {
    const [code, year, , homicides] = line.split('|');
    sums.set(`${code}|${year}`, (sums.get(`${code}|${year}`) ?? 0) + Number(homicides));
  }
  const group = new Int32Array(32).fill(-1);
  for (const line of (await sharedLines(EVENTS!)).slice(1)) {
    const f = line.split(',');
    if (f[1] !== 'military_operation' || f[4] !== 'state') continue;
    for (const code of f[5]!.split(';')) {
      const u = Number(code) - 1;
      const t = Number(f[3]!.slice(0, 4)) - 2000;
      group[u] = group[u] === -1 ? t : Math.min(group[u]!, t);
    }
  }
  const y = new Float64Array(32 * 23);
  for (let s = 0; s < 32; s++)
    for (let t = 0; t < 23; t++)
      y[s * 23 + t] = Math.log1p(sums.get(`${String(s + 1).padStart(2, '0')}|${2000 + t}`)!);
  return { units: 32, periods: 23, y, group };
}

(STATE && EVENTS ? describe : describe.skip)('Callaway–Sant’Anna on the real state panel', () => {
  for (const control of ['never', 'notyet'] as const) {
    it(`each ATT(g,t) is the 2×2 difference of means (${control}-treated controls); aggregations are weighted averages`, async () => {
      const panel = await realPanel();
      const result = callawaySantAnna(panel, { control, draws: 199, seed: 7 });
      expect(result.attgt.length).toBeGreaterThan(20);
      const y = (u: number, t: number) => panel.y[u * panel.periods + t]!;
      for (const a of result.attgt) {
        const base = a.period >= a.group ? a.group - 1 : a.period - 1;
        const treated: number[] = [];
        const controls: number[] = [];
        for (let u = 0; u < panel.units; u++) {
          const g = panel.group[u]!;
          const d = y(u, a.period) - y(u, base);
          if (g === a.group) treated.push(d);
          else if (g === -1 || (control === 'notyet' && g > Math.max(a.period, base))) controls.push(d);
        }
        const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
        expect(Math.abs(a.att - (mean(treated) - mean(controls)))).toBeLessThan(1e-12);
        expect([a.treated, a.controls]).toEqual([treated.length, controls.length]);
      }
      // Simple: post-treatment cells weighted by cohort size; dynamic: by event time.
      const size = (g: number) => [...panel.group].filter((x) => x === g).length;
      const post = result.attgt.filter((a) => a.event >= 0);
      const wsum = post.reduce((s, a) => s + size(a.group), 0);
      expect(result.simple.att).toBeCloseTo(
        post.reduce((s, a) => s + (size(a.group) * a.att) / wsum, 0),
        12,
      );
      expect(result.dynamic.length).toBeGreaterThan(5);
      expect(result.byGroup.length).toBeGreaterThan(1);
      for (const d of result.dynamic) {
        const cells = result.attgt.filter((a) => a.event === d.event);
        const w = cells.reduce((s, a) => s + size(a.group), 0);
        expect(d.att).toBeCloseTo(
          cells.reduce((s, a) => s + (size(a.group) * a.att) / w, 0),
          12,
        );
        expect(d.se).toBeGreaterThan(0);
        expect(d.uniformUpper - d.uniformLower).toBeGreaterThanOrEqual(d.upper - d.lower - 1e-12);
      }
      for (const g of result.byGroup) {
        const cells = post.filter((a) => a.group === g.group);
        expect(g.att).toBeCloseTo(cells.reduce((s, a) => s + a.att, 0) / cells.length, 12);
      }
    });
  }

  it('has bootstrap standard errors that agree with the analytic ones of each 2×2 comparison', async () => {
    // The analytic variance of a difference of two means, written from the data here: the treated
    // units' and the controls' changes, each group's sum of squared deviations over its size squared
    // (what R did reports with bstrap = FALSE). The multiplier bootstrap estimates the same quantity.
    const panel = await realPanel();
    const result = callawaySantAnna(panel, { control: 'never', draws: 9999, seed: 11 });
    const y = (u: number, t: number) => panel.y[u * panel.periods + t]!;
    const ratios = result.attgt.map((a) => {
      const base = a.period >= a.group ? a.group - 1 : a.period - 1;
      const change = (u: number) => y(u, a.period) - y(u, base);
      const sumSq = (units: number[]) => {
        const mean = units.reduce((s, u) => s + change(u), 0) / units.length;
        return units.reduce((s, u) => s + (change(u) - mean) ** 2, 0) / units.length ** 2;
      };
      const units = Array.from({ length: panel.units }, (_, u) => u);
      const treated = units.filter((u) => panel.group[u] === a.group);
      const controls = units.filter((u) => panel.group[u] === -1);
      return a.se / Math.sqrt(sumSq(treated) + sumSq(controls));
    });
    expect(ratios.length).toBeGreaterThan(20);
    const sorted = [...ratios].sort((a, b) => a - b);
    // Monte Carlo error with 9,999 draws is about 2% per cell: the median within 3%, every cell within 6%.
    expect(Math.abs(sorted[sorted.length >> 1]! - 1)).toBeLessThan(0.03);
    expect(sorted[0]!).toBeGreaterThan(0.94);
    expect(sorted.at(-1)!).toBeLessThan(1.06);
  });

  it('reproduces its bootstrap from the seed', async () => {
    const panel = await realPanel();
    const a = callawaySantAnna(panel, { draws: 99, seed: 42 });
    const b = callawaySantAnna(panel, { draws: 99, seed: 42 });
    const c = callawaySantAnna(panel, { draws: 99, seed: 43 });
    expect(a.simple).toEqual(b.simple);
    expect(a.simple.se).not.toBe(c.simple.se);
    expect(a.simple.att).toBe(c.simple.att);
  });
});

describe('recovery of a planted heterogeneous effect', () => {
  // 300 units over 16 periods: cohorts first treated at 4, 7 and 10, and never-treated units. The effect
  // differs by cohort and grows with exposure: τ(g, e) = k_g · (1 + e), k = 3, 1.5, 0.5.
  function simulate() {
    let a = 12345;
    const random = () => {
      a = (a * 1103515245 + 12345) % 2147483648;
      return a / 2147483648;
    };
    const units = 300;
    const periods = 16;
    const cohorts = [4, 7, 10, -1];
    const k = new Map([
      [4, 3],
      [7, 1.5],
      [10, 0.5],
    ]);
    const group = Int32Array.from({ length: units }, (_, u) => cohorts[u % 4]!);
    const y = new Float64Array(units * periods);
    const alpha = Array.from({ length: units }, () => random() * 10);
    const gamma = Array.from({ length: periods }, (_, t) => Math.sin(t) * 2 + t * 0.3);
    for (let u = 0; u < units; u++)
      for (let t = 0; t < periods; t++) {
        const g = group[u]!;
        const effect = g > 0 && t >= g ? k.get(g)! * (1 + t - g) : 0;
        y[u * periods + t] = alpha[u]! + gamma[t]! + effect + (random() - 0.5) * 0.2;
      }
    // True dynamic effect at event e: the cohort-size-weighted average over cohorts observed at e.
    const truth = (e: number) => {
      const present = [4, 7, 10].filter((g) => g + e < periods);
      return present.reduce((s, g) => s + k.get(g)! * (1 + e), 0) / present.length;
    };
    return { panel: { units, periods, y, group } as CsPanel, truth };
  }

  it('CS recovers it, while the TWFE event study on the same data is biased', () => {
    const { panel, truth } = simulate();
    const cs = callawaySantAnna(panel, { draws: 199, seed: 1 });
    const csErrors = [0, 1, 2, 3, 4, 5].map((e) =>
      Math.abs(cs.dynamic.find((d) => d.event === e)!.att - truth(e)),
    );
    expect(Math.max(...csErrors)).toBeLessThan(0.05);
    // The pre-period estimates are zero: no planted anticipation.
    const pre = cs.dynamic.filter((x) => x.event < 0);
    expect(pre.length).toBeGreaterThan(2);
    for (const d of pre) expect(Math.abs(d.att)).toBeLessThan(0.05);

    const es = eventStudy(toLong(panel), panel.group, { leads: 3, lags: 5 });
    const twfeErrors = [0, 1, 2, 3, 4].map((e) =>
      Math.abs(es.coefficients[es.relative.indexOf(e)]! - truth(e)),
    );
    // Already-treated cohorts act as controls in TWFE: with effects growing over time the estimates are
    // pulled away from the truth, by far more than CS's error.
    expect(Math.max(...twfeErrors)).toBeGreaterThan(0.3);
    expect(Math.max(...twfeErrors)).toBeGreaterThan(10 * Math.max(...csErrors));
  });
});

describe('randomization inference', () => {
  (STATE && EVENTS ? it : it.skip)(
    'its actual estimates are Callaway–Sant’Anna’s, with both kinds of controls, on the real panel',
    async () => {
      const panel = await realPanel();
      for (const control of ['never', 'notyet'] as const) {
        const cs = callawaySantAnna(panel, { control, draws: 99 });
        const ri = randomizationInference(panel, { control, permutations: 99 });
        expect(Math.abs(ri.simple.att - cs.simple.att)).toBeLessThan(1e-12);
        expect(ri.dynamic.map((d) => d.event)).toEqual(cs.dynamic.map((d) => d.event));
        ri.dynamic.forEach((d, i) => expect(Math.abs(d.att - cs.dynamic[i]!.att)).toBeLessThan(1e-12));
        expect(ri.simple.p).toBeGreaterThan(0);
        expect(ri.simple.p).toBeLessThanOrEqual(1);
      }
      // The event-time window of the dynamic aggregation applies here too.
      const window = randomizationInference(panel, { permutations: 9, minEvent: -2, maxEvent: 3 });
      expect(window.dynamic.map((d) => d.event)).toEqual([-2, -1, 0, 1, 2, 3]);
    },
  );

  // One treated unit among 60, with a planted effect or none: the bootstrap cannot judge this, a
  // permutation test can.
  function oneTreated(effect: number, seed: number): CsPanel {
    const random = prng(seed);
    const units = 60;
    const periods = 12;
    const group = new Int32Array(units).fill(-1);
    group[7] = 6;
    const y = new Float64Array(units * periods);
    for (let u = 0; u < units; u++) {
      const alpha = random() * 5;
      for (let t = 0; t < periods; t++)
        y[u * periods + t] = alpha + 0.1 * t + (random() - 0.5) + (u === 7 && t >= 6 ? effect : 0);
    }
    return { units, periods, y, group };
  }

  it('rejects a large effect on a single treated unit and not a null one, reproducibly', () => {
    const strong = randomizationInference(oneTreated(3, 1), { permutations: 999, seed: 4 });
    // The actual assignment is the most extreme of 60 possible treated units: p is about 1/60.
    expect(strong.simple.p).toBeLessThan(0.05);
    const nulls = [1, 2, 3, 4, 5, 6, 7, 8].map(
      (seed) => randomizationInference(oneTreated(0, seed), { permutations: 199, seed }).simple.p,
    );
    // Under the null the p-values spread over (0, 1]: most are far from rejection.
    expect(nulls.filter((p) => p > 0.1).length).toBeGreaterThanOrEqual(6);
    expect(randomizationInference(oneTreated(3, 1), { permutations: 999, seed: 4 })).toEqual(strong);
  });

  it('takes a panel with missing values, whose estimate is Callaway–Sant’Anna’s on the same panel', () => {
    const panel = oneTreated(1, 1);
    panel.y[3] = Number.NaN;
    const ri = randomizationInference(panel, { permutations: 99 });
    const cs = callawaySantAnna(panel, { draws: 99 });
    expect(ri.simple.att).toBeCloseTo(cs.simple.att, 12);
    expect(ri.dynamic.map((d) => d.att)).toEqual(cs.dynamic.map((d) => expect.closeTo(d.att, 12)));
    expect(ri.simple.p).toBeGreaterThan(0);
    expect(ri.simple.p).toBeLessThanOrEqual(1);
  });
});

describe('helpers', () => {
  it('inverts the normal distribution', () => {
    expect(qnorm(0.975)).toBeCloseTo(1.959963985, 8);
    expect(qnorm(0.5)).toBeCloseTo(0, 12);
    expect(qnorm(0.001)).toBeCloseTo(-3.090232306, 7);
  });
});
