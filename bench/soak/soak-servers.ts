/**
 * The deployment a soak runs against: a fresh PostgreSQL database, a data directory with the example
 * workspace and the starter statistics, a token, and N `marco serve` processes (the built CLI) with
 * statistics generations. Everything is removed by `close`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { main } from '../../src/cli/main.js';
import { PACKAGE_ROOT } from '../../src/package.js';

export interface SoakServer {
  child: ChildProcess;
  base: string;
  pid: number;
}

export interface SoakDeployment {
  databaseUrl: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  servers: SoakServer[];
  /** A token of a Mexican official who reports, approves and imports. */
  token: string;
  /** Stops one server with SIGKILL, and starts another in its place. */
  restart(index: number): Promise<void>;
  close(): Promise<void>;
}

async function admin(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function marco(env: NodeJS.ProcessEnv, dir: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'marco', '--data-dir', dir, ...args], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    stdin: Readable.from([]),
  });
  if (code !== 0) throw new Error(`marco ${args.join(' ')} failed (${code}): ${stderr}`);
  return stdout;
}

function startServer(env: NodeJS.ProcessEnv, dir: string): Promise<SoakServer> {
  const child = spawn(
    process.execPath,
    [path.join(PACKAGE_ROOT, 'bin/marco.js'), '--data-dir', dir, 'serve', '--port', '0'],
    {
      cwd: PACKAGE_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /serving on (http:\/\/\S+?)\/? /.exec(out);
      if (url) resolve({ child, base: url[1]!.replace(/\/$/, ''), pid: child.pid! });
    });
    child.once('exit', (code) => reject(new Error(`marco serve ended (${code}): ${err}`)));
  });
}

export async function deploy(serverUrl: string, processes: number): Promise<SoakDeployment> {
  const name = `marco_soak_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-soak-'));
  const { DATABASE_URL: _d, ...rest } = process.env;
  const env = {
    ...rest,
    DATABASE_URL: databaseUrl,
    MARCO_STATISTICS: 'generations',
    MARCO_USER: 'soak',
    LANG: 'en_US.UTF-8',
    MARCO_LOG_LEVEL: 'warn',
    // The soak's clients all come from one address: the per-address budget would be the test.
    MARCO_REQUESTS_PER_MINUTE: '0',
    MARCO_CURSOR_KEY: randomBytes(32).toString('hex'),
  };
  await marco(env, dir, 'init', '--example');
  const made = await marco(
    env,
    dir,
    'token',
    'create',
    '--user',
    'soak',
    '--country',
    'MX',
    '--agency',
    'SSPC',
    '--roles',
    'viewer,reporter,approver,data_steward',
    '--json',
  );
  const token = (JSON.parse(made) as { token: string }).token;
  const servers: SoakServer[] = [];
  // The first prepares what is missing (a generation of the built-in figures); the others find it done.
  servers.push(await startServer(env, dir));
  servers.push(...(await Promise.all(Array.from({ length: processes - 1 }, () => startServer(env, dir)))));
  const stop = (s: SoakServer) =>
    new Promise<void>((resolve) => {
      if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
      s.child.once('exit', () => resolve());
      s.child.kill('SIGTERM');
    });
  return {
    databaseUrl,
    dir,
    env,
    servers,
    token,
    async restart(index) {
      const old = servers[index]!;
      old.child.kill('SIGKILL');
      servers[index] = await startServer(env, dir);
    },
    async close() {
      await Promise.all(servers.map(stop));
      await admin(serverUrl, `drop database if exists ${name} with (force)`);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface MemorySample {
  at: number;
  /** Resident memory, in bytes. */
  rss: number;
  /** The V8 heap's size and the part of it in use, in bytes. */
  heap: number;
  heapUsed: number;
}

const gauge = (text: string, name: string) =>
  Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? NaN);

/** A process's memory, as its `/metrics` reports it (any host, not only this one). */
export async function memoryOf(server: SoakServer, token: string): Promise<MemorySample> {
  const res = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`/metrics: ${res.status}`);
  const text = await res.text();
  return {
    at: Date.now(),
    rss: gauge(text, 'marco_process_resident_memory_bytes'),
    heap: gauge(text, 'marco_nodejs_heap_size_total_bytes'),
    heapUsed: gauge(text, 'marco_nodejs_heap_size_used_bytes'),
  };
}
