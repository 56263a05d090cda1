/**
 * `marco results export` and `marco results import` on the example data directory: the export to
 * standard output imports back from standard input as ignored rows (`export -o - | import -`); an edited
 * file's dry run writes nothing, its import changes what it says, and the next export is the edited
 * file; a file with a conflict exits 3 and names the line; a wrong header exits 2 and says where.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { runMarco as marco, runMarcoWithInput } from '../fixtures/run-marco.js';

describe('marco results import and export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-exchange-'));
    expect((await marco(dir, 'init', '--example')).code).toBe(EXIT.ok);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('pipes an export into an import: every row is ignored, nothing changes', async () => {
    const exported = await marco(dir, 'results', 'export', '-o', '-');
    expect(exported.code).toBe(EXIT.ok);
    const lines = exported.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'indicator,period,place,disaggregation,value,numerator,denominator,comment,evidence',
    );
    const piped = await runMarcoWithInput(dir, [exported.stdout], 'results', 'import', '-', '--json');
    expect(piped.code, piped.stderr).toBe(EXIT.ok);
    expect(JSON.parse(piped.stdout)).toMatchObject({
      file: 'stdin',
      rows: lines.length - 1,
      imported: 0,
      updated: 0,
      ignored: lines.length - 1,
    });
    const json = await marco(dir, 'results', 'export', '--format', 'json');
    expect(JSON.parse(json.stdout).results).toHaveLength(lines.length - 1);
  });

  it('round-trips an edited file through a dry run and an import', async () => {
    const file = path.join(dir, 'results.csv');
    expect((await marco(dir, 'results', 'export', '-o', file)).code).toBe(EXIT.ok);
    const before = await readFile(file, 'utf8');
    const edited = `${before}EX-HOM-RATE-08,2020,08,sex:male,30.5,,,from the CLI,\n`;
    await writeFile(file, edited);
    const dry = await marco(dir, 'results', 'import', file, '--dry-run');
    expect(dry.code).toBe(EXIT.ok);
    expect(dry.stdout).toContain('1 would be imported');
    expect((await marco(dir, 'results', 'export')).stdout).toBe(before);
    const done = await marco(dir, 'results', 'import', file);
    expect(done.stdout).toContain('1 imported, 0 updated');
    // The new row sorts among the others: compare as sets of lines, and the next export is stable.
    const after = (await marco(dir, 'results', 'export')).stdout;
    expect(after.split('\n').sort()).toEqual(edited.split('\n').sort());
    expect((await marco(dir, 'results', 'export')).stdout).toBe(after);
  });

  it('refuses a conflict with exit 3 and a wrong header with exit 2, naming the line', async () => {
    const file = path.join(dir, 'bad.csv');
    const header = 'indicator,period,place,disaggregation,value,numerator,denominator,comment,evidence';
    await writeFile(file, `${header}\nEX-HOM-RATE-08,2031,08,sex:male,1,,,,\n`);
    const conflict = await marco(dir, 'results', 'import', file, '--lang', 'es');
    expect(conflict.code).toBe(EXIT.conflict);
    expect(conflict.stderr).toContain(`${file}:2`);
    expect(conflict.stderr).toContain('no está declarado');
    await writeFile(file, 'indicador,periodo\nX,2020\n');
    const header2 = await marco(dir, 'results', 'import', file);
    expect(header2.code).toBe(EXIT.invalid);
    expect(header2.stderr).toContain(`${file}:1`);
  });

  it('imports an eTrace file of firearms traces as results of the firearms indicator, all or none', async () => {
    // Synthetic rows in the eTrace layout (not ATF figures): a BOM, CRLF line ends, a state code without
    // its leading zero and a count with a thousands comma, as spreadsheets write them.
    const file = path.join(dir, 'etrace-2025.csv');
    await writeFile(
      file,
      '\uFEFFstate,year,traced,us_sourced,source\r\n8,2025,500,340,synthetic test rows\r\n25,2025,"1,200",900,synthetic test rows\r\n',
    );
    const nameless = await marco(dir, 'results', 'import', file);
    expect(nameless.code).toBe(EXIT.invalid);
    expect(nameless.stderr).toContain('--indicator EX-FIREARMS-US-SOURCED');
    const done = await marco(dir, 'results', 'import', file, '--indicator', 'EX-FIREARMS-US-SOURCED');
    expect(done.code, done.stderr).toBe(EXIT.ok);
    expect(done.stdout).toContain('2 imported, 0 updated');
    const rows = (await marco(dir, 'results', 'export', '--indicator', 'EX-FIREARMS-US-SOURCED')).stdout;
    expect(rows).toContain('EX-FIREARMS-US-SOURCED,2025,08,,68,340,500,synthetic test rows,');
    expect(rows).toContain('EX-FIREARMS-US-SOURCED,2025,25,,75,900,1200,synthetic test rows,');

    // Bad rows: each named by line and column, in Spanish under --lang es, and nothing written.
    await writeFile(
      file,
      'state,year,traced,us_sourced\n40,2025,10,5\n08,20x5,10,5\n09,2025,10,12\n10,2025,ten,1\n11,2017/2017,10,5\n',
    );
    const bad = await marco(
      dir,
      '--lang',
      'es',
      'results',
      'import',
      file,
      '--indicator',
      'EX-FIREARMS-US-SOURCED',
    );
    expect(bad.code).toBe(EXIT.invalid);
    expect(bad.stderr).toContain(`${file}:2:1 (state)`);
    expect(bad.stderr).toContain(`${file}:3:2 (year)`);
    expect(bad.stderr).toContain(`${file}:4:4 (us_sourced)`);
    expect(bad.stderr).toContain(`${file}:5:3 (traced)`);
    expect(bad.stderr).toContain(`${file}:6:2 (year)`);
    expect(bad.stderr).toContain('se esperaba aquí una clave INEGI de estado'.replace(/^s/, 'S'));
    expect((await marco(dir, 'results', 'export', '--indicator', 'EX-FIREARMS-US-SOURCED')).stdout).toBe(
      rows,
    );
  });
});
