/**
 * The seeded reliability run: `marco serve` and `marco import`, started on brand-new and on populated
 * data directories with each records store (embedded PGlite, and PostgreSQL when `DATABASE_URL` is
 * set), are killed with SIGKILL at a random moment. After every kill the stores must open, and hold a
 * committed state:
 *
 * - statistics: every live vintage's table holds exactly the rows its vintage row says it loaded, and
 *   nothing else is there; an interrupted import left either nothing or its whole vintage;
 * - records: the audit chain verifies; the built-in frameworks, and the example workspace, are there
 *   entirely or not at all.
 *
 * Two more scenarios kill a running server in the middle of a request: an upload of the municipal
 * file through `POST /api/v1/imports` (the statistics hold the whole import or nothing of it), and a
 * period lock through `POST /api/v1/periods/{code}/lock` (every result of the period is locked with
 * it, or none is).
 *
 * `npm run reliability -- --kills 100 --seed 1` runs it; `reliability.test.ts` runs a short version in
 * `npm test`. Each run prints one line per kill and a summary.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { prng } from '../../src/eval/random.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { openRecords, type RecordsKind, type RecordsStore } from '../../src/records/database.js';
import { openStats } from '../../src/stats/stats-store.js';
import { sharedFile } from '../stats/shared-data.js';

export interface ReliabilityOptions {
  kills: number;
  seed: number;
  stores: RecordsKind[];
  databaseUrl?: string;
  /** Only these kinds of run (all of them by default). */
  scenarios?: string[];
  log?: (line: string) => void;
}

export interface ReliabilityReport {
  kills: number;
  /** Runs that ended on their own before the kill came (they still had to leave a good state). */
  finishedFirst: number;
  failedToOpen: number;
  partialImports: number;
  badRecords: number;
  problems: string[];
  byScenario: Record<string, number>;
}

type Scenario =
  | 'serve-fresh'
  | 'serve-populated'
  | 'import-fresh'
  | 'import-populated'
  | 'upload-populated'
  | 'lock-populated';
export const SCENARIOS: Scenario[] = [
  'serve-fresh',
  'serve-populated',
  'import-fresh',
  'import-populated',
  'upload-populated',
  'lock-populated',
];
/** The period the lock scenario locks: the example's Mexican calendar year. */
const LOCKED_PERIOD = '2017';

const STATE_FILE = () => sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const MUNICIPAL_FILE = () => sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');

/** Runs the CLI from source; kills it `afterMs` after it started. */
async function runKilled(
  args: string[],
  env: NodeJS.ProcessEnv,
  afterMs: number,
): Promise<{ killed: boolean; code: number | null; stderr: string; stdout: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PACKAGE_ROOT, 'test/records/cli-entry.ts'), ...args],
    { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  let killed = false;
  const timer = setTimeout(() => {
    killed = child.exitCode === null && child.kill('SIGKILL');
  }, afterMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { killed, code, stderr, stdout };
}

/** Runs the CLI to completion (setting up a populated directory); returns what it printed. */
async function runToEnd(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { code, stderr, stdout } = await runKilled(args, env, 600_000);
  if (code !== 0) throw new Error(`marco ${args.join(' ')} failed (${code}): ${stderr}`);
  return stdout;
}

/** An admin and data steward's token for Mexico's SSPC, made on the data directory. */
async function stewardToken(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const out = await runToEnd(
    [
      '--data-dir',
      dir,
      'token',
      'create',
      '--user',
      'reliability',
      '--country',
      'MX',
      '--agency',
      'SSPC',
      '--roles',
      'data_steward,admin',
    ],
    env,
  );
  return /marco_[A-Za-z0-9_-]+/.exec(out)![0];
}

/**
 * Starts `serve`, sends it one request (`send(base)`) once it serves, and kills it with SIGKILL
 * `afterMs` after the request went out; `killed` is false when the server was still up and the request
 * had ended first (the server is then stopped with SIGKILL anyway).
 */
async function serveAndKill(
  args: string[],
  env: NodeJS.ProcessEnv,
  afterMs: number,
  send: (base: string) => Promise<unknown>,
): Promise<{ killed: boolean; requestMs: number; error?: unknown }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PACKAGE_ROOT, 'test/records/cli-entry.ts'), ...args],
    { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 120_000);
    const seen = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
  });
  let ended = false;
  let error: unknown;
  const sent = Date.now();
  let requestMs = 0;
  const request = send(base).then(
    () => {
      ended = true;
      requestMs = Date.now() - sent;
    },
    (e: unknown) => {
      ended = true;
      requestMs = Date.now() - sent;
      error = e;
    },
  );
  await Promise.race([request, new Promise((resolve) => setTimeout(resolve, afterMs))]);
  const killed = !ended;
  child.kill('SIGKILL');
  await exited;
  await request;
  return { killed, requestMs, ...(error === undefined || killed ? {} : { error }) };
}

/** A request's answer, refused unless it succeeded (the reference runs must really lock and import). */
async function answered(res: Response): Promise<void> {
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
}

/** Locks {@link LOCKED_PERIOD} through the server, overriding its unapproved results. */
const lock = (base: string, token: string) =>
  fetch(`${base}/api/v1/periods/${LOCKED_PERIOD}/lock`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ override_reason: 'locked by the reliability run' }),
  }).then(answered);

/** Uploads the municipal file through the server. */
const upload = async (base: string, token: string, file: string) =>
  fetch(`${base}/api/v1/imports?source=inegi-homicides-municipal&file_name=${path.basename(file)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: await readFile(file),
  }).then(answered);

/** How many of the example's results are locked, and whether the lock's period is. */
async function lockedResults(kind: RecordsKind, dataDir: string, databaseUrl: string | undefined) {
  const store: RecordsStore =
    kind === 'pglite' ? await openRecords({ dataDir }) : await openRecords({ databaseUrl: databaseUrl! });
  try {
    const period = await store.db
      .selectFrom('periods')
      .select('locked_at')
      .where('code', '=', LOCKED_PERIOD)
      .executeTakeFirstOrThrow();
    const [row] = await store.db
      .selectFrom('results')
      .select((e) => e.fn.countAll().as('n'))
      .where('status', '=', 'locked')
      .execute();
    return { periodLocked: period.locked_at !== null, results: Number(row!.n) };
  } finally {
    await store.close();
  }
}

/** Starts `serve`, waits until it serves, and stops it with SIGTERM. */
async function serveOnce(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PACKAGE_ROOT, 'test/records/cli-entry.ts'), ...args],
    { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 120_000);
    const seen = (chunk: Buffer) => {
      out += chunk.toString();
      if (/serving on|sirviendo en/i.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
  });
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
}

/** What the statistics store holds, and what is wrong with it; throws when it does not open. */
async function statsState(dataDir: string): Promise<{ key: string; problems: string[] }> {
  const stats = await openStats({ dataDir });
  try {
    const vintages = await stats.all<{
      id: number;
      table_name: string | null;
      rows_loaded: number;
      source: string;
    }>(`select id, table_name, rows_loaded, source from vintages order by id`);
    const problems: string[] = [];
    for (const v of vintages.filter((x) => x.table_name)) {
      const [row] = await stats.all<{ n: number }>(`select count(*) as n from ${v.table_name}`);
      if (row!.n !== v.rows_loaded)
        problems.push(`vintage ${v.id} (${v.source}) says ${v.rows_loaded} rows, its table holds ${row!.n}`);
    }
    const tables = await stats.all<{ name: string }>(
      `select table_name as name from information_schema.tables where table_name like 'obs\\_%' escape '\\'`,
    );
    const known = new Set(vintages.map((v) => v.table_name));
    for (const t of tables) if (!known.has(t.name)) problems.push(`table ${t.name} belongs to no vintage`);
    const [total] = await stats.all<{ n: number }>(`select count(*) as n from observations`);
    return { key: `${vintages.map((v) => `${v.source}:${v.rows_loaded}`).join(',')}|${total!.n}`, problems };
  } finally {
    stats.close();
  }
}

/** What the records store holds, and what is wrong with it; throws when it does not open. */
async function recordsState(
  kind: RecordsKind,
  dataDir: string,
  databaseUrl: string | undefined,
): Promise<{ frameworks: number; programs: number; problems: string[] }> {
  const store: RecordsStore =
    kind === 'pglite' ? await openRecords({ dataDir }) : await openRecords({ databaseUrl: databaseUrl! });
  try {
    const problems: string[] = [];
    const audit = await verifyAudit(store);
    if (audit.brokenAt !== null) problems.push(`audit chain broken at entry ${audit.brokenAt}`);
    const count = async (table: 'frameworks' | 'programs') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { frameworks: await count('frameworks'), programs: await count('programs'), problems };
  } finally {
    await store.close();
  }
}

/** A PostgreSQL database of its own for one kill, dropped afterwards. */
async function scratchDatabase(
  adminUrl: string,
  name: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function runReliability(o: ReliabilityOptions): Promise<ReliabilityReport> {
  const log = o.log ?? (() => undefined);
  const state = STATE_FILE();
  const municipal = MUNICIPAL_FILE();
  if (!state || !municipal) throw new Error('the reliability run needs the shared INEGI homicide files');
  const rand = prng(o.seed);
  const scenarios = o.scenarios ? SCENARIOS.filter((s) => o.scenarios!.includes(s)) : SCENARIOS;
  if (scenarios.length === 0) throw new Error(`--scenarios: expected some of ${SCENARIOS.join(', ')}`);
  const report: ReliabilityReport = {
    kills: 0,
    finishedFirst: 0,
    failedToOpen: 0,
    partialImports: 0,
    badRecords: 0,
    problems: [],
    byScenario: {},
  };
  const root = await mkdtemp(path.join(os.tmpdir(), 'marco-reliability-'));
  try {
    // A populated template: records initialised with the example, statistics with the state file.
    const template = path.join(root, 'template');
    await runToEnd(['--data-dir', template, 'import', 'inegi-homicides-state', state], { DATABASE_URL: '' });
    // How long each kind of run takes here, so kills land anywhere inside one.
    let started = Date.now();
    await serveOnce(['--data-dir', template, 'serve', '--port', '0', '--example'], { DATABASE_URL: '' });
    const serveMs = Date.now() - started;
    const populatedStats = await statsState(template);
    // The whole example: what a fresh serve --example holds once it has committed everything.
    const full = await recordsState('pglite', template, undefined);
    // The whole outcome of each import, to tell a complete vintage from a partial one.
    const complete = new Map<string, Set<string>>();
    let importMs = 0;
    for (const [scenario, base] of [
      ['import-fresh', undefined],
      ['import-populated', template],
    ] as const) {
      const dir = path.join(root, `reference-${scenario}`);
      if (base) await cp(base, dir, { recursive: true });
      const before = base ? populatedStats.key : (await statsState(dir)).key;
      started = Date.now();
      await runToEnd(['--data-dir', dir, 'import', 'inegi-homicides-municipal', municipal], {
        DATABASE_URL: '',
      });
      importMs = Math.max(importMs, Date.now() - started);
      complete.set(scenario, new Set([before, (await statsState(dir)).key]));
    }
    // The lock through a server, once to the end: the locked results before and after it.
    const lockDir = path.join(root, 'reference-lock');
    await cp(template, lockDir, { recursive: true });
    const lockToken = await stewardToken(lockDir, { DATABASE_URL: '' });
    const unlocked = await lockedResults('pglite', lockDir, undefined);
    const locking = await serveAndKill(
      ['--data-dir', lockDir, 'serve', '--port', '0'],
      { DATABASE_URL: '' },
      600_000,
      (base) => lock(base, lockToken),
    );
    if (locking.error) throw new Error(`the reference lock failed: ${String(locking.error)}`);
    const lockMs = locking.requestMs;
    // The upload through a server, once to the end: it must leave what the same CLI import leaves.
    const uploadDir = path.join(root, 'reference-upload');
    await cp(template, uploadDir, { recursive: true });
    const uploadToken = await stewardToken(uploadDir, { DATABASE_URL: '' });
    const uploading = await serveAndKill(
      ['--data-dir', uploadDir, 'serve', '--port', '0'],
      { DATABASE_URL: '' },
      600_000,
      (base) => upload(base, uploadToken, municipal),
    );
    if (uploading.error) throw new Error(`the reference upload failed: ${String(uploading.error)}`);
    if (!complete.get('import-populated')!.has((await statsState(uploadDir)).key))
      throw new Error('the reference upload left other statistics than the same import from the CLI');
    const uploadMs = uploading.requestMs;
    const lockOutcomes = new Set([
      JSON.stringify(unlocked),
      JSON.stringify(await lockedResults('pglite', lockDir, undefined)),
    ]);
    if (lockOutcomes.size !== 2)
      throw new Error('the reference lock changed nothing: the scenario would prove nothing');
    log(
      `a serve starts in ${serveMs} ms, an import runs ${importMs} ms, an upload ${uploadMs} ms and a lock request ${lockMs} ms here; kills fall inside those`,
    );

    for (let i = 0; i < o.kills; i++) {
      const scenario = scenarios[Math.floor(rand() * scenarios.length)]!;
      const kind = o.stores[Math.floor(rand() * o.stores.length)]!;
      const dir = path.join(root, `kill-${i}`);
      const populated = scenario.endsWith('populated');
      if (populated) await cp(template, dir, { recursive: true });
      let database: { url: string; drop(): Promise<void> } | undefined;
      if (kind === 'postgres') {
        database = await scratchDatabase(o.databaseUrl!, `marco_reliability_${process.pid}_${i}`);
        // A populated PostgreSQL store: the example loaded by a serve that ran to the end.
        if (populated)
          await serveOnce(['--data-dir', dir, 'serve', '--port', '0', '--example'], {
            DATABASE_URL: database.url,
          });
      }
      const env = { DATABASE_URL: database?.url ?? '' };
      const before = populated ? await recordsState(kind, dir, database?.url) : undefined;
      // Kill anywhere from the first instruction (or the request) to the end of a typical run.
      // A lock is over in a fraction of its first request's time on a cold server: aim at the front.
      const span = { serve: serveMs, import: importMs, upload: uploadMs, lock: lockMs * 0.6 }[
        scenario.split('-')[0] as 'serve' | 'import' | 'upload' | 'lock'
      ];
      const afterMs = Math.floor(rand() * span);
      let run: { killed: boolean; error?: unknown };
      if (scenario === 'upload-populated' || scenario === 'lock-populated') {
        const token = await stewardToken(dir, env);
        run = await serveAndKill(['--data-dir', dir, 'serve', '--port', '0'], env, afterMs, (base) =>
          scenario === 'lock-populated' ? lock(base, token) : upload(base, token, municipal),
        );
      } else {
        const args = scenario.startsWith('serve')
          ? ['--data-dir', dir, 'serve', '--port', '0', ...(rand() < 0.5 ? ['--example'] : [])]
          : ['--data-dir', dir, 'import', 'inegi-homicides-municipal', municipal];
        run = await runKilled(args, env, afterMs);
      }
      report.kills++;
      report.byScenario[`${scenario} ${kind}`] = (report.byScenario[`${scenario} ${kind}`] ?? 0) + 1;
      if (!run.killed) report.finishedFirst++;
      // A request that ended on its own must have succeeded: a refused one would prove nothing.
      if (run.error)
        report.problems.push(`kill ${i + 1} (${scenario}): the request failed: ${String(run.error)}`);
      const where = `kill ${i + 1} (${scenario}, ${kind}, at ${afterMs} ms${run.killed ? '' : ', finished first'})`;
      let line = `${where}: ok`;
      try {
        const stats = await statsState(dir);
        if (
          stats.problems.length > 0 ||
          (scenario.startsWith('import') && !complete.get(scenario)!.has(stats.key)) ||
          (scenario === 'upload-populated' && !complete.get('import-populated')!.has(stats.key))
        ) {
          report.partialImports++;
          report.problems.push(`${where}: statistics ${stats.key} ${stats.problems.join('; ')}`);
          line = `${where}: PARTIAL statistics`;
        }
        const records = await recordsState(kind, dir, database?.url);
        // The built-in frameworks and the example are each one transaction: all there, or none.
        const frameworksOk = (before ? [before.frameworks] : [0, full.frameworks]).includes(
          records.frameworks,
        );
        const expectedPrograms = before ? [before.programs] : [0, full.programs];
        if (scenario === 'lock-populated') {
          const locked = JSON.stringify(await lockedResults(kind, dir, database?.url));
          if (!lockOutcomes.has(locked)) records.problems.push(`a partial lock: ${locked}`);
        }
        if (records.problems.length > 0 || !frameworksOk || !expectedPrograms.includes(records.programs)) {
          report.badRecords++;
          report.problems.push(
            `${where}: records ${JSON.stringify(records)} (before ${JSON.stringify(before)})`,
          );
          line = `${where}: BAD records`;
        }
      } catch (error) {
        report.failedToOpen++;
        report.problems.push(`${where}: a store did not open: ${(error as Error).message.split('\n')[0]}`);
        line = `${where}: FAILED TO OPEN`;
      }
      log(line);
      await database?.drop();
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return report;
}
