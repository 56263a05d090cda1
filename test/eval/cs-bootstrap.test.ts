/**
 * Callaway–Sant'Anna inference against a reference written here from the method's definition, one
 * bootstrap draw at a time with no blocking: the influence function of each ATT(g,t), Mammen's weights
 * from the same seeded generator, the interquartile-range standard error, the normal intervals at any
 * level, the uniform band over event times and the event window. The estimator draws in blocks of eight
 * for speed; a draw count that is not a multiple of eight exercises both paths.
 */
import { describe, expect, it } from 'vitest';
import { callawaySantAnna, type CsPanel, type CsResult } from '../../src/eval/cs.js';
import { prng } from '../../src/eval/random.js';

/** A small panel: 14 units, 7 periods, cohorts 2, 3 and 5, four never treated, two missing cells. */
function smallPanel(): CsPanel {
  const units = 14;
  const periods = 7;
  const group = Int32Array.from([2, 2, 2, 3, 3, 3, 3, 5, 5, 5, -1, -1, -1, -1]);
  const random = prng(7);
  const y = new Float64Array(units * periods);
  for (let u = 0; u < units; u++)
    for (let t = 0; t < periods; t++) {
      const g = group[u]!;
      const effect = g > 0 && t >= g ? 1 + 0.5 * (t - g) + 0.1 * g : 0;
      y[u * periods + t] = u * 0.3 + t * 0.2 + effect + random() - 0.5;
    }
  y[4 * periods + 6] = Number.NaN;
  y[12 * periods + 1] = Number.NaN;
  return { units, periods, y, group };
}

/** R's quantile type 7 (linear interpolation between order statistics). */
function quantile7(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Standard normal quantiles used by the reference (R: qnorm). */
const Q75 = 0.6744897501960817;
const Z = { 0.9: 1.6448536269514722, 0.95: 1.959963984540054 } as const;

interface Reference {
  attgt: { group: number; period: number; att: number; se: number }[];
  simple: { att: number; se: number };
  dynamic: { event: number; att: number; se: number }[];
  byGroup: { group: number; att: number; se: number }[];
  maxT: number[];
}

/** The estimator written out from its definition, one draw at a time. */
function reference(
  panel: CsPanel,
  control: 'never' | 'notyet',
  draws: number,
  seed: number,
  events: (e: number) => boolean = () => true,
): Reference {
  const { units: n, periods: T, y, group } = panel;
  const cohorts = [...new Set(group)].filter((g) => g > 0 && g < T).sort((a, b) => a - b);
  const cells: { group: number; period: number; att: number; psi: number[] }[] = [];
  for (const g of cohorts)
    for (let t = 1; t < T; t++) {
      const base = t < g ? t - 1 : g - 1;
      const change = (u: number) => y[u * T + t]! - y[u * T + base]!;
      const all = Array.from({ length: n }, (_, u) => u).filter((u) => !Number.isNaN(change(u)));
      const treated = all.filter((u) => group[u] === g);
      const controls = all.filter(
        (u) => group[u] === -1 || (control === 'notyet' && group[u] !== g && group[u]! > Math.max(t, base)),
      );
      if (!treated.length || !controls.length) continue;
      const mean = (us: number[]) => us.reduce((s, u) => s + change(u), 0) / us.length;
      const muT = mean(treated);
      const muC = mean(controls);
      const psi = new Array<number>(n).fill(0);
      for (const u of treated) psi[u] = (n * (change(u) - muT)) / treated.length;
      for (const u of controls) psi[u] = (-n * (change(u) - muC)) / controls.length;
      cells.push({ group: g, period: t, att: muT - muC, psi });
    }
  const cohortSize = (g: number) => [...group].filter((x) => x === g).length;
  const combine = (members: typeof cells, weight: (c: (typeof cells)[number]) => number) => {
    const total = members.reduce((s, c) => s + weight(c), 0);
    return {
      att: members.reduce((s, c) => s + (weight(c) / total) * c.att, 0),
      psi: Array.from({ length: n }, (_, u) =>
        members.reduce((s, c) => s + (weight(c) / total) * c.psi[u]!, 0),
      ),
    };
  };
  const post = cells.filter((c) => c.period >= c.group);
  const simple = combine(post, (c) => cohortSize(c.group));
  const eventTimes = [...new Set(cells.map((c) => c.period - c.group))].filter(events).sort((a, b) => a - b);
  const dynamic = eventTimes.map((e) => ({
    event: e,
    ...combine(
      cells.filter((c) => c.period - c.group === e),
      (c) => cohortSize(c.group),
    ),
  }));
  const byGroup = cohorts
    .filter((g) => post.some((c) => c.group === g))
    .map((g) => ({
      group: g,
      ...combine(
        post.filter((c) => c.group === g),
        () => 1,
      ),
    }));

  const random = prng(seed);
  const s5 = Math.sqrt(5);
  const targets = [...cells, simple, ...dynamic, ...byGroup].map((x) => x.psi);
  const boot = targets.map(() => [] as number[]);
  for (let b = 0; b < draws; b++) {
    const v = Array.from({ length: n }, () =>
      random() < (s5 + 1) / (2 * s5) ? -(s5 - 1) / 2 : (s5 + 1) / 2,
    );
    targets.forEach((psi, k) => boot[k]!.push(psi.reduce((s, p, u) => s + v[u]! * p, 0) / n));
  }
  const se = boot.map((d) => (quantile7(d, 0.75) - quantile7(d, 0.25)) / (2 * Q75));
  const dynAt = cells.length + 1;
  const maxT = Array.from({ length: draws }, (_, b) =>
    Math.max(
      0,
      ...dynamic.map((_, j) => (se[dynAt + j]! > 0 ? Math.abs(boot[dynAt + j]![b]!) / se[dynAt + j]! : 0)),
    ),
  );
  return {
    attgt: cells.map((c, i) => ({ group: c.group, period: c.period, att: c.att, se: se[i]! })),
    simple: { att: simple.att, se: se[cells.length]! },
    dynamic: dynamic.map((d, j) => ({ event: d.event, att: d.att, se: se[dynAt + j]! })),
    byGroup: byGroup.map((d, j) => ({ group: d.group, att: d.att, se: se[dynAt + dynamic.length + j]! })),
    maxT,
  };
}

// 1e-9: the estimator scales by its own normal quantiles (Acklam, ~1e-9), the reference by R's.
const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 9);

function expectMatches(result: CsResult, ref: Reference, level: 0.9 | 0.95) {
  expect(result.attgt.map((a) => [a.group, a.period])).toEqual(ref.attgt.map((a) => [a.group, a.period]));
  result.attgt.forEach((a, i) => {
    close(a.att, ref.attgt[i]!.att);
    close(a.se, ref.attgt[i]!.se);
    expect(a.event).toBe(a.period - a.group);
  });
  const z = Z[level];
  const interval = (
    got: { att: number; se: number; lower: number; upper: number },
    want: { att: number; se: number },
  ) => {
    close(got.att, want.att);
    close(got.se, want.se);
    expect(got.se).toBeGreaterThan(0);
    close(got.lower, want.att - z * want.se);
    close(got.upper, want.att + z * want.se);
  };
  interval(result.simple, ref.simple);
  expect(result.dynamic.map((d) => d.event)).toEqual(ref.dynamic.map((d) => d.event));
  result.dynamic.forEach((d, j) => interval(d, ref.dynamic[j]!));
  expect(result.byGroup.map((d) => d.group)).toEqual(ref.byGroup.map((d) => d.group));
  result.byGroup.forEach((d, j) => interval(d, ref.byGroup[j]!));
  const critical = quantile7(ref.maxT, level);
  close(result.uniformCritical, critical);
  expect(result.uniformCritical).toBeGreaterThan(z);
  result.dynamic.forEach((d, j) => {
    close(d.uniformLower, ref.dynamic[j]!.att - critical * ref.dynamic[j]!.se);
    close(d.uniformUpper, ref.dynamic[j]!.att + critical * ref.dynamic[j]!.se);
  });
}

describe('Callaway–Sant’Anna bootstrap against a draw-by-draw reference', () => {
  for (const [control, draws, seed, level] of [
    ['never', 203, 5, 0.95],
    ['notyet', 61, 9, 0.9],
  ] as const)
    it(`equals it with ${control}-treated controls, ${draws} draws, seed ${seed}, level ${level}`, () => {
      const panel = smallPanel();
      const result = callawaySantAnna(panel, { control, draws, seed, level });
      expect(result).toMatchObject({ control, draws, seed });
      expectMatches(result, reference(panel, control, draws, seed), level);
    });

  it('keeps the defaults: never-treated controls, 999 draws, seed 1, 95% intervals', () => {
    const panel = smallPanel();
    const result = callawaySantAnna(panel);
    expect(result).toMatchObject({ control: 'never', draws: 999, seed: 1 });
    expectMatches(result, reference(panel, 'never', 999, 1), 0.95);
  });

  it('limits the event study to the window asked for, and only the event study', () => {
    const panel = smallPanel();
    const full = callawaySantAnna(panel, { draws: 40, seed: 3 });
    const windowed = callawaySantAnna(panel, { draws: 40, seed: 3, minEvent: -2, maxEvent: 1 });
    expect(full.dynamic.map((d) => d.event)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    expect(windowed.dynamic.map((d) => d.event)).toEqual([-2, -1, 0, 1]);
    expect(windowed.attgt).toEqual(full.attgt);
    expect(windowed.simple).toEqual(full.simple);
    expectMatches(
      windowed,
      reference(panel, 'never', 40, 3, (e) => e >= -2 && e <= 1),
      0.95,
    );
  });

  it('counts treated and control units per cell, leaving out missing changes and not-yet-treated controls', () => {
    const panel = smallPanel();
    const never = callawaySantAnna(panel, { draws: 8, control: 'never' });
    const notyet = callawaySantAnna(panel, { draws: 8, control: 'notyet' });
    const cell = (r: CsResult, g: number, t: number) => r.attgt.find((a) => a.group === g && a.period === t)!;
    // Cohort 3 in period 6: unit 4 has no value then; unit 12 lacks period 1, not used here.
    expect(cell(never, 3, 6)).toMatchObject({ treated: 3, controls: 4 });
    // Cohort 2 in period 1 compares 0 with 1 (base 0): unit 12 has no period 1.
    expect(cell(never, 2, 1)).toMatchObject({ treated: 3, controls: 3 });
    // Not yet treated in period 3 (base 1): cohort 5 joins, cohort 3 (treated in 3) does not, and unit 12
    // lacks the base period.
    expect(cell(notyet, 2, 3)).toMatchObject({ treated: 3, controls: 3 + 3 });
    // Period 5 is cohort 5's first treated period: never-treated only.
    expect(cell(notyet, 3, 5)).toMatchObject({ treated: 4, controls: 4 });
    // Cohort 5 before treatment (period 2, base 1): cohort 3 is not yet treated; cohort 2 is.
    expect(cell(notyet, 5, 2)).toMatchObject({ treated: 3, controls: 3 + 4 });
  });
});
