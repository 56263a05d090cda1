/**
 * A new embedded records store starts from the build's seed cluster instead of running initdb, and a
 * store that already has a cluster never does: its data are its own.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRecords } from '../../src/records/database.js';
import { pgliteSeed } from '../../src/records/pglite-seed.js';
import { sql } from 'kysely';

describe('the PGlite seed cluster', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('is built with Marco and serves new stores only, which then migrate and keep their rows', async () => {
    const seed = await pgliteSeed(undefined);
    // `npm run build` (and so `npm install`) makes it; a test run always follows a build.
    expect(seed, 'dist/pglite-seed-*.tar.gz is missing: run npm run build').toBeDefined();
    expect(seed!.size).toBeGreaterThan(1_000_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-seed-'));
    dirs.push(dir);
    const first = await openRecords({ dataDir: dir });
    await sql`create table kept (n int)`.execute(first.db);
    await sql`insert into kept values (42)`.execute(first.db);
    await first.close();
    expect(existsSync(path.join(dir, 'records', 'PG_VERSION'))).toBe(true);
    // A directory with a cluster is never seeded again.
    expect(await pgliteSeed(path.join(dir, 'records'))).toBeUndefined();
    const again = await openRecords({ dataDir: dir });
    try {
      const { rows } = await sql<{ n: number }>`select n from kept`.execute(again.db);
      expect(rows).toEqual([{ n: 42 }]);
      // The migrations ran on the seeded cluster.
      const tables = await sql<{
        t: string;
      }>`select table_name as t from information_schema.tables where table_name = 'results'`.execute(
        again.db,
      );
      expect(tables.rows.length).toBe(1);
    } finally {
      await again.close();
    }
    expect((await readdir(path.join(dir, 'records'))).length).toBeGreaterThan(5);
  }, 60_000);
});
