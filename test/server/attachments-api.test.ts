/**
 * Evidence files through the API: a U.S. reporter attaches a PDF to a result (typed by its content,
 * stored under its SHA-256, audited), lists it and downloads it; a wrong type, a missing content type, a
 * counterpart's token and a bad reason change nothing; a file attached by mistake is removed with a
 * reason that the audit log keeps, no longer lists or downloads, and can be attached again; removing
 * evidence from an approved result sends it back to submitted. On PGlite and on PostgreSQL.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { resultCreator } from '../../src/monitoring/result-creator.js';
import { createResult } from '../../src/records/result-entry.js';
import { createApp } from '../../src/server/app.js';
import { STORE_KINDS } from '../records/stores.js';
import { caller, clock, exampleRecords, tokenFor } from './example-app.js';

const ines: Official = { user: 'ines', country: 'US', agency: 'INL', roles: ['reporter'] };
const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const sha = createHash('sha256').update(pdf).digest('hex');

describe.each(STORE_KINDS)('evidence files through the API on %s', (kind) => {
  let store: Awaited<ReturnType<typeof exampleRecords>>;
  let app: ReturnType<typeof createApp>;
  let call: ReturnType<typeof caller>;
  let us = '';
  let mx = '';
  let vera = '';
  let id = 0;
  const upload = (token: string, name: string, bytes: Uint8Array, type = 'application/octet-stream') =>
    app.request(`/api/v1/results/${id}/attachments?filename=${encodeURIComponent(name)}&lang=es`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body: bytes,
    });
  const count = async (table: 'result_attachments' | 'evidence_blobs' | 'audit_log') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    store = await exampleRecords(kind);
    us = await tokenFor(store, { user: 'ines', country: 'US', agency: 'INL' });
    mx = await tokenFor(store, { user: 'mateo', country: 'MX', agency: 'SSPC' });
    // Of the result's own office, but a viewer: she sees the draft and may not change it.
    vera = await tokenFor(store, { user: 'vera', country: 'US', agency: 'INL' }, ['viewer']);
    app = createApp({ store, now: clock });
    call = caller(app);
    id = (
      await createResult(
        store,
        { indicator: 'EX-ACA-ACCREDITED', period: '2018-01', place: '08', value: 5, status: 'draft' },
        { actor: 'ines' },
        resultCreator(ines),
      )
    ).id;
  });
  afterAll(() => store?.dispose());

  it('attaches a PDF, typed by its content and named by its SHA-256, and lists it', async () => {
    const audit = await count('audit_log');
    const res = await upload(us, 'informe de acreditación.pdf', pdf);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { attached: number; attachments: Record<string, unknown>[] };
    expect(body.attached).toBe(1);
    expect(body.attachments).toEqual([
      expect.objectContaining({
        sha256: sha,
        filename: 'informe de acreditación.pdf',
        mediaType: 'application/pdf',
        size: pdf.length,
        attachedBy: 'ines',
        href: `/results/${id}/evidence/${sha}`,
      }),
    ]);
    expect(await count('audit_log')).toBe(audit + 1);
    const listed = await call('GET', `/api/v1/results/${id}/attachments`, us);
    expect(listed.status).toBe(200);
    expect((listed.body as unknown as unknown[]).length).toBe(1);
    // A draft is its owners' alone: the public does not learn that it exists.
    expect((await call('GET', `/api/v1/results/${id}/attachments`)).status).toBe(404);
  });

  it('refuses a wrong type, a missing content type and a counterpart, changing nothing', async () => {
    const before = [
      await count('result_attachments'),
      await count('evidence_blobs'),
      await count('audit_log'),
    ];
    const fake = await upload(us, 'informe.pdf', new TextEncoder().encode('Año,valor\n2018,5\n'));
    expect(fake.status).toBe(422);
    const refusal = (await fake.json()) as { error: { message: string } };
    expect(refusal.error.message).toContain('informe.pdf');
    expect((await upload(us, 'informe.pdf', pdf, 'application/json')).status).toBe(415);
    // The counterpart cannot see a draft at all: it does not learn that it exists.
    expect((await upload(mx, 'informe.pdf', pdf)).status).toBe(404);
    expect((await upload(vera, 'informe.pdf', pdf)).status).toBe(403);
    expect([
      await count('result_attachments'),
      await count('evidence_blobs'),
      await count('audit_log'),
    ]).toEqual(before);
  });

  it('removes a file attached by mistake with its reason, audited; it can be attached again', async () => {
    const noReason = await call('DELETE', `/api/v1/results/${id}/attachments/${sha}`, us, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(
      (await call('DELETE', `/api/v1/results/${id}/attachments/${sha}`, mx, { reason: 'not ours' })).status,
    ).toBe(404);
    const removed = await call('DELETE', `/api/v1/results/${id}/attachments/${sha}`, us, {
      reason: 'wrong file: the 2017 report',
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ removed: sha, status: 'draft' });
    expect((await call('GET', `/api/v1/results/${id}/attachments`, us)).body).toEqual([]);
    const entry = await store.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'after'])
      .where('entity', '=', 'attachment')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const after = (typeof entry.after === 'string' ? JSON.parse(entry.after) : entry.after) as Record<
      string,
      unknown
    >;
    expect(entry.action).toBe('update');
    expect(after).toMatchObject({ removal_reason: 'wrong file: the 2017 report', removed_by: 'ines' });
    // Gone again: a second removal finds nothing.
    expect(
      (await call('DELETE', `/api/v1/results/${id}/attachments/${sha}`, us, { reason: 'again' })).status,
    ).toBe(404);
    const again = await upload(us, 'informe.pdf', pdf);
    expect(again.status).toBe(201);
    expect(((await again.json()) as { attachments: unknown[] }).attachments).toHaveLength(1);
  });

  it('sends an approved result back to submitted when its evidence is removed', async () => {
    const submit = await call('PATCH', `/api/v1/results/${id}`, us, {
      version: await version(),
      status: 'submitted',
    });
    expect(submit.status).toBe(200);
    const approve = await call('PATCH', `/api/v1/results/${id}`, mx, {
      version: await version(),
      status: 'approved',
    });
    expect(approve.status).toBe(200);
    const removed = await call('DELETE', `/api/v1/results/${id}/attachments/${sha}`, us, {
      reason: 'the file names a witness',
    });
    expect(removed.body).toMatchObject({ status: 'submitted' });
  });

  async function version(): Promise<number> {
    return (
      await store.db.selectFrom('results').select('version').where('id', '=', id).executeTakeFirstOrThrow()
    ).version;
  }
});
