/**
 * The embedded store's adapter (`src/records/pglite-pool.ts`): a transaction's begin, commit and rollback
 * go by PGlite's simple protocol, and still commit what they commit and undo what they undo, savepoints
 * included; statements with parameters keep the extended protocol and their typed answers.
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pglitePool } from '../../src/records/pglite-pool.js';

interface Db {
  t: { id: number; note: string };
}

describe('the PGlite adapter', () => {
  let pglite: PGlite;
  let db: Kysely<Db>;
  const execs: string[] = [];

  beforeAll(async () => {
    pglite = await PGlite.create();
    const exec = pglite.exec.bind(pglite);
    pglite.exec = ((q: string) => {
      execs.push(q.trim().toLowerCase());
      return exec(q);
    }) as typeof pglite.exec;
    db = new Kysely<Db>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
    await sql`create table t (id integer primary key, note text not null)`.execute(db);
  });
  afterAll(() => db?.destroy());

  it('commits a transaction, by the simple protocol for its begin and commit', async () => {
    execs.length = 0;
    await db.transaction().execute((trx) => trx.insertInto('t').values({ id: 1, note: 'kept' }).execute());
    expect(execs).toEqual(['begin', 'commit']);
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([{ id: 1, note: 'kept' }]);
  });

  it('undoes a failed transaction whole', async () => {
    execs.length = 0;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ id: 2, note: 'undone' }).execute();
        await trx.insertInto('t').values({ id: 1, note: 'a duplicate key' }).execute();
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(execs).toEqual(['begin', 'rollback']);
    expect(await db.selectFrom('t').select('id').execute()).toEqual([{ id: 1 }]);
  });

  it('rolls back to a savepoint and keeps what came before it', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: 3, note: 'before' }).execute();
      await sql`savepoint inner_step`.execute(trx);
      await trx.insertInto('t').values({ id: 4, note: 'inside' }).execute();
      await sql`rollback to savepoint inner_step`.execute(trx);
    });
    expect((await db.selectFrom('t').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([1, 3]);
  });
});
