/**
 * evaluate() options and refusals on the state panel, with interventions made up for each case: CS's
 * event window and randomization switch, repeated events for TWFE, too few clusters, and the refusals
 * that name their path (no never-treated unit for never-treated controls, an indicator the fixed effects
 * absorb). Each result is checked against the estimators run directly on the same panel.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/error.js';
import { callawaySantAnna, toLong } from '../../src/eval/cs.js';
import { evaluate, type EvaluationSpec } from '../../src/eval/evaluate.js';
import { buildPanel } from '../../src/eval/panel.js';
import { eventStudy } from '../../src/eval/twfe.js';
import type { Intervention } from '../../src/domain/interventions.js';
import { readInterventions } from '../../src/eval/interventions.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedLines } from '../stats/shared-data.js';
import { POP, STATE, stateStatsStore } from './state-panel.js';

const state = (id: string, date: string, places: string[], type = 'made_up'): Intervention => ({
  id,
  type,
  name: id,
  date,
  level: 'state',
  places,
  source: 'test',
});

const codes = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(2, '0'));

/** Every state treated: 01–10 in 2005, 11–20 in 2008, 21–32 in 2010. */
const EVERYONE = [
  state('a', '2005-03-01', codes(1, 10)),
  state('b', '2008-03-01', codes(11, 20)),
  state('c', '2010-03-01', codes(21, 32)),
];

const panelSpec = {
  outcome: { measure: 'homicides', scale: 'log_rate' },
  level: 'state',
  by: 'year',
  from: '2001',
  to: '2012',
  treatment: { types: ['made_up'] },
} as const;

(STATE && POP ? describe : describe.skip)('evaluate options and refusals', () => {
  const store = stateStatsStore();
  const run = (estimators: object, interventions: Intervention[], panel: object = {}) =>
    evaluate(
      store(),
      {
        marco: 'evaluation/1',
        title: 't',
        panel: { ...panelSpec, ...panel },
        estimators,
      } as unknown as EvaluationSpec,
      'test',
      interventions,
    );
  const refusal = async (estimators: object, interventions: Intervention[], panel: object = {}) => {
    const error = await run(estimators, interventions, panel).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((i) => [i.path, i.message]);
  };

  it('refuses never-treated controls when every unit is treated, and runs with not-yet-treated ones', async () => {
    expect(await refusal({ cs: { control: 'never' } }, EVERYONE)).toEqual([
      [
        'estimators.cs.control',
        'no unit of the panel is never treated: compare with not-yet-treated units (control: notyet)',
      ],
    ]);
    const result = await run({ cs: { control: 'notyet', draws: 99, seed: 4 } }, EVERYONE);
    const { panel } = await buildPanel(store(), panelSpec, EVERYONE);
    expect(result.panel.neverTreated).toBe(0);
    expect(result.cs!.simple).toEqual(
      callawaySantAnna(panel, { control: 'notyet', draws: 99, seed: 4 }).simple,
    );
  });

  it('passes the event window to CS, and runs randomization inference only when asked', async () => {
    const events = [state('a', '2005-03-01', ['02', '08']), state('b', '2008-06-01', ['16', '25', '26'])];
    const { panel } = await buildPanel(store(), panelSpec, events);
    const windowed = await run({ cs: { draws: 99, min_event: -2, max_event: 1, permutations: 0 } }, events);
    expect(windowed.cs!.dynamic.map((d) => d.event)).toEqual([-2, -1, 0, 1]);
    expect(windowed.cs!.dynamic).toEqual(
      callawaySantAnna(panel, { draws: 99, minEvent: -2, maxEvent: 1 }).dynamic,
    );
    expect(windowed.cs!.randomization).toBeUndefined();
    const from = await run({ cs: { draws: 99, min_event: 0, permutations: 19 } }, events);
    expect(from.cs!.dynamic[0]!.event).toBe(0);
    expect(from.cs!.dynamic.at(-1)!.event).toBe(callawaySantAnna(panel, { draws: 9 }).dynamic.at(-1)!.event);
    expect(from.cs!.randomization!.permutations).toBe(19);
    expect(from.cs!.randomization!.dynamic.map((d) => d.event)).toEqual(from.cs!.dynamic.map((d) => d.event));
    const upTo = await run({ cs: { draws: 99, max_event: 2 } }, events);
    expect(upTo.cs!.dynamic[0]!.event).toBe(callawaySantAnna(panel, { draws: 9 }).dynamic[0]!.event);
    expect(upTo.cs!.dynamic.at(-1)!.event).toBe(2);
  });

  it('counts repeated events in the TWFE event study with rule every', async () => {
    const events = [
      state('a', '2004-03-01', ['02', '08', '16']),
      state('b', '2009-03-01', ['02', '08']),
      state('c', '2007-03-01', ['25', '26']),
    ];
    const every = { treatment: { types: ['made_up'], rule: 'every' } };
    const result = await run({ twfe: { leads: 2, lags: 3 } }, events, every);
    const built = await buildPanel(store(), { ...panelSpec, ...every }, events);
    expect(built.events[built.units.indexOf('02')]).toEqual([3, 8]);
    const es = eventStudy(toLong(built.panel), built.events, { leads: 2, lags: 3 });
    expect(result.twfe!.coefficients).toEqual(es.coefficients);
    expect(result.panel.episodes).toBe(7);
    // With rule first the same events give another estimate.
    const first = await run({ twfe: { leads: 2, lags: 3 } }, events);
    expect(first.twfe!.coefficients).not.toEqual(es.coefficients);
  });

  it('warns of fewer than 30 clusters, with the count', async () => {
    // The 2007 operations treat nine states in the window's first year: they are dropped, 23 remain.
    const operations = await readInterventions();
    const run2007 = await run({ twfe: { leads: 2, lags: 2 } }, operations, {
      from: '2007',
      treatment: { types: ['military_operation'] },
    });
    expect(run2007.twfe!.clusters).toBe(run2007.panel.units);
    expect(run2007.panel.units).toBeLessThan(30);
    expect(run2007.warnings).toContainEqual({ code: 'few_clusters', clusters: run2007.panel.units });
    const all = await run({ twfe: { leads: 2, lags: 2 } }, operations, {
      treatment: { types: ['military_operation'] },
    });
    expect(all.twfe!.clusters).toBe(32);
    expect(all.warnings.map((w) => w.code)).not.toContain('few_clusters');
  });

  it('refuses an indicator the fixed effects absorb, naming its relative period', async () => {
    // Two cohorts and no never-treated unit: with every relative period kept, relative time is unit
    // effect plus period effect, and one more indicator is collinear.
    const events = [state('a', '2004-03-01', codes(1, 16)), state('b', '2008-03-01', codes(17, 32))];
    const issues = await refusal({ twfe: { leads: 7, lags: 8 } }, events);
    expect(issues).toHaveLength(1);
    expect(issues[0]![0]).toBe('estimators.twfe');
    expect(issues[0]![1]).toMatch(
      /the indicator of relative period -?\d+.*: choose fewer leads or lags, or another window$/,
    );
  });
});

(STATE && POP ? describe : describe.skip)('evaluate on a state panel with holes', () => {
  // Zacatecas (32) without its 2003 homicide lines, and Coahuila (05) without its 2004 population.
  let stats: StatsStore;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-holes-'));
    const homicides = (await sharedLines(STATE!)).filter((l) => !/^32\|2003\|/.test(l));
    const population = (await sharedLines(POP!)).filter((l) => !/^"?5"?,"?2004-/.test(l));
    await writeFile(path.join(dir, 'homicides.csv'), `${homicides.join('\n')}\n`);
    await writeFile(path.join(dir, 'population.csv'), `${population.join('\n')}\n`);
    stats = await openStats({ memory: true });
    await importFile(stats, sourceById('inegi-homicides-state')!, path.join(dir, 'homicides.csv'), {
      version: 'test',
    });
    await importFile(
      stats,
      sourceById('conapo-population-state-monthly')!,
      path.join(dir, 'population.csv'),
      {
        version: 'test',
      },
    );
  });
  afterAll(async () => {
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const events = [state('a', '2005-03-01', ['02', '08', '16']), state('b', '2008-06-01', ['25', '26'])];
  const spec = (panel: object, estimators: object) =>
    ({
      marco: 'evaluation/1',
      title: 'holes',
      panel: { ...panelSpec, ...panel },
      estimators,
    }) as unknown as EvaluationSpec;
  const refusal = async (input: EvaluationSpec) => {
    const error = await evaluate(stats, input, 'test', events).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((i) => [i.path, i.message]);
  };

  it('drops the units with holes by default, and says why', async () => {
    const run = await evaluate(stats, spec({}, { twfe: { leads: 2, lags: 2 } }), 'test', events);
    expect(run.panel.dropped.map(({ unit, reason }) => ({ unit, reason }))).toEqual([
      { unit: '05', reason: '1 of 12 periods without a value or population' },
      { unit: '32', reason: '1 of 12 periods without a value or population' },
    ]);
    expect(run.panel.dropped[0]!.text).toEqual({
      key: 'panel.dropped.missingValueOrPopulation',
      values: { missing: 1, total: 12 },
    });
    // 30 clusters are enough: no warning.
    expect(run.twfe!.clusters).toBe(30);
    expect(run.warnings.map((w) => w.code)).not.toContain('few_clusters');
    // The run's identity: its specification, the data's checksums in order, and the version.
    expect(run.hash).toBe(
      createHash('sha256')
        .update(
          JSON.stringify({
            spec: run.specification,
            vintages: run.panel.vintages.map((v) => v.sha256).sort(),
            version: 'test',
          }),
        )
        .digest('hex'),
    );
    expect(run.panel.vintages.map((v) => v.source).sort()).toEqual([
      'conapo-population-state-monthly',
      'inegi-homicides-state',
    ]);
  });

  it('runs CS on the unbalanced panel that balance: keep gives (a unit sits out the comparisons of its missing period), and TWFE', async () => {
    const unbalanced = await evaluate(
      stats,
      spec({ balance: 'keep' }, { cs: { draws: 99, permutations: 49 } }),
      'test',
      events,
    );
    expect(unbalanced.panel).toMatchObject({ balanced: false, units: 32, rows: 32 * 12 - 2 });
    // 27 never-treated states; Zacatecas misses 2003 and Coahuila 2004, so a comparison that reads one
    // of those years has one control fewer, and 2004 against 2003 has two fewer.
    const labels = unbalanced.panel.labels;
    const counts = new Set<number>();
    for (const a of unbalanced.cs!.attgt) {
      const reads = [labels[a.period], labels[a.period >= a.group ? a.group - 1 : a.period - 1]];
      expect(a.controls).toBe(27 - (reads.includes('2003') ? 1 : 0) - (reads.includes('2004') ? 1 : 0));
      counts.add(a.controls);
    }
    expect([...counts].sort()).toEqual([25, 26, 27]);
    // Randomisation inference runs on it too, through the full estimator, with the same actual estimate.
    expect(unbalanced.cs!.randomization!.simple.att).toBeCloseTo(unbalanced.cs!.simple.att, 12);
    expect(unbalanced.cs!.randomization!.simple.p).toBeGreaterThan(0);
    // An outcome covariate over a span with a hole has no mean for that unit: refused, naming it.
    expect(
      await refusal(spec({ balance: 'keep' }, { cs: { covariates: [{ from: '2002', to: '2004' }] } })),
    ).toEqual([
      [
        'estimators.cs.covariates[0]',
        '2 units have no value of outcome in some period of the span (05, 32): every unit needs this predictor; choose another span, measure or source',
      ],
    ]);
    const run = await evaluate(
      stats,
      spec({ balance: 'keep' }, { twfe: { leads: 2, lags: 2 } }),
      'test',
      events,
    );
    expect(run.panel).toMatchObject({ balanced: false, units: 32, rows: 32 * 12 - 2 });
    expect(run.twfe!.n).toBe(32 * 12 - 2);
    expect(run.twfe!.demeaning.every((d) => d.converged && d.iterations > 1)).toBe(true);
    // With one iteration allowed, the demeaning cannot converge: refused at the limit's path.
    const slow = await refusal(spec({ balance: 'keep' }, { twfe: { leads: 2, lags: 2, max_iterations: 1 } }));
    expect(slow).toHaveLength(1);
    expect(slow[0]![0]).toBe('estimators.twfe.max_iterations');
    expect(slow[0]![1]).toMatch(/^the fixed effects did not converge after 1 iterations/);
  });

  it('interpolates the missing population when asked, and warns with the number of cells', async () => {
    const run = await evaluate(
      stats,
      spec(
        { outcome: { measure: 'homicides', scale: 'log_rate', population: 'interpolated' } },
        { twfe: { leads: 2, lags: 2 } },
      ),
      'test',
      events,
    );
    expect(run.panel.dropped.map((d) => d.unit)).toEqual(['32']);
    expect(run.panel.interpolated).toBe(1);
    expect(run.warnings).toContainEqual({ code: 'interpolated', cells: 1 });
    // A pre-trend test that does not reject gives no warning.
    expect(run.twfe!.pretrend.p).toBeGreaterThan(0.05);
    expect(run.warnings.map((w) => w.code)).not.toContain('pretrend');
  });
});
