/**
 * `GET /results/{id}/evidence/{sha256}`: one evidence file, to whoever may see its result (anyone for an
 * approved public result, its owners and approvers before). Always a download (`Content-Disposition:
 * attachment`), with the type its content was checked to be, `nosniff`, and the sandboxing CSP every download gets
 * (`security-headers.ts`), so a file is never rendered as a page of Marco's. The hash in the path is the file's SHA-256, so a copy can be
 * checked against the audit log's record of the attachment.
 * @module
 */
import type { Official } from '../../access/viewer.js';
import { AttachmentRemoval } from '../../domain/evidence-files.js';
import { safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { MarcoError, ValidationError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { evidenceEditor } from '../../monitoring/evidence.js';
import { attachmentsOf, readEvidence, removeEvidence } from '../../records/evidence-repository.js';
import { listResults } from '../../records/result-repository.js';
import { checkedForm, pageStatus, RECORD_ID, refusal, writeOptions } from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage, placeNames } from '../places.js';
import { renderEdit } from '../review/edit-page.js';

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
  {
    // A file attached by mistake, removed with the reason the audit log keeps; the API's rules.
    method: 'post',
    path: '/results/:id/evidence/:sha256/remove',
    permission: 'write:results',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const { id, sha256 } = ctx.c.req.param();
      if (!RECORD_ID.test(id ?? '') || !SHA256.test(sha256 ?? ''))
        return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      const viewer = ctx.reader.viewer as Official;
      let error: MarcoError | undefined;
      const parsed = safeParseInput(AttachmentRemoval, { reason: form.reason ?? '' });
      if (!parsed.success) error = new ValidationError(zodIssues(parsed.error));
      else
        try {
          await removeEvidence(
            ctx.store,
            Number(id),
            sha256!,
            parsed.data.reason,
            writeOptions(ctx),
            evidenceEditor(viewer, Number(id)),
          );
        } catch (caught) {
          if (!(caught instanceof MarcoError)) throw caught;
          error = caught;
        }
      if (!error) return ctx.c.redirect(`/review?done=removed&id=${id!}`, 303);
      return refusedPage(ctx, Number(id), error);
    },
  },
];

/** The result's edit page again, with the refusal above the form; a 404 when the result is unseen. */
async function refusedPage(ctx: PageContext, id: number, error: MarcoError) {
  const result = (await listResults(ctx.store, ctx.reader.viewer, { id })).results[0];
  if (!result) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
  const files = (await attachmentsOf(ctx.store, [id])).get(id) ?? [];
  const shown = refusal(translator(ctx.reader.locale), ctx.reader.locale, error, ['reason']);
  const alert = [shown.alert, ...Object.values(shown.errors)].filter(Boolean).join(' ');
  return ctx.c.html(
    renderEdit(ctx.reader, result, await placeNames(ctx.stats), files, { typed: {}, errors: {}, alert }),
    pageStatus(error),
  );
}
