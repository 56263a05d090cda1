/**
 * `marco` as a deployment runs it: server processes spawned from source on free ports, and commands
 * run with the same environment (a PostgreSQL database of the test's own, statistics generations).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { PACKAGE_ROOT } from '../../src/package.js';

const ENTRY = path.join(PACKAGE_ROOT, 'test/records/cli-entry.ts');

/** The environment of a deployment on `databaseUrl` with statistics generations. */
export function deploymentEnv(databaseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _d, MARCO_STATISTICS: _s, MARCO_WORKERS: _w, ...rest } = process.env;
  return {
    ...rest,
    DATABASE_URL: databaseUrl,
    MARCO_STATISTICS: 'generations',
    MARCO_USER: 'tester',
    LANG: 'en_US.UTF-8',
    MARCO_LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Runs a `marco` command in this process with `env`; returns its exit code and output. */
export async function marco(env: NodeJS.ProcessEnv, dir: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'marco', '--data-dir', dir, ...args], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    stdin: Readable.from([]),
  });
  return { code, stdout, stderr };
}

export interface Server {
  child: ChildProcess;
  base: string;
  /** What it wrote to standard error so far. */
  log(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `marco serve` with `args` on a free port; resolves once it says it is serving. */
export function startServer(env: NodeJS.ProcessEnv, dir: string, ...args: string[]): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ENTRY, '--data-dir', dir, 'serve', '--port', '0', ...args],
    { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /serving on (https?:\/\/\S+?)\/? /.exec(out);
      if (url)
        resolve({
          child,
          base: url[1]!.replace(/\/$/, ''),
          log: () => err,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
    });
    void exited.then((code) => reject(new Error(`marco serve ended (${code}): ${err}`)));
  });
}
