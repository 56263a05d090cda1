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
    expect((await marco(dir, 'funding', 'export')).stdout.trim().split('\n')).toHaveLength(1);
    const done = await marco(dir, 'funding', 'import', file, ...owner);
    expect(done.code, done.stderr).toBe(EXIT.ok);
    expect(done.stdout).toContain('3 lines read; 3 created, 0 updated, 0 unchanged');
    // The flag names the file, the line and the obligation.
    expect(done.stdout).toMatch(/flag: .*funding\.csv:3.*FY2021.*INCLE/);
    const exported = (await marco(dir, 'funding', 'export')).stdout.trim().split('\n');
    expect(exported[0]).toBe(`${HEADER},country,agency,classification,id,status,version,updated_at`);
    const cells = exported.slice(1).map((l) => l.split(',').slice(0, 3).join(','));
    expect(cells.sort()).toEqual([
      'FY2021,ESF,disbursement',
      'FY2021,INCLE,appropriation',
      'FY2021,INCLE,obligation',
    ]);
    expect(exported.join('\n')).toContain('"CN 21-104, table 2"');
    expect(exported.join('\n')).toContain(',750000.5,USD,');
    // The export imports back, from standard input, as three unchanged lines.
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
    expect(JSON.parse(again.stdout)).toMatchObject({ file: 'stdin', rows: 3 });
    expect(JSON.parse(again.stdout).saved.map((s: { action: string }) => s.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
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
});
