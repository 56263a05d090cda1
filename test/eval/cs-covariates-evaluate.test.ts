/**
 * Callaway–Sant'Anna's covariates and placebo pool through an evaluation on the real state data: the
 * shipped doubly robust example runs through the CLI in English and Spanish; its estimate is the doubly
 * robust estimator on covariates computed here from the raw files; and what cannot work is refused with
 * its path.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFile } from 'node:fs/promises';
import { PACKAGE_ROOT } from '../../src/package.js';
import { ValidationError } from '../../src/error.js';
import { evaluate, type EvaluationSpec } from '../../src/eval/evaluate.js';
import { callawaySantAnna } from '../../src/eval/cs.js';
import { buildPanel } from '../../src/eval/panel.js';
import { builtinInterventions } from '../../src/eval/interventions.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';
import { runMarco } from '../fixtures/run-marco.js';
import { translator } from '../../src/i18n/index.js';
import { overallEffects } from '../../src/web/evaluations/run-parts.js';
import { EXIT } from '../../src/error.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const POP = sharedFile('conapo/pop_states_monthly_1990_2050.csv');
const EXAMPLE = path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-doubly-robust.yaml');

(STATE && POP ? describe : describe.skip)('Callaway–Sant’Anna with covariates and a placebo pool', () => {
  let stats: StatsStore;
  let spec: EvaluationSpec;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await importFile(stats, sourceById('inegi-homicides-state')!, STATE!, { version: 'test' });
    await importFile(stats, sourceById('conapo-population-state-monthly')!, POP!, { version: 'test' });
    spec = parse(await readFile(EXAMPLE, 'utf8')) as EvaluationSpec;
  });
  afterAll(() => stats?.close());

  it('gives the doubly robust estimate on covariates computed from the raw files', async () => {
    const run = await evaluate(stats, spec, 'test');
    expect(run.cs!.doublyRobust).toEqual({ covariates: 2, trimmed: 0 });
    expect(run.cs!.covariateLabels!.map((l) => l.measure)).toEqual(['outcome', 'population']);
    // The covariates by hand: the panel's outcome over 2001–2005, and CONAPO's mean monthly population.
    const { panel, units } = await buildPanel(stats, spec.panel, await builtinInterventions());
    const population = new Map<string, number[]>();
    for (const line of (await sharedLines(POP!)).slice(1)) {
      const f = line.split(',').map((v) => v.replace(/"/g, ''));
      const year = Number(f[1]!.slice(0, 4));
      if (year < 2001 || year > 2005) continue;
      const code = f[0]!.padStart(2, '0');
      population.set(code, [...(population.get(code) ?? []), Number(f[2])]);
    }
    const values = units.flatMap((u, i) => {
      const outcome = [0, 1, 2, 3, 4].reduce((s, t) => s + panel.y[i * panel.periods + t]!, 0) / 5;
      const pops = population.get(u)!;
      expect(pops).toHaveLength(60);
      return [outcome, pops.reduce((s, v) => s + v, 0) / pops.length];
    });
    const expected = callawaySantAnna(panel, {
      control: 'notyet',
      draws: 999,
      seed: 1,
      covariates: { values: Float64Array.from(values), k: 2 },
    });
    expect(run.cs!.simple.att).toBeCloseTo(expected.simple.att, 10);
    run.cs!.attgt.forEach((a, i) => expect(a.att).toBeCloseTo(expected.attgt[i]!.att, 10));
    // The covariates change the estimate: without them it is another number.
    const plain = callawaySantAnna(panel, { control: 'notyet', draws: 999, seed: 1 });
    expect(Math.abs(plain.simple.att - run.cs!.simple.att)).toBeGreaterThan(0.01);
    // The pool: two population halves of 16 states.
    expect(run.cs!.randomization!.pool).toMatchObject({ bands: 2, smallest: 16 });
    expect(run.cs!.randomization!.simple.att).toBeCloseTo(run.cs!.simple.att, 12);
    // Placebos whose propensity score the covariates separate count out, and the run warns.
    expect(run.cs!.randomization!.failed).toBeGreaterThan(0);
    expect(run.warnings.map((w) => w.code)).toContain('ri_failed');
    // The run's page and report say both, in each language.
    const page = (locale: 'en' | 'es') => String(overallEffects(translator(locale), locale, run));
    expect(page('en')).toContain('Doubly robust (Sant’Anna and Zhao 2020), 2 covariates: outcome 2001–2005;');
    expect(page('en')).toContain('Placebo pool: each cohort moves within its size band');
    expect(page('en')).toMatch(/\d+ reassignments could not be estimated/);
    expect(page('es')).toContain('Doblemente robusto (Sant’Anna y Zhao 2020), 2 covariables');
    expect(page('es')).toContain('Conjunto de placebos: cada cohorte se mueve dentro de su banda de tamaño');
  });

  it('refuses a pool within states on a state panel, a pool without permutations, and a covariate missing somewhere', async () => {
    const refusal = async (cs: object) => {
      const error = await evaluate(stats, { ...spec, estimators: { cs } } as EvaluationSpec, 'test').catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues.map((i) => [i.path, i.message]);
    };
    expect(await refusal({ permutations: 19, pool: { within: 'state' } })).toEqual([
      ['estimators.cs.pool.within', expect.stringMatching(/needs a municipal panel/)],
    ]);
    expect(await refusal({ permutations: 0, pool: { match: 5 } })).toEqual([
      ['estimators.cs.pool', expect.stringMatching(/permutations is 0/)],
    ]);
    expect(await refusal({ permutations: 19, pool: {} })).toEqual([
      ['estimators.cs.pool', expect.stringMatching(/give at least one/)],
    ]);
    // CONAPO's state file starts in 1990, INEGI's deaths in 2000: no homicide rate for 1995.
    const missing = await refusal({
      covariates: [{ measure: 'homicides', from: '1995', to: '1996', by: 'year' }],
    });
    expect(missing).toHaveLength(1);
    expect(missing[0]![0]).toBe('estimators.cs.covariates[0]');
    expect(missing[0]![1]).toMatch(/32 units have no value of homicides/);
    // The size band's series, one object: its problems under `size`.
    const band = await refusal({
      permutations: 19,
      pool: { size: { bands: 2, measure: 'homicides', from: '1995', to: '1996', by: 'year' } },
    });
    expect(band.map(([p]) => p)).toEqual(['estimators.cs.pool.size']);
    // Twenty bands of 32 states: some band holds one state, and a treated state alone never moves.
    const alone = await evaluate(
      stats,
      {
        ...spec,
        estimators: { cs: { draws: 99, permutations: 19, pool: { size: { bands: 20 } } } },
      } as EvaluationSpec,
      'test',
    );
    expect(alone.cs!.randomization!.pool!.smallest).toBe(1);
    expect(alone.warnings.map((w) => w.code)).toContain('ri_alone');
  });

  it('runs from the CLI, saying the covariates and the pool in English and Spanish', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-dr-'));
    try {
      expect((await runMarco(dir, 'init')).code).toBe(EXIT.ok);
      expect((await runMarco(dir, 'import', 'inegi-homicides-state', STATE!)).code).toBe(EXIT.ok);
      expect((await runMarco(dir, 'import', 'conapo-population-state-monthly', POP!)).code).toBe(EXIT.ok);
      const en = await runMarco(dir, 'evaluate', EXAMPLE);
      expect(en.code, en.stderr).toBe(EXIT.ok);
      expect(en.stdout).toContain(
        'Doubly robust (Sant’Anna and Zhao 2020), 2 covariates: outcome 2001–2005; population, count, 2001–2005.',
      );
      expect(en.stdout).toMatch(
        /Placebo pool: each cohort moves within its size band \(one of 2 of equal count\); the smallest pool holds 16 units; [\d,]+ distinct assignments\./,
      );
      const es = await runMarco(dir, 'evaluate', EXAMPLE, '--lang', 'es');
      expect(es.stdout).toContain(
        'Doblemente robusto (Sant’Anna y Zhao 2020), 2 covariables: resultado 2001–2005;',
      );
      expect(es.stdout).toContain('Conjunto de placebos: cada cohorte se mueve dentro de su banda de tamaño');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
