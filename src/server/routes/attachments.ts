/**
 * Evidence files of a result through the API, by the rules of the web form: listing them (whoever may
 * see the result), attaching one (its reporters; the body is the file, `application/octet-stream`, named
 * by `filename`; its type is read from its content and its SHA-256 recorded), and removing one attached
 * by mistake, with a written reason that the audit log keeps. Locked periods refuse both changes, and an
 * approved result that gains or loses evidence goes back to submitted. The file itself downloads from
 * `/results/{id}/evidence/{sha256}`.
 * @module
 */
import { z } from 'zod';
import type { Official } from '../../access/viewer.js';
import { HttpError, NotFoundError } from '../../error.js';
import { MAX_EVIDENCE_BYTES } from '../../domain/evidence-files.js';
import { evidenceEditor, inspectEvidence } from '../../monitoring/evidence.js';
import { attachEvidence, attachmentsOf, removeEvidence } from '../../records/evidence-repository.js';
import { listResults } from '../../records/result-repository.js';
import { AttachmentQuery, AttachmentRemoval, LangQuery, ResultId } from '../api-schemas.js';
import { route, type RouteContext } from '../route.js';
import * as R from '../responses/index.js';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { message: 'validation.schema.sha256' });

/** The attachments of result `id` as `viewer` may see it: 404 when the result is unseen. */
async function visibleAttachments(
  ctx: Pick<RouteContext<string, unknown, unknown>, 'store' | 'viewer'>,
  id: number,
) {
  if ((await listResults(ctx.store, ctx.viewer, { id })).results.length === 0)
    throw new NotFoundError('result', String(id));
  return ((await attachmentsOf(ctx.store, [id])).get(id) ?? []).map((a) => ({
    ...a,
    href: `/results/${id}/evidence/${a.sha256}`,
  }));
}

export const attachments = route({
  method: 'get',
  path: '/results/{id}/attachments',
  operationId: 'listAttachments',
  response: R.AttachmentList,
  params: { id: ResultId },
  tag: 'results',
  permission: 'read',
  summary:
    'The evidence files of a result you may see: name, type, size, SHA-256, who attached it and when, and its download address',
  query: LangQuery,
  handle: (ctx) => visibleAttachments(ctx, Number(ctx.params.id)),
});

export const attach = route({
  method: 'post',
  path: '/results/{id}/attachments',
  operationId: 'addAttachment',
  response: R.AttachmentAdded,
  params: { id: ResultId },
  tag: 'results',
  permission: 'write:results',
  creates: true,
  upload: true,
  location: (_: unknown, params) => `/api/v1/results/${params.id}/attachments`,
  summary: `Attach an evidence file to a result you report: the body is the file (application/octet-stream, at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB), \`filename\` its name. PDF, PNG, JPEG, CSV and XLSX, typed by their content, which must agree with the name. Locked periods refuse it; an approved result goes back to submitted`,
  query: AttachmentQuery,
  async handle(ctx) {
    const { c, store, viewer, params, query, write } = ctx;
    if (!/^application\/octet-stream\b/i.test(c.req.header('content-type') ?? ''))
      throw new HttpError(415, 'unsupported_media_type', { key: 'http.notOctetStream', values: {} });
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const files = await inspectEvidence([{ name: query.filename, bytes }], 'body');
    const id = Number(params.id);
    const done = await attachEvidence(store, id, files, write, evidenceEditor(viewer as Official, id));
    return { ...done, attachments: await visibleAttachments(ctx, id) };
  },
});

export const removeAttachment = route({
  method: 'delete',
  path: '/results/{id}/attachments/{sha256}',
  operationId: 'removeAttachment',
  response: R.AttachmentRemoved,
  params: { id: ResultId, sha256: Sha256 },
  tag: 'results',
  permission: 'write:results',
  summary:
    'Remove an evidence file attached by mistake, with a `reason` (3 to 2,000 characters) that the audit log keeps. The file no longer lists or downloads; it can be attached again. Locked periods refuse it; an approved result goes back to submitted',
  body: AttachmentRemoval,
  async handle({ store, viewer, params, body, write }) {
    const id = Number(params.id);
    return removeEvidence(
      store,
      id,
      params.sha256,
      body.reason,
      write,
      evidenceEditor(viewer as Official, id),
    );
  },
});
