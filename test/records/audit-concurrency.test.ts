/**
 * The audit chain under concurrent writers. Appends take the chain's lock and read its head row in one
 * statement, then insert and move the head in another: many writers at once, on PostgreSQL from two
 * connection pools (two processes would be the same), must still leave one unbroken, signed chain with
 * every write in it. The head row is a convenience: deleted, it is rebuilt from the log; altered, the
 * next entry's link breaks and verification says where.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { clock } from '../fixtures/workspace.js';
import { DATABASE_URL, STORE_KINDS, freshStore } from './stores.js';

const WRITERS = 24;

function program(code: string) {
  return {
    marco: 'workspace/1',
    defaults: { country: 'US', agency: 'INL' },
    programs: [{ code, title: { en: `Program ${code}`, es: `Programa ${code}` }, status: 'active' }],
  };
}

describe.each(STORE_KINDS)('the audit chain under concurrent writers on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let second: RecordsStore | undefined;
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    if (kind === 'postgres') {
      // A second pool on the same schema: another process, as far as PostgreSQL can tell, signing with
      // the deployment's one key (processes share its file).
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
      const opened = await openRecords({ databaseUrl: DATABASE_URL, schema: rows[0]!.schema });
      second = { ...opened, signer: store.signer };
    }
  });
  afterAll(async () => {
    await second?.close();
    await store?.dispose();
  });

  const entries = async () =>
    Number(
      (
        await store.db
          .selectFrom('audit_log')
          .select((e) => e.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const lastHash = async () =>
    (await store.db.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst())
      ?.hash;
  const head = async () =>
    (await store.db.selectFrom('audit_head').select('hash').where('id', '=', 1).executeTakeFirst())?.hash;

  it('keeps one unbroken, signed chain holding every concurrent write', async () => {
    const before = await entries();
    const writes = Array.from({ length: WRITERS }, (_, i) =>
      loadWorkspace(i % 2 && second ? second : store, program(`RACE-${i}`), {
        actor: `writer-${i}`,
        now: clock,
      }),
    );
    await Promise.all(writes);
    const created = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'prev_hash', 'hash'])
      .where('entity', '=', 'program')
      .where('action', '=', 'create')
      .where('entity_key', 'like', 'RACE-%')
      .execute();
    expect(created.map((e) => e.actor).sort()).toEqual(
      Array.from({ length: WRITERS }, (_, i) => `writer-${i}`).sort(),
    );
    expect(await entries()).toBe(before + WRITERS);
    // No two entries link to the same predecessor: none was chained from a stale head.
    expect(new Set(created.map((e) => e.prev_hash)).size).toBe(WRITERS);
    const report = await verifyAudit(store);
    expect(report).toMatchObject({ brokenAt: null, badSignatures: [], tampered: false });
    expect(report.entries).toBe(before + WRITERS);
    expect(await head()).toBe(await lastHash());
  });

  it('rebuilds a deleted head from the log, and the chain stays intact', async () => {
    await store.db.deleteFrom('audit_head').execute();
    await loadWorkspace(store, program('AFTER-DELETE'), { actor: 'writer', now: clock });
    expect(await head()).toBe(await lastHash());
    expect((await verifyAudit(store)).brokenAt).toBeNull();
  });

  it('reports the entry written after a head altered outside Marco', async () => {
    await store.db
      .updateTable('audit_head')
      .set({ hash: 'f'.repeat(64) })
      .execute();
    await loadWorkspace(store, program('AFTER-ALTER'), { actor: 'writer', now: clock });
    const written = await store.db
      .selectFrom('audit_log')
      .select(['id', 'prev_hash'])
      .where('entity_key', '=', 'AFTER-ALTER')
      .executeTakeFirstOrThrow();
    expect(written.prev_hash).toBe('f'.repeat(64));
    const report = await verifyAudit(store);
    expect(report.brokenAt).toBe(written.id);
    expect(report.tampered).toBe(true);
  });
});
