/**
 * The monitoring cycle's pages: `GET /review` (the work lists), `POST /review/{id}` (approve, or return
 * with a comment), `GET /results/{id}/edit` and `POST /results/{id}` (correct, save as draft, submit).
 * Every post carries the session's CSRF token and changes a result through the same rules, schema and
 * audited write as `PATCH /api/v1/results/{id}`. A refusal changes nothing and is shown on the page, in
 * the reader's language, with the status the API would give (400, 403, 404, 409, 422).
 * @module
 */

import type { Official } from '../../access/viewer.js';
import { safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { ResultPatch } from '../../domain/result-patch.js';
import { MarcoError, ValidationError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { reviewQueues, type QueueFilter } from '../../monitoring/queues.js';
import { inspectEvidence, type UploadedFile } from '../../monitoring/evidence.js';
import { resultEditor } from '../../monitoring/result-editor.js';
import { attachmentsOf } from '../../records/evidence-repository.js';
import { listResults, updateResult, type ResultView } from '../../records/result-repository.js';
import {
  checkedForm,
  checkedUpload,
  EVIDENCE_FORM_BYTES,
  formNumbers,
  pageStatus,
  refusal,
  type RefusedStatus,
  RECORD_ID,
} from '../forms.js';
import { notFoundPage, placeNames } from '../places.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { renderEdit, type EditState } from './edit-page.js';
import { QueueQuery as Filter } from './filter.js';
import { QUEUE_ROWS, renderQueue, type QueueMessage } from './queue-page.js';

const DONE_KEYS = {
  approved: 'web.review.doneApproved',
  entered: 'web.review.doneEntered',
  returned: 'web.review.doneReturned',
  saved: 'web.review.doneSaved',
  submitted: 'web.review.doneSubmitted',
  approvedAll: 'web.review.doneApprovedAll',
  removed: 'web.review.doneRemoved',
} as const;

/** The fields of the edit form, where their issues are shown. */
const EDIT_FIELDS = ['value', 'numerator', 'denominator', 'comment', 'evidence', 'attachments'];

async function queuePage(ctx: PageContext, status: 200 | RefusedStatus, message?: QueueMessage) {
  const { c, reader } = ctx;
  const t = translator(reader.locale);
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
  const parsed = safeParseInput(Filter, raw);
  const filter: QueueFilter = parsed.success ? parsed.data : {};
  let shown = message;
  if (!parsed.success) {
    status = 400;
    shown = {
      kind: 'refused',
      text: new ValidationError(zodIssues(parsed.error), undefined, 'query').messageIn(reader.locale),
    };
  } else if (!shown && parsed.data.done && (parsed.data.id || parsed.data.count))
    shown = {
      kind: 'done',
      text: t(DONE_KEYS[parsed.data.done], { id: parsed.data.id ?? '', count: parsed.data.count ?? 0 }),
    };
  const queues = await reviewQueues(ctx.store, reader.viewer as Official, filter);
  // The files of the rows the page shows only.
  const ids = [queues.awaiting, queues.returned, queues.submitted, queues.drafts].flatMap((list) =>
    list.slice(0, QUEUE_ROWS).map((r) => r.id),
  );
  const files = await attachmentsOf(ctx.store, ids);
  return c.html(renderQueue(reader, queues, filter, await placeNames(ctx.stats), files, shown), status);
}

/** The result `id` as `viewer` may see it, or undefined. */
async function visibleResult(ctx: PageContext, id: string): Promise<ResultView | undefined> {
  if (!RECORD_ID.test(id)) return undefined;
  return (await listResults(ctx.store, ctx.reader.viewer, { id: Number(id) })).results[0];
}

const notFound = (ctx: PageContext) => ctx.c.html(notFoundPage(ctx.reader).body, 404);

/**
 * Applies `patch` to result `id`, with the `uploaded` evidence files, through the API's own schema, rules
 * and audited write: undefined when it is written, else the refusal (a MarcoError), which changed nothing.
 */
async function applyPatch(
  ctx: PageContext,
  id: number,
  uploaded: readonly UploadedFile[],
  patch: unknown,
): Promise<MarcoError | undefined> {
  const checked = safeParseInput(ResultPatch, patch);
  if (!checked.success) return new ValidationError(zodIssues(checked.error));
  const viewer = ctx.reader.viewer as Official;
  try {
    const files = await inspectEvidence(uploaded, 'attachments');
    await updateResult(
      ctx.store,
      id,
      checked.data,
      { actor: viewer.user, ...(ctx.now ? { now: ctx.now } : {}) },
      resultEditor(viewer, checked.data, String(id)),
      files,
    );
    return undefined;
  } catch (error) {
    if (error instanceof MarcoError) return error;
    throw error;
  }
}

export const REVIEW_PAGES: readonly PageRoute[] = [
  {
    path: '/review',
    permission: 'write:results',
    handle: (ctx) => queuePage(ctx, 200),
  },
  {
    method: 'post',
    path: '/review/:id',
    permission: 'write:results',
    async handle(ctx) {
      const t = translator(ctx.reader.locale);
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const id = ctx.c.req.param('id')!;
      if (!RECORD_ID.test(id)) return notFound(ctx);
      const version = Number(form.version);
      const comment = (form.comment ?? '').trim();
      const refused = (status: RefusedStatus, text: string) =>
        queuePage(ctx, status, { kind: 'refused', text, id: Number(id), comment });
      if (!Number.isInteger(version) || version < 1) return refused(400, t('web.review.badVersion'));
      if (form.decision !== 'approve' && form.decision !== 'return')
        return refused(400, t('web.review.badDecision'));
      const patch =
        form.decision === 'approve'
          ? { version, status: 'approved' }
          : { version, status: 'draft', ...(comment ? { review_comment: comment } : {}) };
      const error = await applyPatch(ctx, Number(id), [], patch);
      if (error)
        return refused(
          pageStatus(error),
          t('web.review.refused', { id, message: error.messageIn(ctx.reader.locale) }),
        );
      return ctx.c.redirect(
        `/review?done=${form.decision === 'approve' ? 'approved' : 'returned'}&id=${id}`,
        303,
      );
    },
  },
  {
    path: '/results/:id/edit',
    permission: 'write:results',
    async handle(ctx) {
      const result = await visibleResult(ctx, ctx.c.req.param('id')!);
      if (!result) return notFound(ctx);
      const files = (await attachmentsOf(ctx.store, [result.id])).get(result.id) ?? [];
      return ctx.c.html(renderEdit(ctx.reader, result, await placeNames(ctx.stats), files));
    },
  },
  {
    method: 'post',
    path: '/results/:id',
    permission: 'write:results',
    maxBody: EVIDENCE_FORM_BYTES,
    async handle(ctx) {
      const t = translator(ctx.reader.locale);
      const upload = await checkedUpload(ctx, 'attachments');
      if (upload instanceof Response) return upload;
      const { form } = upload;
      const id = ctx.c.req.param('id')!;
      const current = await visibleResult(ctx, id);
      if (!current) return notFound(ctx);
      const places = await placeNames(ctx.stats);
      const again = async (status: RefusedStatus, state: Omit<EditState, 'typed'>, shown = current) => {
        const files = (await attachmentsOf(ctx.store, [shown.id])).get(shown.id) ?? [];
        return ctx.c.html(renderEdit(ctx.reader, shown, places, files, { ...state, typed: form }), status);
      };
      const { numbers, errors } = formNumbers(t, form, ['value', 'numerator', 'denominator']);
      if (form.decision !== 'draft' && form.decision !== 'submit')
        return again(400, { errors, alert: t('web.review.badDecision') });
      if (Object.keys(errors).length > 0) return again(422, { errors });
      const text = (name: string) => (form[name] === undefined ? {} : { [name]: form[name]!.trim() || null });
      const error = await applyPatch(ctx, current.id, upload.files, {
        version: Number(form.version),
        ...numbers,
        ...text('comment'),
        ...text('evidence'),
        status: form.decision === 'submit' ? 'submitted' : 'draft',
      });
      if (error) {
        // After a conflict the page shows the result as it stands now, with what was typed kept.
        const now = (await visibleResult(ctx, id)) ?? current;
        return again(pageStatus(error), refusal(t, ctx.reader.locale, error, EDIT_FIELDS), now);
      }
      return ctx.c.redirect(
        `/review?done=${form.decision === 'submit' ? 'submitted' : 'saved'}&id=${id}`,
        303,
      );
    },
  },
];
