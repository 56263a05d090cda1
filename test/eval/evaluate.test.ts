/**
 * `marco evaluate SPEC.yaml` on the real state homicide data: the shipped example runs with both
 * estimators and a stable run hash; bad specifications are refused with their path and exit code.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMarco } from '../cli/run-marco.js';
import { EXIT } from '../../src/error.js';
import { PACKAGE_ROOT } from '../../src/records/builtin.js';
import { sharedFile } from '../stats/shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const POP = sharedFile('conapo/pop_states_monthly_1990_2050.csv');
const EXAMPLE = path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-states.yaml');

const marco = runMarco;

(STATE && POP ? describe : describe.skip)('marco evaluate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-evaluate-'));
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
  });
});
