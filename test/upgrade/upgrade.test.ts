/**
 * An upgrade from the previous release: a deployment that release made (the example workspace and the
 * starter statistics on PostgreSQL, kept in `test/fixtures/upgrade/`) is opened by this release, which
 * applies its own migrations forward; the scorecard and a series read exactly as the previous release
 * read them, and the audit chain still holds the head it had. The same deployment moved to statistics
 * generations (its first generation made from the single file) reads the same series.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/package.js';
import { openRecords, pendingMigrations } from '../../src/records/database.js';
import { SERVER_URL, freshDatabase } from '../generations/postgres-database.js';
import { deploymentEnv, marco } from '../generations/processes.js';

const FIXTURE = path.join(PACKAGE_ROOT, 'test/fixtures/upgrade/0.1.0-ef3911c');
const run = promisify(execFile);
/** The series the previous release wrote to `series.json`, asked the same way. */
const SERIES_ARGS = [
  'stats',
  '--measure',
  'homicides',
  '--geo',
  'MX,09,31',
  '--from',
  '2015',
  '--to',
  '2020',
  '--per',
  '100000',
  '--json',
];

(SERVER_URL ? describe : describe.skip)('an upgrade from the previous release', () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let env: NodeJS.ProcessEnv;
  const fixture = async (name: string) => readFile(path.join(FIXTURE, name));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-upgrade-'));
    db = await freshDatabase();
    const sql = path.join(dir, 'records.sql');
    await writeFile(sql, gunzipSync(await fixture('records.sql.gz')));
    await run('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-f', sql, db.url]);
    await rm(sql);
    await writeFile(path.join(dir, 'statistics.duckdb'), gunzipSync(await fixture('statistics.duckdb.gz')));
    await writeFile(path.join(dir, 'audit-signing-key.pem'), await fixture('audit-signing-key.pem'), {
      mode: 0o600,
    });
    const { MARCO_STATISTICS: _s, ...rest } = deploymentEnv(db.url);
    env = rest;
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the same scorecard, series and audit head after migrating forward', async () => {
    const card = await marco(env, dir, 'scorecard', '--json');
    expect(card.code, card.stderr).toBe(0);
    expect(JSON.parse(card.stdout)).toEqual(JSON.parse((await fixture('scorecard.json')).toString()));
    const series = await marco(env, dir, ...SERIES_ARGS);
    expect(series.code, series.stderr).toBe(0);
    expect(JSON.parse(series.stdout)).toEqual(JSON.parse((await fixture('series.json')).toString()));
    const head = (await fixture('audit-head.txt')).toString().trim();
    const verify = await marco(env, dir, 'audit', 'verify', '--expect-head', head);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    // The records store is at this release's last migration.
    const store = await openRecords({ databaseUrl: db.url });
    try {
      expect(await pendingMigrations(store)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('moves to statistics generations with the same series', async () => {
    const generations = { ...env, MARCO_STATISTICS: 'generations' };
    const series = await marco(generations, dir, ...SERIES_ARGS);
    expect(series.code, series.stderr).toBe(0);
    expect(JSON.parse(series.stdout)).toEqual(JSON.parse((await fixture('series.json')).toString()));
  }, 120_000);
});
