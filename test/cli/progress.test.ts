/**
 * Progress bars appear on a terminal and not in a pipe: `marco load` of 3,000 results run on a real
 * terminal (script(1) gives the child a pseudo-terminal) draws a bar with its percentage on stderr; the
 * same load in a pipe writes no bar, and with `--progress` writes plain lines instead; `--json` never
 * shows one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PACKAGE_ROOT } from '../../src/package.js';
import { haveScript } from '../fixtures/terminal.js';
import { bigWorkspace } from '../fixtures/big-workspace.js';

const ENTRY = path.join(PACKAGE_ROOT, 'test/records/cli-entry.ts');
const marco = (...args: string[]) => `${process.execPath} --import tsx ${ENTRY} ${args.join(' ')}`;
const ENV = { ...process.env, MARCO_USER: 'tester', LANG: 'en_US.UTF-8', COLUMNS: '100' };

(haveScript ? describe : describe.skip)('progress bars', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-progress-'));
    file = path.join(dir, 'big.yaml');
    await writeFile(file, stringify(bigWorkspace()));
    execFileSync('sh', ['-c', marco('--data-dir', dir, 'init', '--empty')], { env: ENV, cwd: PACKAGE_ROOT });
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('draws a bar with its percentage on a terminal', () => {
    // script(1) runs the command on a pseudo-terminal and copies what it wrote, escapes and all.
    const seen = execFileSync(
      'script',
      ['-qec', marco('--data-dir', dir, 'load', file, '--dry-run'), '/dev/null'],
      {
        env: ENV,
        cwd: PACKAGE_ROOT,
        encoding: 'utf8',
      },
    );
    expect(seen).toMatch(/results \[[█░]+\] 100% \| 3,000\/3,000/);
    expect(seen).toContain('nothing was written (dry run)');
  }, 60_000);

  it('writes no bar in a pipe, and lines with --progress', () => {
    const piped = execFileSync(
      'sh',
      ['-c', `${marco('--data-dir', dir, 'load', file, '--dry-run')} 2>&1 | cat`],
      {
        env: ENV,
        cwd: PACKAGE_ROOT,
        encoding: 'utf8',
      },
    );
    expect(piped).not.toMatch(/[█░]|%/);
    const lines = execFileSync(
      'sh',
      ['-c', `${marco('--data-dir', dir, 'load', file, '--dry-run', '--progress')} 2>&1 | cat`],
      { env: ENV, cwd: PACKAGE_ROOT, encoding: 'utf8' },
    );
    expect(lines).toContain('3000 of 3000 results written');
    expect(lines).not.toMatch(/[█░]/);
    const json = execFileSync(
      'script',
      ['-qec', marco('--data-dir', dir, 'load', file, '--dry-run', '--json'), '/dev/null'],
      {
        env: ENV,
        cwd: PACKAGE_ROOT,
        encoding: 'utf8',
      },
    );
    expect(json).not.toMatch(/[█░]/);
  }, 60_000);
});
