/**
 * Shell completion, generated from the command tree: the bash script completes commands, subcommands
 * and a command's options in bash itself; zsh loads it through bashcompinit without an error; fish
 * completes the same words; an unknown shell is a usage error. Every `--help` ends with the exit codes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { runMarco as marco } from '../fixtures/run-marco.js';

const has = (shell: string) => {
  try {
    execFileSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const [haveZsh, haveFish] = [has('zsh'), has('fish')];
if (process.env.CI === 'true' && !(haveZsh && haveFish))
  throw new Error('CI=true but zsh or fish is missing');

describe('marco completion', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-completion-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const script = async (shell: string) => {
    const made = await marco(dir, 'completion', shell);
    expect(made.code, made.stderr).toBe(EXIT.ok);
    const file = path.join(dir, `marco.${shell}`);
    await writeFile(file, made.stdout);
    return file;
  };

  it('completes commands, subcommands and options in bash', async () => {
    const file = await script('bash');
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _marco; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n');
    expect(complete('marco', 're')).toEqual(expect.arrayContaining(['reconcile', 'results']));
    expect(complete('marco', 'results', '')).toEqual(['import', 'export']);
    expect(complete('marco', 'results', 'import', '--dr')).toEqual(['--dry-run']);
    expect(complete('marco', 'results', 'import', '--da')).toEqual(['--data-dir']);
    expect(complete('marco', 'stats', '--me')).toEqual(['--measure']);
  });

  (haveZsh ? it : it.skip)('loads in zsh through bashcompinit', async () => {
    const file = await script('zsh');
    execFileSync('zsh', ['-n', file]);
    const out = execFileSync(
      'zsh',
      ['-c', `autoload -U compinit && compinit -u -D; source ${file}; whence -w _marco`],
      { encoding: 'utf8' },
    );
    expect(out).toContain('_marco: function');
  });

  (haveFish ? it : it.skip)('completes the same words in fish', async () => {
    const file = await script('fish');
    const complete = (line: string) =>
      execFileSync('fish', ['-c', `source ${file}; complete -C '${line}'`], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]);
    expect(complete('marco res')).toEqual(expect.arrayContaining(['results']));
    expect(complete('marco results ')).toEqual(expect.arrayContaining(['import', 'export']));
    expect(complete('marco results import --dr')).toEqual(['--dry-run']);
  });

  it('refuses a shell it does not know, and ends every help with the exit codes', async () => {
    const bad = await marco(dir, 'completion', 'tcsh');
    expect(bad.code).toBe(EXIT.invalid);
    expect(bad.stderr).toContain('bash, zsh, fish');
    const help = await marco(dir, 'results', 'import', '--help');
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toMatch(/ 3 {2}conflict or refused write/);
    const ayuda = await marco(dir, 'stats', '--help', '--lang', 'es');
    expect(ayuda.stdout).toContain('Códigos de salida:');
  });
});
