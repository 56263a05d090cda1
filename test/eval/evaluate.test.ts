/**
 * `marco evaluate SPEC.yaml` on the real state homicide data: the shipped example runs with both
 * estimators and a stable run hash; bad specifications are refused with their path and exit code.
 */
import { PACKAGE_ROOT } from '../../src/package.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMarco } from '../fixtures/run-marco.js';
import { EXIT } from '../../src/error.js';
import { openRecords } from '../../src/records/database.js';
import { municipalRateFiles, sharedFile } from '../stats/shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const POP = sharedFile('conapo/pop_states_monthly_1990_2050.csv');
const EXAMPLE = path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-states.yaml');

const marco = runMarco;

(STATE && POP ? describe : describe.skip)('marco evaluate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-evaluate-'));
    expect((await marco(dir, 'init')).code).toBe(EXIT.ok);
    expect((await marco(dir, 'import', 'inegi-homicides-state', STATE!)).code).toBe(EXIT.ok);
    expect((await marco(dir, 'import', 'conapo-population-state-monthly', POP!)).code).toBe(EXIT.ok);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs the shipped example with both estimators, and the same run gives the same hash', async () => {
    const first = await marco(dir, 'evaluate', EXAMPLE, '--json');
    expect(first.code, first.stderr).toBe(EXIT.ok);
    const result = JSON.parse(first.stdout) as {
      panel: { units: number; periods: number; cohorts: unknown[] };
      twfe: { relative: number[]; coefficients: number[]; pretrend: { df: number } };
      cs: { attgt: { att: number }[]; simple: { att: number } };
      hash: string;
    };
    expect(result.panel).toMatchObject({ units: 32, periods: 12 });
    expect(result.twfe.relative).toEqual([-5, -4, -3, -2, 0, 1, 2, 3, 4, 5]);
    expect(result.twfe.pretrend.df).toBe(4);
    expect(result.cs.attgt.length).toBeGreaterThan(0);
    expect(Number.isFinite(result.cs.simple.att)).toBe(true);
    const again = JSON.parse((await marco(dir, 'evaluate', EXAMPLE, '--json')).stdout) as typeof result;
    expect(again.hash).toBe(result.hash);
    expect(again.cs.simple).toEqual(result.cs.simple);
    const text = await marco(dir, 'evaluate', EXAMPLE);
    expect(text.stdout).toContain('Callaway–Sant');
    expect(text.stdout).toContain(`Run hash: ${result.hash}`);
  });

  it('runs synthetic DiD for one cohort and prints each method in English and Spanish', async () => {
    const spec = path.join(dir, 'sdid.yaml');
    const text = (await readFile(EXAMPLE, 'utf8')).replace(
      /^estimators:[\s\S]*$/m,
      "estimators:\n  sdid: { cohort: '2007', placebo: 20, seed: 3 }\n",
    );
    await writeFile(spec, text);
    const run = await marco(dir, 'evaluate', spec, '--json');
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const result = JSON.parse(run.stdout) as {
      sdid: {
        cohort: string;
        treated: string[];
        methods: { method: string; estimate: number; se: number }[];
      };
      twfe?: unknown;
    };
    expect(result.twfe).toBeUndefined();
    expect(result.sdid.cohort).toBe('2007');
    expect(result.sdid.methods.map((m) => m.method)).toEqual(['sdid', 'sc', 'did']);
    for (const m of result.sdid.methods) expect(m.se).toBeGreaterThan(0);
    const fmt = (locale: string, v: number) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(v);
    const en = await marco(dir, 'evaluate', spec);
    expect(en.stdout).toContain(`Synthetic DiD, cohort 2007: ${result.sdid.treated.length} treated units`);
    expect(en.stdout).toContain(
      `synthetic control: ${fmt('en-US', result.sdid.methods[1]!.estimate)} (placebo s.e.`,
    );
    const es = await marco(dir, '--lang', 'es', 'evaluate', spec);
    expect(es.stdout).toContain(
      `DiD sintético, cohorte 2007: ${result.sdid.treated.length} unidades tratadas`,
    );
    expect(es.stdout).toContain(
      `control sintético: ${fmt('es-MX', result.sdid.methods[1]!.estimate)} (e.e. placebo`,
    );
  });

  it('runs synthetic control with predictors and prints its weights, balance and placebo p-value in English and Spanish', async () => {
    const spec = path.join(dir, 'synth.yaml');
    const text = (await readFile(EXAMPLE, 'utf8')).replace(
      /^estimators:[\s\S]*$/m,
      "estimators:\n  synth:\n    cohort: '2008'\n    predictors: [{ from: '2001', to: '2004' }, { from: '2005', to: '2007' }]\n",
    );
    await writeFile(spec, text);
    const run = await marco(dir, 'evaluate', spec, '--json');
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const result = JSON.parse(run.stdout) as {
      synth: {
        cohort: string;
        treated: string[];
        estimate: number;
        weights: { unit: string; weight: number }[];
        placebos: { runs: unknown[]; rank: number; p: number };
        leaveOneOut: unknown[];
      };
    };
    const s = result.synth;
    expect(s.cohort).toBe('2008');
    expect(s.weights.reduce((a, w) => a + w.weight, 0)).toBeCloseTo(1, 9);
    expect(s.placebos.p).toBeCloseTo(s.placebos.rank / (s.placebos.runs.length + 1), 12);
    expect(s.leaveOneOut).toHaveLength(s.weights.length);
    const fmt = (locale: string, v: number) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(v);
    const en = await marco(dir, 'evaluate', spec);
    expect(en.stdout).toContain(
      `Synthetic control, cohort 2008: ${s.treated.length === 1 ? '1 treated unit' : `${s.treated.length} treated units`}`,
    );
    expect(en.stdout).toContain(`mean gap after treatment ${fmt('en-US', s.estimate)}`);
    expect(en.stdout).toContain(`predictor outcome 2001–2004: weight`);
    expect(en.stdout).toContain(
      `in-space placebos: ${s.placebos.runs.length}; the treated units’ ratio ranks ${s.placebos.rank}`,
    );
    const es = await marco(dir, '--lang', 'es', 'evaluate', spec);
    expect(es.stdout).toContain(`brecha media después del tratamiento ${fmt('es-MX', s.estimate)}`);
    expect(es.stdout).toContain('predictor resultado 2005–2007: peso');
    expect(es.stdout).toContain(`placebos en el espacio: ${s.placebos.runs.length}`);
  });

  it('refuses bad specifications with their path and a non-zero exit', async () => {
    const write = async (name: string, body: string) => {
      const file = path.join(dir, name);
      await writeFile(file, body);
      return file;
    };
    const base = `marco: evaluation/1\ntitle: t\npanel:\n  outcome: { measure: MEASURE }\n  level: state\n  by: year\n  from: '2001'\n  to: '2012'\n  treatment: { types: [military_operation] }\n`;
    const unknown = await marco(
      dir,
      'evaluate',
      await write(
        'unknown.yaml',
        `${base.replace('MEASURE', 'nothing')}estimators: { twfe: { leads: 3, lags: 3 } }\n`,
      ),
    );
    expect(unknown.code).toBe(EXIT.notFound);
    expect(unknown.stderr).toMatch(/no measure "nothing"/);
    const none = await marco(
      dir,
      'evaluate',
      await write('none.yaml', `${base.replace('MEASURE', 'homicides')}estimators: {}\n`),
    );
    expect(none.code).toBe(EXIT.invalid);
    expect(none.stderr).toMatch(/choose at least one estimator/);
    const outside = await marco(
      dir,
      'evaluate',
      await write(
        'outside.yaml',
        `${base.replace('MEASURE', 'homicides').replace("'2001'", "'1980'").replace("'2012'", "'1985'")}estimators: { cs: {} }\n`,
      ),
    );
    expect(outside.code).toBe(EXIT.invalid);
    expect(outside.stderr).toMatch(/choose a window inside the data/);
    expect((await marco(dir, 'evaluate', path.join(dir, 'missing.yaml'))).code).toBe(EXIT.invalid);

    // No unit treated inside the window: the operations are all before 2015.
    const late = await marco(
      dir,
      'evaluate',
      await write(
        'late.yaml',
        `${base.replace('MEASURE', 'homicides').replace("'2001'", "'2015'").replace("'2012'", "'2020'")}estimators: { twfe: { leads: 2, lags: 2 } }\n`,
      ),
      '--save',
    );
    expect(late.code).toBe(EXIT.invalid);
    expect(late.stderr).toMatch(/treatment: no unit of the panel is treated inside the window/);
    // Callaway–Sant'Anna cannot take repeated events.
    const every = await marco(
      dir,
      'evaluate',
      await write(
        'every.yaml',
        `${base.replace('MEASURE', 'homicides').replace('types: [military_operation]', 'types: [military_operation], rule: every')}estimators: { cs: {} }\n`,
      ),
      '--save',
    );
    expect(every.code).toBe(EXIT.invalid);
    expect(every.stderr).toMatch(/estimators\.cs: Callaway–Sant’Anna needs one absorbing treatment per unit/);
    expect(await savedRuns()).toBe(0);
  });

  it('refuses every unit treated at once, with events added through marco events import', async () => {
    const file = path.join(dir, 'everywhere.csv');
    const states = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0')).join(';');
    await writeFile(
      file,
      `event_id,type,name,date,geo_level,geo_codes,source\nnational-guard-2019,national_guard,National Guard deployed,2019-06-30,state,${states},Diario Oficial 2019\n`,
    );
    const added = await marco(dir, 'events', 'import', file, '--country', 'MX', '--agency', 'SSPC');
    expect(added.code, added.stderr).toBe(EXIT.ok);
    expect(added.stdout).toContain('Added 1 intervention: national-guard-2019.');
    const list = JSON.parse(
      (await marco(dir, 'events', 'list', '--json', '--type', 'national_guard')).stdout,
    );
    expect(list).toEqual([
      expect.objectContaining({
        id: 'national-guard-2019',
        country: 'MX',
        agency: 'SSPC',
        added_by: expect.any(String),
      }),
    ]);
    // The same id again is refused, and a bad line is located; nothing more is added.
    const again = await marco(dir, 'events', 'import', file, '--country', 'MX', '--agency', 'SSPC');
    expect(again.code).toBe(EXIT.invalid);
    expect(again.stderr).toContain(`${file}:2 event_id: the id "national-guard-2019" is already taken`);
    const spec = path.join(dir, 'everywhere.yaml');
    await writeFile(
      spec,
      `marco: evaluation/1\ntitle: t\npanel:\n  outcome: { measure: homicides }\n  level: state\n  by: year\n  from: '2015'\n  to: '2022'\n  treatment: { types: [national_guard] }\nestimators: { twfe: { leads: 2, lags: 2 } }\n`,
    );
    const result = await marco(dir, 'evaluate', spec, '--save');
    expect(result.code).toBe(EXIT.invalid);
    expect(result.stderr).toMatch(/every unit is treated at the same time: there is no control group/);
    expect(await savedRuns()).toBe(0);
  });

  it('refuses bad interventions from marco events add and import, naming each flag or line', async () => {
    const add = await marco(
      dir,
      'events',
      'add',
      ...['--id', 'Bad Id', '--type', 'leader_capture', '--name', 'x', '--date', '2008-02-30'],
      ...['--level', 'municipality', '--places', '2500', '--source', 'a report'],
      ...['--country', 'MX', '--agency', 'NOPE'],
    );
    expect(add.code).toBe(EXIT.invalid);
    for (const line of [
      '--id: expected an id of lower-case letters',
      '--date: not a date YYYY-MM-DD: "2008-02-30"',
      '--places: expected 5-digit INEGI codes',
      '--agency: unknown organisation "NOPE"',
    ])
      expect(add.stderr).toContain(line);
    const file = path.join(dir, 'bad-events.csv');
    await writeFile(
      file,
      'event_id,type,name,date,geo_level,geo_codes,source\nok-1,leader_capture,Fine,2010-01-01,municipality,25006,src\nbad-2,leader_capture,Bad,2010-01-01,county,25006,src\n',
    );
    const imported = await marco(dir, 'events', 'import', file, '--country', 'MX', '--agency', 'SSPC');
    expect(imported.code).toBe(EXIT.invalid);
    expect(imported.stderr).toContain(`${file}:3 geo_level: expected state or municipality`);
    expect(
      (
        await marco(
          dir,
          'events',
          'import',
          path.join(dir, 'none.csv'),
          '--country',
          'MX',
          '--agency',
          'SSPC',
        )
      ).code,
    ).toBe(EXIT.invalid);
    // Nothing of either was added.
    const listed = JSON.parse((await marco(dir, 'events', 'list', '--json')).stdout) as { id: string }[];
    expect(listed.map((e) => e.id)).not.toContain('ok-1');
  });

  it('saves a run with --save, the same result as printed', async () => {
    const saved = await marco(dir, 'evaluate', EXAMPLE, '--json', '--save');
    expect(saved.code, saved.stderr).toBe(EXIT.ok);
    const result = JSON.parse(saved.stdout) as { id: number; hash: string; cs: unknown };
    expect(result.id).toBeGreaterThan(0);
    const store = await openRecords({ dataDir: dir });
    try {
      const row = await store.db
        .selectFrom('evaluations')
        .select(['hash', 'result'])
        .where('id', '=', result.id)
        .executeTakeFirstOrThrow();
      expect(row.hash).toBe(result.hash);
      expect((row.result as unknown as { cs: unknown }).cs).toEqual(result.cs);
    } finally {
      await store.close();
    }
    const list = JSON.parse((await marco(dir, 'evaluations', 'list', '--json')).stdout) as {
      id: number;
      hash: string;
    }[];
    expect(list[0]).toMatchObject({ id: result.id, hash: result.hash });
    const shown = await marco(dir, 'evaluations', 'show', String(result.id));
    expect(shown.code).toBe(EXIT.ok);
    expect(shown.stdout).toContain(`Run hash: ${result.hash}`);
    expect(
      JSON.parse((await marco(dir, 'evaluations', 'show', String(result.id), '--json')).stdout),
    ).toMatchObject({
      id: result.id,
      cs: result.cs,
    });
    expect((await marco(dir, 'evaluations', 'show', '999')).code).toBe(EXIT.notFound);
    expect((await marco(dir, 'evaluations', 'show', 'abc')).code).toBe(EXIT.invalid);
  });

  async function savedRuns() {
    const store = await openRecords({ dataDir: dir });
    try {
      const { n } = await store.db
        .selectFrom('evaluations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    } finally {
      await store.close();
    }
  }
});

const MUNICIPAL_RATES = municipalRateFiles();
const LEADERS = path.join(PACKAGE_ROOT, 'examples/evaluations/leader-captures-municipalities.yaml');
const JUAREZ = path.join(PACKAGE_ROOT, 'examples/evaluations/juarez-2008-synthetic-control.yaml');
const LEADERS_SDID = path.join(PACKAGE_ROOT, 'examples/evaluations/leader-captures-synthetic-did.yaml');

(MUNICIPAL_RATES ? describe : describe.skip)('marco evaluate on municipalities', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-evaluate-muni-'));
    for (const [source, file] of MUNICIPAL_RATES!)
      expect((await marco(dir, 'import', source, file)).code).toBe(EXIT.ok);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reports a demeaning that does not converge, and saves nothing', async () => {
    const spec = path.join(dir, 'slow.yaml');
    // Sinaloa by year, 2003–2012, keeping the years without population (2007–2009): an unbalanced
    // panel, which needs alternating projections; one iteration is not enough. The reference period is
    // 2006 (−2), as Culiacán's 2007 (−1) has no population.
    await writeFile(
      spec,
      `marco: evaluation/1\ntitle: t\npanel:\n  outcome: { measure: homicides, scale: log_rate }\n  level: municipality\n  within: '25'\n  by: year\n  from: '2003'\n  to: '2012'\n  balance: keep\n  treatment: { types: [leader_capture] }\nestimators: { twfe: { leads: 3, lags: 2, reference: -2, max_iterations: 1, tolerance: 1.0e-14 } }\n`,
    );
    const result = await marco(dir, 'evaluate', spec, '--save');
    expect(result.code).toBe(EXIT.invalid);
    expect(result.stderr).toMatch(
      /estimators\.twfe\.max_iterations: the fixed effects did not converge after 1 iterations/,
    );
    const store = await openRecords({ dataDir: dir });
    try {
      expect(await store.db.selectFrom('evaluations').selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('max_iterations: 1, ', ''));
    const converged = await marco(dir, 'evaluate', spec, '--json');
    expect(converged.code, converged.stderr).toBe(EXIT.ok);
    const body = JSON.parse(converged.stdout) as {
      panel: { balanced: boolean };
      twfe: {
        relative: number[];
        omitted: number[];
        demeaning: { converged: boolean; iterations: number }[];
      };
      warnings: { code: string; randomization?: boolean }[];
    };
    expect(body.panel.balanced).toBe(false);
    // Culiacán (2008) has no rate for 2007–2009: relative periods −1, 0 and 1 have no coefficient.
    expect(body.twfe.relative).toEqual([-3, 2]);
    expect(body.twfe.omitted).toEqual([-1, 0, 1]);
    expect(body.twfe.demeaning.every((d) => d.converged && d.iterations > 1)).toBe(true);
    // TWFE only: the warning points to running CS with permutations, as there are no p-values to read.
    expect(body.warnings.find((w) => w.code === 'few_treated')).toMatchObject({ randomization: false });
  });

  it('runs the shipped Juárez synthetic-control example', async () => {
    const run = await marco(dir, 'evaluate', JUAREZ, '--json');
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const { synth: s, panel } = JSON.parse(run.stdout) as {
      panel: { units: number; neverTreated: number };
      synth: {
        treated: string[];
        cohort: string;
        donors: number;
        excluded: string[];
        pre: number;
        gap: number[];
        preRmspe: number;
        estimate: number;
        weights: { unit: string; weight: number }[];
        predictors: { treated: number; synthetic: number }[];
        placebos: { runs: unknown[]; rank: number; p: number };
        leaveOneOut: { unit: string; estimate: number }[];
      };
    };
    // No donor had an operation or a capture in the window: Tijuana (capture, 2008), Culiacán (capture,
    // 2008) and every municipality of a state with a joint operation are left out.
    expect([s.treated, s.cohort, s.pre]).toEqual([['08037'], '2008', 8]);
    expect(s.excluded).toEqual(expect.arrayContaining(['02004', '25006', '08019', '16053']));
    expect(s.donors).toBe(panel.neverTreated - s.excluded.length);
    for (const w of s.weights) expect(s.excluded).not.toContain(w.unit);
    // Juárez's rate before 2008 is followed closely, and every year 2008–2012 lies far above its synthetic.
    expect(s.preRmspe).toBeLessThan(0.2);
    expect(Math.min(...s.gap.slice(8))).toBeGreaterThan(0.5);
    // Its size too, within a tenth: a synthetic Juárez of big boroughs, not of villages (the donors'
    // mean is some 40,000 inhabitants).
    expect(Math.abs(s.predictors[3]!.synthetic / s.predictors[3]!.treated - 1)).toBeLessThan(0.1);
    expect([s.placebos.runs.length, s.placebos.p]).toEqual([200, s.placebos.rank / 201]);
    expect(s.placebos.p).toBeLessThan(0.05);
    // Leaving out any weighted donor keeps the effect large.
    expect(s.leaveOneOut.map((l) => l.unit)).toEqual(s.weights.map((w) => w.unit));
    for (const l of s.leaveOneOut) expect(l.estimate).toBeGreaterThan(0.5 * s.estimate);
  }, 120_000);

  it('runs the shipped leader-captures synthetic DiD example (with fewer placebos)', async () => {
    const spec = path.join(dir, 'leaders-sdid.yaml');
    await writeFile(spec, (await readFile(LEADERS_SDID, 'utf8')).replace('placebo: 100', 'placebo: 8'));
    const run = await marco(dir, 'evaluate', spec, '--json');
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const { sdid: s } = JSON.parse(run.stdout) as {
      sdid: {
        excluded: string[];
        methods: { method: string; estimate: number; se: number; preRmspe: number }[];
        cohorts: { cohort: string; treated: string[]; weight: number; estimates: { estimate: number }[] }[];
      };
    };
    // Each municipality's first capture, by year: Tijuana and Culiacán 2008, Mazatlán 2014, Ahome 2016.
    expect(s.cohorts.map((c) => [c.cohort, c.treated])).toEqual([
      ['2008', ['02004', '25006']],
      ['2014', ['25012']],
      ['2016', ['25001']],
    ]);
    // No donor in a state with a joint operation (Sinaloa, Baja California among them).
    expect(s.excluded.some((u) => u.startsWith('25') || u.startsWith('02'))).toBe(true);
    for (const [m, method] of s.methods.entries()) {
      expect(method.estimate).toBeCloseTo(
        s.cohorts.reduce((a, c) => a + c.weight * c.estimates[m]!.estimate, 0),
        12,
      );
      expect(method.se).toBeGreaterThan(0);
    }
    // Synthetic DiD follows the treated municipalities before capture far better than plain DiD.
    const [sdid, , did] = s.methods;
    expect(sdid!.preRmspe).toBeLessThan(did!.preRmspe / 3);
  }, 240_000);

  it('runs the shipped leader-captures example', async () => {
    const run = await marco(dir, 'evaluate', LEADERS, '--json');
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const result = JSON.parse(run.stdout) as {
      panel: { cohorts: { period: string; units: number }[]; interpolated: number; balanced: boolean };
      twfe: { relative: number[] };
      cs: {
        simple: { att: number; lower: number };
        dynamic: { event: number }[];
        randomization: { permutations: number; simple: { att: number; p: number } };
      };
      warnings: { code: string; randomization?: boolean }[];
    };
    // The first capture of each municipality from the events file, inside the window.
    expect(result.panel.cohorts).toEqual([
      { period: '2008-01', units: 1 },
      { period: '2008-10', units: 1 },
      { period: '2014-02', units: 1 },
      { period: '2016-01', units: 1 },
    ]);
    expect(result.panel.balanced).toBe(true);
    expect(result.panel.interpolated).toBeGreaterThan(0);
    expect(result.twfe.relative).toHaveLength(36);
    expect(result.cs.dynamic.map((d) => d.event)).toEqual(Array.from({ length: 37 }, (_, i) => i - 12));
    expect(result.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['few_treated', 'interpolated']),
    );
    expect(result.warnings.find((w) => w.code === 'few_treated')).toMatchObject({ randomization: true });
    // Four treated municipalities: the bootstrap band is narrow, the permutation test is not fooled.
    expect(result.cs.randomization.permutations).toBe(999);
    expect(result.cs.randomization.simple.att).toBeCloseTo(result.cs.simple.att, 12);
    expect(result.cs.simple.lower).toBeGreaterThan(0);
    expect(result.cs.randomization.simple.p).toBeGreaterThan(0.05);
  }, 120_000);
});
