/**
 * `marco benchmark load` and `list`: the illustrative file loads, all of it; a file naming a node that
 * does not exist, or with a wrong field, is refused at its line and column and writes nothing; loading
 * again changes nothing, and the list says which targets await whose approval.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { runMarco } from '../fixtures/run-marco.js';

describe('marco benchmark', () => {
  let dir: string;
  let data: string;
  const example = path.join(PACKAGE_ROOT, 'examples/benchmarks.yaml');
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-benchmark-cli-'));
    data = path.join(dir, 'data');
    expect((await runMarco(data, 'init', '--empty')).code).toBe(EXIT.ok);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a file with an unknown node or a wrong field at its line and column, writing nothing', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(
      bad,
      [
        'marco: benchmarks/1',
        'benchmarks:',
        '  - code: BF-X',
        '    node: bicentennial:9',
        '    name: { en: X, es: X }',
        '    definition: { en: X, es: X }',
        '    unit: { en: X, es: X }',
        '    direction: decrease',
        '',
      ].join('\n'),
    );
    const r = await runMarco(data, 'benchmark', 'load', bad);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toContain(`benchmarks[0].node (${bad}:4:11)`);
    expect(r.stderr).toContain('no framework node bicentennial:9');
    await writeFile(
      bad,
      'marco: benchmarks/1\nbenchmarks:\n  - code: BF-X\n    node: bicentennial:1\n    direction: sideways\n',
    );
    const wrong = await runMarco(data, 'benchmark', 'load', bad);
    expect(wrong.code).toBe(EXIT.invalid);
    expect(wrong.stderr).toContain(`benchmarks[0].direction (${bad}:5:16)`);
    expect((await runMarco(data, 'benchmark', 'list')).stdout).toContain('No benchmark yet.');
  });

  it('loads the illustrative file, then finds nothing to change, and lists what awaits approval', async () => {
    const first = await runMarco(data, 'benchmark', 'load', example);
    expect([first.code, first.stdout]).toEqual([EXIT.ok, expect.stringContaining('2 benchmarks saved.')]);
    expect(first.stdout).toContain(
      'BF-HOMICIDE-RATE-MX: created; 1 target new or changed, awaiting both countries',
    );
    const again = await runMarco(data, 'benchmark', 'load', example);
    expect(again.stdout).toContain('BF-HOMICIDE-RATE-MX: unchanged; no target changed');
    const list = await runMarco(data, 'benchmark', 'list');
    expect(list.stdout).toContain('BF-SYNTHETIC-OPIOID-DEATHS-US');
    expect(list.stdout).toContain('2022: 25, not in effect: awaiting US, MX');
    const es = await runMarco(data, '--lang', 'es', 'benchmark', 'list');
    expect(es.stdout).toContain('2022: 25, no vigente: falta US, MX');
  });
});
