import { loadWorkspace } from '../../src/records/workspace-load.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '../fixtures/workspace.js';
import { sql } from 'kysely';
import { ConflictError } from '../../src/error.js';
import { readInputDocument } from '../../src/domain/input-document.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { STORE_KINDS, countRows, freshStore } from './stores.js';

/** A workspace file holding one program; `version` is the version its editor read. */
function programFile(code: string, title: string, version?: number): unknown {
  const text = `marco: workspace/1
defaults:
  country: US
  agency: INL
programs:
  - code: ${code}
    title: { en: ${JSON.stringify(title)}, es: ${JSON.stringify(`${title} (es)`)} }
    status: active
${version !== undefined ? `    version: ${version}\n` : ''}`;
  return readInputDocument(text, `${code}.yaml`).data;
}

describe.each(STORE_KINDS)('concurrent writes on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
  });
  afterAll(() => store?.dispose());

  const program = (code: string) =>
    store.db
      .selectFrom('programs')
      .select(['version', 'title_en', 'updated_by'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();

  const programUpdates = (code: string) =>
    store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'program')
      .where('entity_key', '=', code)
      .where('action', '=', 'update')
      .execute();

  /** Creates `code` at version 1 and returns the two competing edits, both made from version 1. */
  async function twoEditsOf(code: string) {
    await loadWorkspace(store, programFile(code, 'Original title'), { actor: 'setup', now: clock });
    expect((await program(code)).version).toBe(1);
    return [
      {
        actor: 'alice',
        title: `Title by alice for ${code}`,
        file: programFile(code, `Title by alice for ${code}`, 1),
      },
      {
        actor: 'bob',
        title: `Title by bob for ${code}`,
        file: programFile(code, `Title by bob for ${code}`, 1),
      },
    ];
  }

  /** Checks that exactly one edit won, the other lost with a 409 conflict, and the store shows the winner only. */
  async function expectOneWinner(
    code: string,
    edits: { actor: string; title: string }[],
    outcomes: PromiseSettledResult<unknown>[],
  ): Promise<void> {
    const fulfilled = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
    const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const error = rejected[0];
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).status).toBe(409);
    expect((error as ConflictError).entity).toBe('program');
    expect((error as ConflictError).key).toBe(code);
    expect((error as ConflictError).expected).toBe(1);
    expect((error as ConflictError).actual).toBe(2);

    const winner = edits[fulfilled[0]!]!;
    const row = await program(code);
    expect(row.version).toBe(2);
    expect(row.title_en).toBe(winner.title);
    expect(row.updated_by).toBe(winner.actor);

    const updates = await programUpdates(code);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.actor).toBe(winner.actor);
    expect(updates[0]!.before?.title_en).toBe('Original title');
    expect(updates[0]!.after?.title_en).toBe(winner.title);
    expect(updates[0]!.after?.version).toBe(2);
  }

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const code = 'TEST-RACE';
    const edits = await twoEditsOf(code);
    const outcomes = await Promise.allSettled(
      edits.map((e) =>
        loadWorkspace(store, e.file, { actor: e.actor, now: clock, source: `${e.actor}.yaml` }),
      ),
    );
    await expectOneWinner(code, edits, outcomes);
  });

  // PGlite has a single connection, so only a server can hold a row lock while both edits queue behind it.
  // The test is defined only there (not skipped elsewhere): CI forbids skipped tests.
  (kind === 'postgres' ? it : () => undefined)(
    'lets exactly one win when both edits wait on the same row lock',
    async () => {
      const code = 'TEST-RACE-LOCKED';
      const edits = await twoEditsOf(code);
      // Hold the program's row lock until both loads are queued behind it, so they truly overlap.
      const { loads } = await store.db.transaction().execute(async (trx) => {
        await trx.selectFrom('programs').select('id').where('code', '=', code).forUpdate().execute();
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        const blocker = rows[0]!.pid;
        const loads = Promise.allSettled(
          edits.map((e) =>
            loadWorkspace(store, e.file, { actor: e.actor, now: clock, source: `${e.actor}.yaml` }),
          ),
        );
        const deadline = Date.now() + 20_000;
        for (;;) {
          // The first load waits on the blocker; the second queues on the row's tuple lock behind the first.
          const waiting = await sql<{ n: number }>`
            with recursive waiter(pid) as (
              select pid from pg_stat_activity where ${blocker}::int = any(pg_blocking_pids(pid))
              union
              select a.pid from pg_stat_activity a join waiter w on w.pid = any(pg_blocking_pids(a.pid))
            )
            select count(*)::int as n from waiter`.execute(store.db);
          if (waiting.rows[0]!.n >= 2) break;
          if (Date.now() > deadline) throw new Error('the two loads never queued behind the row lock');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // Wrapped: returning the promise itself would keep the lock until the loads finish (a deadlock).
        return { loads };
      });
      await expectOneWinner(code, edits, await loads);
    },
  );

  it('refuses a stale edit made after another one, and writes nothing', async () => {
    const code = 'TEST-STALE';
    await loadWorkspace(store, programFile(code, 'Original title'), { actor: 'setup', now: clock });
    await loadWorkspace(store, programFile(code, 'First edit', 1), { actor: 'alice', now: clock });
    expect(await program(code)).toMatchObject({ version: 2, title_en: 'First edit' });

    const before = await countRows(store);
    const error = await loadWorkspace(store, programFile(code, 'Stale edit', 1), {
      actor: 'bob',
      now: clock,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).status).toBe(409);
    expect((error as ConflictError).details()).toEqual({
      entity: 'program',
      key: code,
      expectedVersion: 1,
      currentVersion: 2,
    });
    expect(await countRows(store)).toEqual(before);
    expect(await program(code)).toMatchObject({ version: 2, title_en: 'First edit', updated_by: 'alice' });

    // An edit carrying the current version goes through.
    await loadWorkspace(store, programFile(code, 'Second edit', 2), { actor: 'bob', now: clock });
    expect(await program(code)).toMatchObject({ version: 3, title_en: 'Second edit', updated_by: 'bob' });
  });

  it('keeps the audit chain intact, and detects a tampered entry', async () => {
    const intact = await verifyAudit(store);
    expect(intact.entries).toBeGreaterThan(0);
    expect(intact.brokenAt).toBeNull();

    expect(intact.tampered).toBe(false);
    // The log is append-only in the database: UPDATE, DELETE and TRUNCATE are refused by its trigger.
    for (const statement of [
      sql`update audit_log set actor = 'mallory' where id = (select min(id) from audit_log)`,
      sql`delete from audit_log where id = (select max(id) from audit_log)`,
      sql`truncate audit_log`,
    ])
      await expect(statement.execute(store.db)).rejects.toThrow(/the audit log is append-only/);

    // Last test of the suite: the table's owner switches the trigger off and rewrites an entry.
    await sql`alter table audit_log disable trigger user`.execute(store.db);
    await sql`update audit_log set actor = 'mallory' where id = (select min(id) from audit_log)`.execute(
      store.db,
    );
    const { first } = await store.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.min<number>('id').as('first'))
      .executeTakeFirstOrThrow();
    const tampered = await verifyAudit(store);
    expect(tampered.entries).toBe(intact.entries);
    expect(tampered.brokenAt).toBe(Number(first));
    expect(tampered.tampered).toBe(true);
  });
});
