/**
 * `GET /results/{id}/evidence/{sha256}`: one evidence file, to whoever may see its result (anyone for an
 * approved public result, its owners and approvers before). Always a download (`Content-Disposition:
 * attachment`), with the type its content was checked to be, `nosniff`, and the sandboxing CSP every download gets
 * (`security-headers.ts`), so a file is never rendered as a page of Marco's. The hash in the path is the file's SHA-256, so a copy can be
 * checked against the audit log's record of the attachment.
 * @module
 */
import { RECORD_ID } from '../forms.js';
import type { PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { readEvidence } from '../../records/evidence-repository.js';

const SHA256 = /^[0-9a-f]{64}$/;

/** `filename` for a Content-Disposition header: an ASCII fallback and the UTF-8 name (RFC 6266). */
function disposition(filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const EVIDENCE_PAGES: readonly PageRoute[] = [
  {
    path: '/results/:id/evidence/:sha256',
    permission: 'read',
    async handle(ctx) {
      const { id, sha256 } = ctx.c.req.param();
      const file =
        RECORD_ID.test(id ?? '') && SHA256.test(sha256 ?? '')
          ? await readEvidence(ctx.store, ctx.reader.viewer, Number(id), sha256!)
          : undefined;
      if (!file) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      return ctx.c.body(new Uint8Array(file.content), 200, {
        'content-type': file.mediaType,
        'content-length': String(file.content.byteLength),
        'content-disposition': disposition(file.filename),
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
        etag: `"${sha256!}"`,
      });
    },
  },
];
