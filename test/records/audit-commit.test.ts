/**
 * How a write ends. On a PostgreSQL server its last audit entries, the head's move and COMMIT travel in
 * one round trip as literal SQL text quoted by the driver (`appendingCommit` in `transaction.ts`); on
 * PGlite, as statements with parameters. Either way: text that quoting could alter comes back exactly,
 * a failure in the last statement or in the work leaves nothing behind, and the connection stays usable.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { upsertRecord } from '../../src/records/record-writer.js';
import { writeTransaction } from '../../src/records/transaction.js';
import { STORE_KINDS, countRows, freshStore } from './stores.js';

/** Quotes, backslashes, a would-be escape string, statement separators, dollar quotes and non-ASCII. */
const AWKWARD = `O'Brien \\ E'\\x27' '' \\' ; commit; -- $$ $q$ ñandú «Secretaría» 🇲🇽\nline\ttab \u2028 end\\`;

function organisation(code: string, name: string) {
  return writeTransaction(store(), { actor: `actor ${AWKWARD}` }, (trx, ctx) =>
    upsertRecord(trx, ctx, {
      table: 'organisations',
      entity: 'organisation',
      key: code,
      where: { code },
      values: { name_en: name, name_es: name, kind: 'government', country: 'MX', agency: 'SSPC' },
    }),
  );
}

let current: Awaited<ReturnType<typeof freshStore>> | undefined;
const store = () => current!;

describe.each(STORE_KINDS)('a write and its audit entries on %s', (kind) => {
  beforeAll(async () => {
    current = await freshStore(kind);
  });
  afterAll(async () => {
    await current?.dispose();
  });

  it('ends in one round trip on a server only', () => {
    expect(typeof store().literal).toBe(kind === 'postgres' ? 'function' : 'undefined');
  });

  it('keeps text that SQL quoting could alter exactly, in the record and its entry, and the chain verifies', async () => {
    await organisation('AWKWARD', AWKWARD);
    const row = await store()
      .db.selectFrom('organisations')
      .select(['name_en', 'created_by'])
      .where('code', '=', 'AWKWARD')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name_en: AWKWARD, created_by: `actor ${AWKWARD}` });
    const entry = await store()
      .db.selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('entity_key', '=', 'AWKWARD')
      .executeTakeFirstOrThrow();
    expect(entry.actor).toBe(`actor ${AWKWARD}`);
    expect((entry.after as { name_en: string }).name_en).toBe(AWKWARD);
    const report = await verifyAudit(store());
    expect(report.brokenAt).toBeNull();
    expect(report.badSignatures).toEqual([]);
    expect(report.tampered).toBe(false);
  });

  it('leaves nothing when the entry cannot be written, and the next write succeeds', async () => {
    // A trigger that refuses one entry: the statement carrying the entry and COMMIT fails part-way.
    await sql`create function refuse_boom() returns trigger language plpgsql as $$
      begin
        if new.entity_key = 'BOOM' then raise exception 'refused by the test'; end if;
        return new;
      end $$`.execute(store().db);
    await sql`create trigger refuse_boom before insert on audit_log
      for each row execute function refuse_boom()`.execute(store().db);
    try {
      const before = await countRows(store());
      const head = await store().db.selectFrom('audit_head').select('hash').executeTakeFirstOrThrow();
      await expect(organisation('BOOM', 'Boom')).rejects.toThrow(/refused by the test/);
      expect(await countRows(store())).toEqual(before);
      expect(await store().db.selectFrom('audit_head').select('hash').executeTakeFirstOrThrow()).toEqual(
        head,
      );
      // Every pooled connection still works: none was left inside the failed transaction.
      await Promise.all(Array.from({ length: 12 }, (_, i) => organisation(`AFTER-${i}`, `After ${i}`)));
      expect((await countRows(store())).organisations).toBe(before.organisations! + 12);
    } finally {
      await sql`drop trigger refuse_boom on audit_log`.execute(store().db);
      await sql`drop function refuse_boom()`.execute(store().db);
    }
    expect((await verifyAudit(store())).tampered).toBe(false);
  });

  it('rolls back the work when it throws after writing', async () => {
    const before = await countRows(store());
    await expect(
      writeTransaction(store(), { actor: 'test' }, async (trx, ctx) => {
        await upsertRecord(trx, ctx, {
          table: 'organisations',
          entity: 'organisation',
          key: 'HALF',
          where: { code: 'HALF' },
          values: { name_en: 'Half', name_es: 'Media', kind: 'government', country: 'MX', agency: 'SSPC' },
        });
        throw new Error('stopped after the insert');
      }),
    ).rejects.toThrow('stopped after the insert');
    expect(await countRows(store())).toEqual(before);
    await organisation('NEXT', 'Next');
    expect((await countRows(store())).organisations).toBe(before.organisations! + 1);
  });
});
