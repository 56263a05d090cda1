/**
 * Evidence files: their type is read from their content (a real PDF printed by Chromium, a PNG, a JPEG,
 * an XLSX written by exceljs, a Latin-1 CSV), the extension must agree with it, and each refusal names the
 * file and why. On each store, attaching evidence is audited, an approved result that gains a file goes
 * back to submitted, a file attached twice is stored once, a locked period takes no file, someone who
 * does not report the result cannot attach one, and nothing of a refused attachment is stored.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { MAX_EVIDENCE_BYTES } from '../../src/domain/evidence-files.js';
import { ForbiddenError, RefusedError, ValidationError } from '../../src/error.js';
import { evidenceEditor, inspectEvidence } from '../../src/monitoring/evidence.js';
import { attachEvidence, attachmentsOf, readEvidence } from '../../src/records/evidence-repository.js';
import { listResults } from '../../src/records/result-repository.js';
import { exampleRecords } from '../server/example-app.js';
import { STORE_KINDS, countRows, type freshStore } from '../records/stores.js';

const te = new TextEncoder();

/** A real one-pixel PNG: signature, IHDR, IDAT (zlib), IEND, with their CRCs. */
function png(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pdf = te.encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const jpeg = Uint8Array.from([
  0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
]);

async function xlsx(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Acreditaciones').addRows([
    ['Periodo', 'Instituciones'],
    ['2017-08', 70],
  ]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

describe('inspecting evidence files', () => {
  it('reads each accepted type from its content, and hashes it', async () => {
    const latin1 = Buffer.from('Año;Acreditadas\n2017;70\n', 'latin1');
    const files = await inspectEvidence(
      [
        { name: 'informe.pdf', bytes: pdf },
        { name: 'foto.PNG', bytes: png() },
        { name: 'foto.jpeg', bytes: jpeg },
        { name: 'tabla.xlsx', bytes: await xlsx() },
        { name: 'tabla.csv', bytes: latin1 },
      ],
      'attachments',
    );
    expect(files.map((f) => f.mediaType)).toEqual([
      'application/pdf',
      'image/png',
      'image/jpeg',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv',
    ]);
    expect(files[0]!.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  it('refuses, naming each file, what is not evidence', async () => {
    const refused = async (files: { name: string; bytes: Uint8Array }[]) => {
      const error = await inspectEvidence(files, 'attachments').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues.map((i) => i.message);
    };
    const exe = Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);
    expect(
      await refused([
        { name: 'report.pdf', bytes: png() },
        { name: 'page.html', bytes: te.encode('<html><script>alert(1)</script></html>') },
        { name: 'tool.exe', bytes: exe },
        { name: 'empty.csv', bytes: new Uint8Array() },
      ]),
    ).toEqual([
      'report.pdf is named .pdf but its content is PNG: rename it, or choose the right file',
      // An HTML page is text, so it could pass for a CSV; named .html, it is refused.
      'page.html is named .html but its content is CSV: rename it, or choose the right file',
      expect.stringMatching(/^tool\.exe is exe \(application\/x-msdownload\): attach a PDF/),
      'empty.csv is empty: choose the file that holds the evidence',
    ]);
    expect(
      await refused([
        { name: 'huge.pdf', bytes: new Uint8Array(MAX_EVIDENCE_BYTES + 1).fill(0x25) },
        { name: '../../etc/passwd.csv', bytes: te.encode('a,b\n') },
        { name: 'binary.csv', bytes: Uint8Array.from([0, 1, 2, 3]) },
      ]),
    ).toEqual([
      'huge.pdf is 10,485,761 bytes; a file may hold at most 10,485,760 bytes (10 MiB): compress it or split it',
      expect.stringMatching(/^"\.\.\/\.\.\/etc\/passwd\.csv": a file name has 1 to 200 characters/),
      'binary.csv is not a file Marco accepts: attach a PDF, a PNG or JPEG image, or a CSV or XLSX table',
    ]);
    expect(await inspectEvidence([], 'attachments')).toEqual([]);
    const many = await inspectEvidence(
      Array.from({ length: 6 }, (_, i) => ({ name: `${i}.pdf`, bytes: pdf })),
      'attachments',
    ).catch((e: unknown) => e);
    expect((many as ValidationError).issues[0]!.message).toBe('attach at most 5 files at once');
  });
});

const reporterUS: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };
const reporterMX: Official = { user: 'mateo', country: 'MX', agency: 'SSPC', roles: ['reporter'] };

describe.each(STORE_KINDS)('attaching evidence on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await exampleRecords(kind, 'test');
  });
  afterAll(() => store?.dispose());

  const result = async (period: string) =>
    (await listResults(store, reporterUS, { indicator: 'EX-ACA-ACCREDITED', period })).results[0]!;

  it('audits each file, stores it once, and sends an approved result back for approval', async () => {
    const approved = await result('2017-08');
    expect(approved.status).toBe('approved');
    const [file] = await inspectEvidence([{ name: 'Registro ACA 2017.pdf', bytes: pdf }], 'attachments');
    const first = await attachEvidence(
      store,
      approved.id,
      [file!],
      { actor: 'rita' },
      evidenceEditor(reporterUS, approved.id),
    );
    expect(first).toEqual({ attached: 1, status: 'submitted' });
    // The same file again, and on another result: stored once.
    const other = await result('2018-01');
    const again = await attachEvidence(
      store,
      approved.id,
      [file!],
      { actor: 'rita' },
      evidenceEditor(reporterUS, approved.id),
    );
    expect(again).toEqual({ attached: 0, status: 'submitted' });
    await attachEvidence(store, other.id, [file!], { actor: 'rita' }, evidenceEditor(reporterUS, other.id));
    const rows = await countRows(store);
    expect([rows.evidence_blobs, rows.result_attachments]).toEqual([1, 2]);
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'entity', 'entity_key'])
      .where('entity', 'in', ['attachment', 'result'])
      .orderBy('id', 'desc')
      .limit(3)
      .execute();
    expect(audit.map((a) => `${a.actor} ${a.entity} ${a.entity_key}`).reverse()).toEqual([
      `rita attachment EX-ACA-ACCREDITED|2017-08|MX|#${file!.sha256}`,
      'rita result EX-ACA-ACCREDITED|2017-08|MX|',
      `rita attachment EX-ACA-ACCREDITED|2018-01|MX|#${file!.sha256}`,
    ]);
    const listed = (await attachmentsOf(store, [approved.id])).get(approved.id)!;
    expect(listed).toMatchObject([
      { filename: 'Registro ACA 2017.pdf', mediaType: 'application/pdf', size: pdf.length },
    ]);
    // Read back only by who may see the result: now submitted, no longer by the public.
    const read = await readEvidence(store, reporterUS, approved.id, file!.sha256);
    expect(Buffer.from(read!.content).equals(Buffer.from(pdf))).toBe(true);
    expect(await readEvidence(store, null, approved.id, file!.sha256)).toBeUndefined();
  });

  it('refuses a locked period and another agency, storing nothing', async () => {
    const before = await countRows(store);
    const locked = await result('2016-08');
    const [file] = await inspectEvidence([{ name: 'foto.png', bytes: png() }], 'attachments');
    await expect(
      attachEvidence(store, locked.id, [file!], { actor: 'rita' }, evidenceEditor(reporterUS, locked.id)),
    ).rejects.toBeInstanceOf(RefusedError);
    const open = await result('2017-01');
    await expect(
      attachEvidence(store, open.id, [file!], { actor: 'mateo' }, evidenceEditor(reporterMX, open.id)),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await countRows(store)).toEqual(before);
  });
});
