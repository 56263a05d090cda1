/**
 * Progress bars on every long command, and `--quiet`: on a real terminal (script(1) gives the child a
 * pseudo-terminal) `import`, `fetch`, `evaluate` and `export` draw a bar with its percentage on stderr;
 * in a pipe they draw none, and with `--progress` write plain lines; `-q` silences the bar and every
 * status line but keeps the answer that was asked for (the export on stdout, the estimates). On the
 * example data directory and the real INEGI state file; `fetch` downloads it from a loopback server.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/package.js';
import { haveScript } from '../fixtures/terminal.js';
import { sharedFile } from '../stats/shared-data.js';

const run = promisify(execFile);
const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
if (!STATE) console.warn('progress-commands: ../shared/data/inegi is missing, skipping');

const ENTRY = path.join(PACKAGE_ROOT, 'test/records/cli-entry.ts');
const ENV = { ...process.env, MARCO_USER: 'tester', LANG: 'en_US.UTF-8', COLUMNS: '120' };
const SPEC = path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-states.yaml');

(haveScript && STATE ? describe : describe.skip)('progress bars and --quiet on long commands', () => {
  let dir: string;
  let server: Server;
  let url = '';
  const marco = (...args: string[]) =>
    [process.execPath, '--import', 'tsx', ENTRY, '--data-dir', dir, ...args]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
  /** What a terminal shows: stdout and stderr of the command on a pseudo-terminal. */
  const onTerminal = async (...args: string[]) =>
    (await run('script', ['-qec', marco(...args), '/dev/null'], { env: ENV, cwd: PACKAGE_ROOT })).stdout;
  /** stdout and stderr apart, in a pipe. */
  const inPipe = async (...args: string[]) => {
    const { stdout, stderr } = await run('sh', ['-c', marco(...args)], { env: ENV, cwd: PACKAGE_ROOT });
    return { stdout, stderr };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-progress-commands-'));
    await inPipe('init', '--example');
    server = createServer((req, res) => {
      res.setHeader('content-length', String(statSize));
      createReadStream(STATE!).pipe(res);
    });
    const statSize = (await stat(STATE!)).size;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}/mexico-state-month-homicide-rates-2000-2022.csv`;
  }, 120_000);
  afterAll(async () => {
    server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('import: a bar of the four stages on a terminal, stage lines with --progress, nothing with -q', async () => {
    expect(await onTerminal('import', 'inegi-homicides-state', STATE!)).toMatch(
      /import \[[█░]+\] 100% \| 4\/4/,
    );
    // The same rows gzipped: another file (another sha256), so imported again, stage by stage.
    const gz = path.join(dir, 'state.csv.gz');
    await writeFile(gz, gzipSync(await readFile(STATE!)));
    const lines = await inPipe('import', 'inegi-homicides-state', gz, '--progress');
    expect(lines.stderr.trim().split('\n')).toEqual(
      ['reading', 'validating', 'writing', 'committing'].map((stage) => `${gz}: ${stage}…`),
    );
    expect(lines.stdout).toMatch(/rows loaded/);
    const piped = await inPipe('import', 'inegi-homicides-state', STATE!);
    expect(piped.stderr).toBe('');
    const quiet = await onTerminal('-q', 'import', 'inegi-homicides-state', STATE!);
    expect(quiet.trim()).toBe('');
  }, 120_000);

  it('fetch: a bar in megabytes from a loopback server', async () => {
    const seen = await onTerminal('fetch', 'inegi-homicides-state', '--url', url, '--no-import');
    expect(seen).toMatch(
      /mexico-state-month-homicide-rates-2000-2022\.csv \[[█░]+\] 100% \| [\d.]+ MB\/[\d.]+ MB/,
    );
    const quiet = await inPipe('fetch', 'inegi-homicides-state', '--url', url, '--no-import', '--quiet');
    expect(quiet).toEqual({ stdout: '', stderr: '' });
  }, 120_000);

  it('evaluate: a bar through the randomisation inference; -q keeps the estimates', async () => {
    const seen = await onTerminal('evaluate', SPEC);
    expect(seen).toMatch(/evaluation \[[█░]+\] 100% \| 1,002\/1,002/);
    const quiet = await onTerminal('evaluate', SPEC, '-q');
    expect(quiet).not.toMatch(/[█░]/);
    const piped = await inPipe('evaluate', SPEC);
    expect(piped.stderr).toBe('');
    expect(quiet.replace(/\r/g, '')).toBe(piped.stdout.replace(/\r/g, ''));
  }, 120_000);

  it('export: a bar of three steps; -q writes the file and says nothing, or keeps stdout', async () => {
    const file = path.join(dir, 'ws.yaml');
    expect(await onTerminal('export', '-o', file)).toMatch(/export \[[█░]+\] 100% \| 3\/3/);
    const quiet = await inPipe('-q', 'export', '-o', file);
    expect(quiet).toEqual({ stdout: '', stderr: '' });
    const toStdout = await inPipe('--quiet', 'export');
    // Only the audit-head comment differs between two exports of an unchanged directory.
    const strip = (text: string) => text.replace(/^# marco audit head .*\n/, '');
    expect(strip(toStdout.stdout)).toBe(strip(await readFile(file, 'utf8')));
  }, 120_000);
});
