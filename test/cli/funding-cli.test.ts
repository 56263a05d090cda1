/**
 * `marco funding import` and `marco funding export` on the example data directory: a file in the layout
 * of docs/funding-format.md imports (a dry run first, which writes nothing), flags an obligation above
 * its appropriation, and exports back with the same cells; importing the export changes nothing; each
 * bad file of the issue (wrong header, unknown account or stage, negative amount, fiscal year out of
 * range, a currency without a rate, a text amount) exits 2, names file, line and column in English or
 * Spanish, and writes nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { runMarco as marco, runMarcoWithInput } from '../fixtures/run-marco.js';

const HEADER = 'fiscal_year,account,stage,program,node,amount,currency,source,note';
const GOOD = [
  HEADER,
  'FY2021,INCLE,appropriation,EX-CORRECTIONS,,5000000,,"CN 21-104, table 2",',
  'FY2021,INCLE,obligation,EX-CORRECTIONS,,6500000,,Obligation report,"Includes a transfer from FY2020, see note"',
  'FY2021,ESF,disbursement,,bicentennial:1,750000.50,USD,Disbursement extract,',
].join('\n');

describe('marco funding import and export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-funding-cli-'));
    expect((await marco(dir, 'init', '--example')).code).toBe(EXIT.ok);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const owner = ['--country', 'US', '--agency', 'INL'];

  it('imports a file after a dry run, flags the obligation, and exports the same cells back', async () => {
    const file = path.join(dir, 'funding.csv');
    await writeFile(file, `${GOOD}\n`);
    const dry = await marco(dir, 'funding', 'import', file, ...owner, '--dry-run');
    expect(dry.code, dry.stderr).toBe(EXIT.ok);
    expect(dry.stdout).toContain('3 lines checked; nothing was written');
    // The example's illustrative lines (none of FY2021) are there before, and the dry run adds none.
    const example = (await marco(dir, 'funding', 'export')).stdout.trim().split('\n').slice(1);
    expect(example.length).toBeGreaterThan(20);
    expect(example.filter((l) => l.startsWith('FY2021,'))).toEqual([]);
    expect(await marco(dir, 'funding', 'export')).toMatchObject({
      stdout: expect.stringContaining(example.at(-1)!),
    });
    const done = await marco(dir, 'funding', 'import', file, ...owner);
    expect(done.code, done.stderr).toBe(EXIT.ok);
    expect(done.stdout).toContain('3 lines read; 3 created, 0 updated, 0 unchanged');
    // The flag names the file, the line and the obligation.
    expect(done.stdout).toMatch(/flag: .*funding\.csv:3.*FY2021.*INCLE/);
    const exported = (await marco(dir, 'funding', 'export')).stdout.trim().split('\n');
    expect(exported[0]).toBe(`${HEADER},country,agency,classification,id,status,version,updated_at`);
    expect(exported).toHaveLength(1 + example.length + 3);
    const cells = exported
      .slice(1)
      .filter((l) => l.startsWith('FY2021,'))
      .map((l) => l.split(',').slice(0, 3).join(','));
    expect(cells.sort()).toEqual([
      'FY2021,ESF,disbursement',
      'FY2021,INCLE,appropriation',
      'FY2021,INCLE,obligation',
    ]);
    expect(exported.join('\n')).toContain('"CN 21-104, table 2"');
    expect(exported.join('\n')).toContain(',750000.5,USD,');
    // The export imports back, from standard input, every line unchanged.
    const again = await runMarcoWithInput(
      dir,
      [(await marco(dir, 'funding', 'export')).stdout],
      'funding',
      'import',
      '-',
      ...owner,
      '--json',
    );
    expect(again.code, again.stderr).toBe(EXIT.ok);
    expect(JSON.parse(again.stdout)).toMatchObject({ file: 'stdin', rows: example.length + 3 });
    expect(new Set(JSON.parse(again.stdout).saved.map((s: { action: string }) => s.action))).toEqual(
      new Set(['unchanged']),
    );
  });

  it('refuses each bad file with exit 2, naming file, line and column, and writes nothing', async () => {
    const before = (await marco(dir, 'funding', 'export')).stdout;
    const cases: [string, string, RegExp][] = [
      [
        'fiscal_year,account,stage,program,amount,dollars',
        'en',
        /bad\.csv:1: .*unknown columns dollars.*missing columns source/,
      ],
      [
        `${HEADER}\nFY2022,INCL,obligation,EX-CORRECTIONS,,10,,S,`,
        'en',
        /bad\.csv:2:2 \(account\).*"INCL".*INCLE/,
      ],
      [`${HEADER}\nFY2022,ESF,spent,EX-CORRECTIONS,,10,,S,`, 'en', /bad\.csv:2:3 \(stage\)/],
      [
        `${HEADER}\nFY2022,ESF,disbursement,EX-CORRECTIONS,,-10,,S,`,
        'en',
        /bad\.csv:2:6 \(amount\).*zero or more/,
      ],
      [`${HEADER}\nFY1900,ESF,obligation,EX-CORRECTIONS,,10,,S,`, 'en', /bad\.csv:2:1 \(fiscal_year\).*1946/],
      [`${HEADER}\nFY2022,ESF,obligation,EX-CORRECTIONS,,10,EUR,S,`, 'en', /bad\.csv:2:7 \(currency\).*EUR/],
      [
        `${HEADER}\nFY2022,ESF,obligation,EX-CORRECTIONS,,"$1,000",,S,`,
        'es',
        /bad\.csv:2:6 \(amount\).*no es un número/,
      ],
    ];
    for (const [text, lang, message] of cases) {
      const file = path.join(dir, 'bad.csv');
      await writeFile(file, `${text}\n`);
      const run = await marco(dir, '--lang', lang, 'funding', 'import', file, ...owner);
      expect(run.code, `${text}\n${run.stdout}`).toBe(EXIT.invalid);
      expect(run.stderr).toMatch(message);
    }
    expect((await marco(dir, 'funding', 'export')).stdout).toBe(before);
  });

  it('shows and replaces the deflator, and sums the approved lines in current and constant dollars', async () => {
    // The starter snapshot holds USAID's file: its implied index is in force, FY2021 = 1.
    const shown = await marco(dir, 'funding', 'deflator', 'show', '--json');
    expect(shown.code, shown.stderr).toBe(EXIT.ok);
    expect(JSON.parse(shown.stdout)).toMatchObject({ origin: 'usaid-fae', base: 'FY2021' });
    const summary = await marco(dir, 'funding', 'summary', '--program', 'EX-CORRECTIONS', '--json');
    expect(summary.code, summary.stderr).toBe(EXIT.ok);
    const current = JSON.parse(summary.stdout);
    const fy2016 = current.flow.find((f: { fiscal_year: string }) => f.fiscal_year === 'FY2016');
    expect(fy2016.stages).toMatchObject({
      allocation: 12_000_000,
      obligation: 10_500_000,
      disbursement: 6_200_000,
    });
    // A deflator table of our own, all or nothing: a bad one writes nothing.
    const bad = path.join(dir, 'bad-deflator.csv');
    await writeFile(bad, 'fiscal_year,index,source\nFY2016,0.9,Test\nFY2017,-1,Test\n');
    const refused = await marco(dir, '--lang', 'es', 'funding', 'deflator', 'import', bad, ...owner);
    expect(refused.code).toBe(EXIT.invalid);
    expect(refused.stderr).toMatch(/bad-deflator\.csv:3:2 \(index\)/);
    expect(JSON.parse((await marco(dir, 'funding', 'deflator', 'show', '--json')).stdout).origin).toBe(
      'usaid-fae',
    );
    const good = path.join(dir, 'deflator.csv');
    await writeFile(good, 'fiscal_year,index,source\nFY2016,0.8,Test index\nFY2021,1,Test index\n');
    const imported = await marco(dir, 'funding', 'deflator', 'import', good, ...owner);
    expect(imported.code, imported.stderr).toBe(EXIT.ok);
    expect(imported.stdout).toContain('2 fiscal years read; 2 created, 0 updated, 0 unchanged, 0 removed');
    const constant = await marco(
      dir,
      'funding',
      'summary',
      '--program',
      'EX-CORRECTIONS',
      '--constant',
      '--json',
    );
    const fy2016c = JSON.parse(constant.stdout).flow.find(
      (f: { fiscal_year: string }) => f.fiscal_year === 'FY2016',
    );
    expect(fy2016c.stages.obligation).toBeCloseTo(10_500_000 / 0.8, 4);
    // FY2017 has no index in this table: left out, and said so.
    const text = await marco(
      dir,
      'funding',
      'summary',
      '--program',
      'EX-CORRECTIONS',
      '--constant',
      'FY2016',
    );
    expect(text.stdout).toContain('in constant U.S. dollars of FY2016');
    expect(text.stdout).toContain('FY2017: left out, the deflator has no index for it');
    const noIndex = await marco(dir, 'funding', 'summary', '--constant', 'FY2010');
    expect(noIndex.code).toBe(EXIT.invalid);
    expect(noIndex.stderr).toContain('no index for FY2010');
    expect((await marco(dir, 'funding', 'summary', '--program', 'A', '--node', 'merida:1')).code).toBe(
      EXIT.invalid,
    );
  });
});
