/**
 * An audit chain outsiders can check. On each records store: the trigger refuses UPDATE, DELETE and
 * TRUNCATE of the log; `verify` finds a record changed by direct SQL, entries removed from the end (with
 * the head the counterpart kept), and a chain rewritten and re-hashed by someone without the signing
 * key. The head and public key are published at /api/v1/audit/head and on every export. Through the
 * CLI, tampering exits 5 and an ordinary error 2.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync, sign, verify, createPublicKey } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { entryHash } from '../../src/records/audit.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
import { runMarco } from '../fixtures/run-marco.js';
import { STORE_KINDS, freshStore } from './stores.js';

describe.each(STORE_KINDS)('the audit chain on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    await loadWorkspace(store, await exampleWorkspace(), { actor: 'loader', now: clock });
  });
  afterAll(() => store?.dispose());

  it('is intact and signed after ordinary writes, and published with its public key', async () => {
    const report = await verifyAudit(store);
    expect(report).toMatchObject({
      brokenAt: null,
      badSignatures: [],
      unsigned: 0,
      mismatches: [],
      tampered: false,
    });
    const app = createApp({ store });
    const head = (await (await app.request('/api/v1/audit/head')).json()) as {
      entries: number;
      head: string;
      signature: string;
      publicKey: string;
    };
    expect([head.entries, head.head]).toEqual([report.entries, report.head]);
    // Anyone can check the head's signature with the published key.
    expect(
      verify(
        null,
        Buffer.from(head.head),
        createPublicKey(head.publicKey),
        Buffer.from(head.signature, 'base64'),
      ),
    ).toBe(true);
    const { tokenFor } = await import('../server/example-app.js');
    const token = await tokenFor(store, { user: 'ana', country: 'MX', agency: 'SSPC' }, ['viewer']);
    const exported = await app.request('/api/v1/workspace', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(exported.headers.get('marco-audit-head')).toMatch(
      new RegExp(`^${report.entries + 1}:[0-9a-f]{64}$`),
    );
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the log in the database itself', async () => {
    for (const statement of [
      sql`update audit_log set actor = 'mallory'`,
      sql`delete from audit_log where id = (select max(id) from audit_log)`,
      sql`truncate audit_log`,
    ])
      await expect(statement.execute(store.db)).rejects.toThrow(/the audit log is append-only/);
    expect((await verifyAudit(store)).tampered).toBe(false);
  });

  it('finds a result whose value was changed by direct SQL', async () => {
    const [r] = await store.db
      .selectFrom('results')
      .select(['id', 'value'])
      .where('status', '=', 'approved')
      .limit(1)
      .execute();
    await sql`update results set value = 12 where id = ${r!.id}`.execute(store.db);
    const report = await verifyAudit(store);
    expect(report.tampered).toBe(true);
    expect(report.brokenAt).toBeNull(); // the log itself is untouched
    expect(report.mismatches).toEqual([
      { entity: 'result', id: String(r!.id), problem: 'changed', columns: ['value'] },
    ]);
    await sql`update results set value = ${r!.value} where id = ${r!.id}`.execute(store.db);
    expect((await verifyAudit(store)).tampered).toBe(false);
  });

  it('finds entries removed from the end, with the head the counterpart kept', async () => {
    const kept = await verifyAudit(store);
    // More writes: the old head is still in the chain, with entries after it.
    const { tokenFor } = await import('../server/example-app.js');
    await tokenFor(store, { user: 'beto', country: 'MX', agency: 'SSPC' }, ['viewer']);
    const later = await verifyAudit(store, { expectHead: kept.head! });
    expect(later.expected).toEqual({ head: kept.head, found: true, after: 1 });
    expect(later.tampered).toBe(false);
    // The table's owner switches the trigger off and removes the last entry.
    await sql`alter table audit_log disable trigger user`.execute(store.db);
    try {
      await sql`delete from audit_log where id = (select max(id) from audit_log)`.execute(store.db);
      const head = (await verifyAudit(store)).head;
      expect(head).toBe(kept.head); // the shortened chain is internally intact…
      const truncated = await verifyAudit(store, { expectHead: later.head! });
      expect(truncated.expected).toEqual({ head: later.head, found: false, after: 0 });
      expect(truncated.tampered).toBe(true); // …but the counterpart's head is gone
    } finally {
      await sql`alter table audit_log enable trigger user`.execute(store.db);
    }
  });

  it('finds a rewritten entry whose later hashes were recomputed, by its signatures', async () => {
    await sql`alter table audit_log disable trigger user`.execute(store.db);
    try {
      const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
      // Rewrite an entry's actor and re-hash every later entry, signing with a key of one's own.
      const forger = generateKeyPairSync('ed25519').privateKey;
      const from = Math.floor(rows.length / 2);
      let prev = rows[from - 1]!.hash;
      for (const row of rows.slice(from)) {
        const actor = row.id === rows[from]!.id ? 'mallory' : row.actor;
        const hash = entryHash(prev, {
          at: row.at,
          actor,
          action: row.action,
          entity: row.entity,
          key: row.entity_key,
          before: row.before,
          after: row.after,
        });
        await store.db
          .updateTable('audit_log')
          .set({
            actor,
            prev_hash: prev,
            hash,
            signature: sign(null, Buffer.from(hash), forger).toString('base64'),
          })
          .where('id', '=', row.id)
          .execute();
        prev = hash;
      }
      const report = await verifyAudit(store);
      expect(report.brokenAt).toBeNull(); // the hashes agree with each other…
      expect(report.badSignatures[0]).toBe(rows[from]!.id); // …but no entry since is signed by this deployment
      expect(report.tampered).toBe(true);
    } finally {
      await sql`alter table audit_log enable trigger user`.execute(store.db);
    }
  });
});

describe('marco audit through the CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-audit-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const marco = (...args: string[]) => runMarco(dir, ...args);

  it('prints the head and key, exits 5 on tampering and 2 on a usage error', async () => {
    expect((await marco('init', '--example')).code).toBe(EXIT.ok);
    const head = JSON.parse((await marco('audit', 'head', '--json')).stdout) as {
      entries: number;
      head: string;
      publicKey: string;
    };
    expect(head.head).toMatch(/^[0-9a-f]{64}$/);
    expect(head.publicKey).toContain('BEGIN PUBLIC KEY');
    const keyFile = path.join(dir, 'counterpart-copy.pem');
    await writeFile(keyFile, head.publicKey);
    const ok = await marco('audit', 'verify', '--expect-head', head.head, '--public-key', keyFile);
    expect([ok.code, ok.stdout]).toEqual([EXIT.ok, expect.stringContaining('Audit log intact')]);
    // Another deployment's key: every signature fails.
    const other = path.join(dir, 'other.pem');
    await writeFile(
      other,
      generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    const wrongKey = await marco('audit', 'verify', '--public-key', other);
    expect([wrongKey.code, wrongKey.stdout]).toEqual([
      EXIT.tampered,
      expect.stringContaining('Signatures that do not verify'),
    ]);
    const missing = await marco('audit', 'verify', '--expect-head', 'f'.repeat(64), '--lang', 'es');
    expect([missing.code, missing.stdout]).toEqual([
      EXIT.tampered,
      expect.stringContaining('no está en la cadena'),
    ]);
    expect((await marco('audit', 'verify', '--expect-head', 'nope')).code).toBe(EXIT.invalid);
    const spanish = await marco('audit', 'verify', '--expect-head', 'nope', '--lang', 'es');
    expect(spanish.stderr).toContain('--expect-head "nope": se esperaba un hash final');
    expect((await marco('audit', 'verify', '--public-key', path.join(dir, 'absent.pem'))).code).toBe(
      EXIT.invalid,
    );
    // The export names the head.
    const exported = await marco('export');
    expect(exported.stdout.split('\n')[0]).toMatch(/^# marco audit head \d+:[0-9a-f]{64}$/);
  });
});
