/**
 * Synthetic DiD in an evaluation (`estimators.sdid`), on the real state × year panel of joint military
 * operations (2001–2012): the estimates equal the estimators' own on the panel built from the raw files
 * (`state-panel.ts`), the donors are exactly the never-treated states, DiD equals the plain difference of
 * mean changes computed here, each gap's mean after treatment is its estimate, the placebo draws repeat
 * from their seed; and each specification it cannot run is refused with its JSON path, in both languages.
 */
import { describe, expect, it } from 'vitest';
import { textIn, ValidationError } from '../../../src/error.js';
import { evaluate, type EvaluationSpec } from '../../../src/eval/evaluate.js';
import { warningText } from '../../../src/eval/evaluation-warnings.js';
import { rRandom } from '../../../src/eval/r-random.js';
import { placeboSe } from '../../../src/eval/synth/placebo.js';
import { runSynth } from '../../../src/eval/synth/synth-run.js';
import { synthEstimate, type BlockPanel } from '../../../src/eval/synth/synthdid.js';
import { translator } from '../../../src/i18n/index.js';
import { EVENTS, POP, STATE, statePanel, stateSpec, stateStatsStore } from '../state-panel.js';

const spec = (sdid: object, panel: object = {}) =>
  stateSpec({ title: 'Joint operations, states, synthetic DiD', estimators: { sdid }, panel });

(STATE && POP && EVENTS ? describe : describe.skip)('synthetic DiD in an evaluation (state panel)', () => {
  const store = stateStatsStore();

  it('estimates one cohort against the never-treated states, as the estimators do on the raw panel', async () => {
    const raw = await statePanel(STATE!, POP!, EVENTS!);
    const cohorts = [...new Set(raw.group)].filter((g) => g >= 0).sort((a, b) => a - b);
    // The largest cohort, as a period label of the 2001–2012 window.
    const size = (g: number) => raw.group.filter((x) => x === g).length;
    const g = cohorts.reduce((a, b) => (size(b) > size(a) ? b : a));
    const cohort = String(2001 + g);
    const run = await evaluate(store(), spec({ cohort, placebo: 50, seed: 7 }), 'test');
    const s = run.sdid!;
    const treated = Array.from(raw.group.keys()).filter((i) => raw.group[i] === g);
    const donors = Array.from(raw.group.keys()).filter((i) => raw.group[i]! < 0);
    expect(s.cohort).toBe(cohort);
    expect(s.treated).toHaveLength(treated.length);
    expect(s.donors).toBe(donors.length);
    expect(s.excluded).toHaveLength(32 - treated.length - donors.length);
    expect([s.pre, s.post]).toEqual([g, 12 - g]);

    // The same block built here from the raw files, units in code order as the panel holds them.
    const rows = [...donors, ...treated];
    const y = new Float64Array(rows.length * 12);
    rows.forEach((u, i) => y.set(raw.y.subarray(u * 12, u * 12 + 12), i * 12));
    const block: BlockPanel = { y, units: rows.length, periods: 12, controls: donors.length, pre: g };
    for (const m of s.methods) {
      const own = synthEstimate(block, m.method);
      expect(Math.abs(m.estimate - own.estimate), m.method).toBeLessThan(1e-9);
      // The gap after treatment averages to the estimate.
      const post = m.gap.slice(g);
      expect(Math.abs(post.reduce((a, v) => a + v, 0) / post.length - m.estimate)).toBeLessThan(1e-9);
      expect(m.weights.reduce((a, w) => a + w.weight, 0)).toBeCloseTo(1, 9);
      // The same seed, the same draws: the placebo standard error repeats.
      expect(m.se).toBeCloseTo(placeboSe(block, own, 50, rRandom(7).sample).se, 9);
    }
    // DiD is the difference of mean changes, computed here from the raw panel.
    const mean = (units: number[], from: number, to: number) =>
      units.reduce((a, u) => a + raw.y.subarray(u * 12 + from, u * 12 + to).reduce((b, v) => b + v, 0), 0) /
      (units.length * (to - from));
    const did = mean(treated, g, 12) - mean(treated, 0, g) - (mean(donors, g, 12) - mean(donors, 0, g));
    expect(Math.abs(s.methods.find((m) => m.method === 'did')!.estimate - did)).toBeLessThan(1e-9);
    // Donor names are the never-treated states' codes.
    const codes = new Set(donors.map((u) => String(u + 1).padStart(2, '0')));
    for (const m of s.methods) for (const w of m.weights) expect(codes.has(w.unit), w.unit).toBe(true);
  });

  it('yields the thread between placebo replications, and stops when cancelled', async () => {
    const controller = new AbortController();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const run = evaluate(
      store(),
      spec({ cohort: '2007', placebo: 9999 }),
      'test',
      undefined,
      undefined,
      controller.signal,
    );
    await expect(run).rejects.toThrow();
    clearInterval(ticker);
    // Cancelled within a second of the abort, long before 3 × 9,999 replications, and timers ran meanwhile.
    expect(Date.now() - started).toBeLessThan(1300);
    expect(ticks).toBeGreaterThan(10);
  });

  it('refuses what it cannot run, saying where and what to do, in English and Spanish', async () => {
    const refusal = async (input: EvaluationSpec) => {
      const error = await evaluate(store(), input, 'test').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues;
    };
    // Several cohorts, none named.
    const many = await refusal(spec({}));
    expect(many[0]!.path).toBe('estimators.sdid.cohort');
    expect(many[0]!.message).toMatch(/several cohorts .*estimators\.sdid\.cohort/);
    const es = translator('es');
    expect(textIn(es, many[0]!.text!)).toMatch(/varias cohortes/);
    // A cohort no unit has.
    const none = await refusal(spec({ cohort: '2003' }));
    expect(none[0]!.path).toBe('estimators.sdid.cohort');
    expect(none[0]!.message).toMatch(/no unit is first treated in 2003/);
    // A cohort with fewer than two periods before it in the window: start the window later.
    const late = await refusal(spec({ cohort: '2007' }, { from: '2006' }));
    expect(late.map((i) => i.path)).toEqual(['estimators.sdid.cohort']);
    expect(late[0]!.message).toMatch(/fewer than two periods before treatment/);
    // Repeated events are not a block design.
    const every = await evaluate(
      store(),
      spec({}, { treatment: { types: ['military_operation'], rule: 'every' } }),
      'test',
    ).catch((e: unknown) => e);
    expect(every).toBeInstanceOf(ValidationError);
    expect((every as ValidationError).issues[0]!.path).toBe('estimators.sdid');
  });

  it('warns in both languages when a fit stops at its step limit or follows the treated units poorly', async () => {
    const raw = await statePanel(STATE!, POP!, EVENTS!);
    const g = raw.group.find((x) => x >= 0)!;
    const run = await evaluate(store(), spec({ cohort: String(2001 + g), placebo: 0 }), 'test');
    for (const w of run.warnings.filter((w) => w.code.startsWith('synth_'))) {
      const en = warningText(translator('en'), 'en', w);
      const es = warningText(translator('es'), 'es', w);
      expect(en).not.toBe(es);
      expect(en).not.toMatch(/\{|evaluate\./);
      expect(es).not.toMatch(/\{|evaluate\./);
    }
    // Asked for no placebo: no standard error, and no warning that one is impossible.
    expect(run.sdid!.methods.every((m) => m.se === undefined)).toBe(true);
    expect(run.warnings.some((w) => w.code === 'synth_no_se')).toBe(false);
  });

  it('refuses a panel with fewer than two donors, or a unit missing a period, naming it', async () => {
    // Four units over five years: two treated from the fourth, and the rest as given.
    const panel = (group: number[], y: number[]) => ({
      units: group.length,
      periods: 5,
      y: Float64Array.from(y),
      group: Int32Array.from(group),
    });
    const labels = ['2001', '2002', '2003', '2004', '2005'];
    const units = ['01', '02', '03', '04'];
    const options = { methods: ['sdid' as const], placebo: 0, seed: 1 };
    const issue = async (p: ReturnType<typeof panel>) => {
      const error = await runSynth(p, units, labels, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues[0]!;
    };
    const values = Array.from({ length: 20 }, (_, i) => i % 7);
    const few = await issue(panel([3, 3, 3, -1], values));
    expect(few.path).toBe('estimators.sdid');
    expect(few.message).toMatch(/only 1 unit is never treated/);
    expect(textIn(translator('es'), few.text!)).toMatch(/solo 1 unidad queda sin tratamiento/);
    const gap = await issue(
      panel(
        [3, -1, -1, -1],
        values.map((v, i) => (i === 12 ? NaN : v)),
      ),
    );
    expect(gap.path).toBe('estimators.sdid');
    expect(gap.message).toMatch(/^03 misses a period/);
  });
});
