/**
 * `--place`, `--within`, `--children` and `--period` on `marco scorecard` and `marco results export`,
 * read as the API reads them, on the example data directory (starter statistics and example records):
 * `00` is Mexico, `201701` is 2017-01, `--within 08` scores Chihuahua's results only, and a place the
 * geography spine does not know exits 2 naming the nearest codes, in the reader's language.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { runMarco as marco } from '../fixtures/run-marco.js';

describe('place and period flags', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-place-flags-'));
    expect((await marco(dir, 'init', '--example')).code).toBe(EXIT.ok);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const statuses = async (...flags: string[]) => {
    const run = await marco(dir, 'scorecard', '--json', ...flags);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const card = JSON.parse(run.stdout) as { programs: { indicators: { code: string; status: string }[] }[] };
    return Object.fromEntries(card.programs.flatMap((p) => p.indicators.map((i) => [i.code, i.status])));
  };

  it("scores a place's scorecard on that place's results", async () => {
    const whole = await statuses();
    const chihuahua = await statuses('--within', '08');
    expect(whole['EX-ACA-ACCREDITED']).not.toBe('no_data');
    expect(chihuahua['EX-ACA-ACCREDITED']).toBe('no_data');
    expect(chihuahua['EX-HOM-RATE-08']).toBe(whole['EX-HOM-RATE-08']);
    expect(await statuses('--place', 'MX', '--children')).toEqual(chihuahua);
  });

  it('exports the results of a place and period as typed: 00 and 201701', async () => {
    const typed = await marco(dir, 'results', 'export', '--place', '00', '--period', '201701');
    const plain = await marco(dir, 'results', 'export', '--place', 'MX', '--period', '2017-01');
    expect(typed.code).toBe(EXIT.ok);
    expect(typed.stdout).toBe(plain.stdout);
    expect(typed.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('refuses an unknown place or period with exit 2, saying which flag and what is near', async () => {
    const place = await marco(dir, 'scorecard', '--within', '33');
    expect(place.code).toBe(EXIT.invalid);
    expect(place.stderr).toMatch(/--within: .*"33".*32 Zacatecas/);
    const es = await marco(dir, 'results', 'export', '--place', '35', '--lang', 'es');
    expect(es.code).toBe(EXIT.invalid);
    expect(es.stderr).toMatch(/--place: .*"35".*32 Zacatecas/);
    expect(es.stderr).toContain('consulta');
    const period = await marco(dir, 'results', 'export', '--period', '2017-13');
    expect(period.code).toBe(EXIT.invalid);
    expect(period.stderr).toContain('--period');
    expect(period.stdout).toBe('');
  });
});
