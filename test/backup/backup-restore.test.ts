/**
 * `marco backup` and `marco restore` round trips: a deployment with the example workspace and the
 * starter statistics is backed up, destroyed and restored into an empty data directory (PGlite) or an
 * empty database (PostgreSQL, with statistics generations); the scorecard and a series read the same
 * afterwards, and `marco audit verify --expect-head` holds the head the backup was taken at. A damaged
 * archive, an altered one, a truncated one and a target that is not empty are refused with the reason,
 * writing nothing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { create, extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_URL, freshDatabase } from '../generations/postgres-database.js';
import { deploymentEnv, marco } from '../generations/processes.js';

const { DATABASE_URL: _d, MARCO_STATISTICS: _s, ...rest } = process.env;
const EMBEDDED = { ...rest, MARCO_USER: 'tester', LANG: 'en_US.UTF-8', MARCO_LOG_LEVEL: 'warn' };

/** What must read the same after a restore: a scorecard, a series and the audit head. */
async function state(env: NodeJS.ProcessEnv, dir: string) {
  const card = await marco(env, dir, 'scorecard', '--program', 'EX-CORRECTIONS', '--json');
  expect(card.code, card.stderr).toBe(0);
  const series = await marco(
    env,
    dir,
    'stats',
    '--measure',
    'homicides',
    '--geo',
    'MX,09',
    '--from',
    '2017',
    '--to',
    '2020',
    '--per',
    '100000',
    '--json',
  );
  expect(series.code, series.stderr).toBe(0);
  const verify = await marco(env, dir, 'audit', 'verify', '--json');
  expect(verify.code, verify.stderr).toBe(0);
  return {
    card: JSON.parse(card.stdout) as unknown,
    series: JSON.parse(series.stdout) as unknown,
    head: (JSON.parse(verify.stdout) as { head: string }).head,
  };
}

describe('backup and restore on the embedded stores', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'marco-backup-'));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('restores a destroyed deployment with the same scorecard, series and audit head', async () => {
    const first = path.join(root, 'first');
    expect((await marco(EMBEDDED, first, 'init', '--example')).code).toBe(0);
    const before = await state(EMBEDDED, first);
    const archive = path.join(root, 'marco.tar');
    const made = await marco(EMBEDDED, first, 'backup', '-o', archive);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('Backup written to');
    // The archive holds the signing key: its owner alone reads it.
    expect((await import('node:fs')).statSync(archive).mode & 0o077).toBe(0);
    // A second backup to the same file is refused: nothing is overwritten.
    expect((await marco(EMBEDDED, first, 'backup', '-o', archive)).code).toBe(3);
    await rm(first, { recursive: true, force: true });

    const second = path.join(root, 'second');
    const restored = await marco(EMBEDDED, second, 'restore', archive);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('the audit chain of');
    const after = await state(EMBEDDED, second);
    expect(after.card).toEqual(before.card);
    expect(after.series).toEqual(before.series);
    const verify = await marco(EMBEDDED, second, 'audit', 'verify', '--expect-head', before.head);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    // The backup and the restore are in the chain, after the head the backup was taken at.
    expect(after.head).not.toBe(before.head);

    // Into a directory that is not empty: refused, in both languages, and nothing changes.
    const again = await marco(EMBEDDED, second, 'restore', archive);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('a restore goes into an empty data directory');
    const es = await marco({ ...EMBEDDED, LANG: 'es_MX.UTF-8' }, second, 'restore', archive);
    expect(es.stderr).toContain('una restauración va a un directorio de datos');
    expect((await state(EMBEDDED, second)).head).toBe(after.head);
  }, 180_000);

  it('refuses a damaged, altered or truncated archive, writing nothing', async () => {
    const source = path.join(root, 'source');
    expect((await marco(EMBEDDED, source, 'init')).code).toBe(0);
    const archive = path.join(root, 'good.tar');
    expect((await marco(EMBEDDED, source, 'backup', '-o', archive)).code).toBe(0);
    const unpacked = path.join(root, 'unpacked');
    await (await import('node:fs/promises')).mkdir(unpacked);
    await extract({ file: archive, cwd: unpacked });
    const names = await readdir(unpacked);

    // One byte of the statistics changed, the manifest left as it was.
    const stats = path.join(unpacked, 'statistics.duckdb');
    const bytes = await readFile(stats);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    await writeFile(stats, bytes);
    const damaged = path.join(root, 'damaged.tar');
    await create({ file: damaged, cwd: unpacked }, names);
    const target = path.join(root, 'target-damaged');
    const refused = await marco(EMBEDDED, target, 'restore', damaged);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('statistics.duckdb does not match the size and SHA-256 in the manifest');
    expect(existsSync(target) ? await readdir(target) : []).toEqual([]);

    // The manifest altered to match (its checksum rewritten), with a file it does not list added.
    await writeFile(path.join(unpacked, 'extra.sql'), 'drop table audit_log;');
    const altered = path.join(root, 'altered.tar');
    await create({ file: altered, cwd: unpacked }, [...names, 'extra.sql']);
    const alteredOut = await marco(EMBEDDED, path.join(root, 'target-altered'), 'restore', altered);
    expect(alteredOut.code).toBe(5);
    expect(alteredOut.stderr).toMatch(/extra\.sql|statistics\.duckdb/);

    // Cut in the middle.
    const whole = await readFile(archive);
    const truncated = path.join(root, 'truncated.tar');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const cut = await marco(EMBEDDED, path.join(root, 'target-cut'), 'restore', truncated);
    expect(cut.code).toBe(5);
    expect(cut.stderr).toMatch(/is not a whole Marco backup|does not match|disagree/);
    for (const t of ['target-altered', 'target-cut']) {
      const dir = path.join(root, t);
      expect(existsSync(dir) ? await readdir(dir) : []).toEqual([]);
    }
  }, 180_000);
});

(SERVER_URL ? describe : describe.skip)(
  'backup and restore on PostgreSQL with statistics generations',
  () => {
    let root: string;
    const databases: Awaited<ReturnType<typeof freshDatabase>>[] = [];
    beforeAll(async () => {
      root = await mkdtemp(path.join(os.tmpdir(), 'marco-backup-pg-'));
    });
    afterAll(async () => {
      for (const db of databases) await db.drop();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('restores into an empty database with the same scorecard, series and audit head', async () => {
      const first = await freshDatabase();
      databases.push(first);
      const env = deploymentEnv(first.url);
      const dir = path.join(root, 'first');
      expect((await marco(env, dir, 'init', '--example')).code).toBe(0);
      const before = await state(env, dir);
      const archive = path.join(root, 'marco.tar');
      const made = await marco(env, dir, 'backup', '-o', archive, '--json');
      expect(made.code, made.stderr).toBe(0);
      const manifest = JSON.parse(made.stdout) as {
        records: { kind: string };
        statistics: { generation: number };
      };
      expect(manifest.records.kind).toBe('postgres');
      expect(manifest.statistics.generation).toBeGreaterThan(0);
      await first.drop();
      databases.pop();
      await rm(dir, { recursive: true, force: true });

      const second = await freshDatabase();
      databases.push(second);
      const env2 = deploymentEnv(second.url);
      const dir2 = path.join(root, 'second');
      const restored = await marco(env2, dir2, 'restore', archive);
      expect(restored.code, restored.stderr).toBe(0);
      const after = await state(env2, dir2);
      expect(after.card).toEqual(before.card);
      expect(after.series).toEqual(before.series);
      expect((await marco(env2, dir2, 'audit', 'verify', '--expect-head', before.head)).code).toBe(0);
      // Into a database that is not empty: refused.
      const again = await marco(env2, path.join(root, 'third'), 'restore', archive);
      expect(again.code).toBe(3);
      // A PGlite target for a PostgreSQL backup: refused, naming both.
      const kind = await marco(EMBEDDED, path.join(root, 'fourth'), 'restore', archive);
      expect(kind.code).toBe(2);
      expect(kind.stderr).toContain('holds a postgres records store and the target is pglite');
    }, 240_000);
  },
);
