/**
 * The monitoring cycle's pages: `GET /review` (the work lists), `POST /review/{id}` (approve, or return
 * with a comment), `GET /results/{id}/edit` and `POST /results/{id}` (correct, save as draft, submit).
 * Every post carries the session's CSRF token and changes a result through the same rules, schema and
 * audited write as `PATCH /api/v1/results/{id}`. A refusal changes nothing and is shown on the page, in
 * the reader's language, with the status the API would give (400, 403, 404, 409, 422).
 * @module
 */

import { z } from 'zod';
import type { Official } from '../../access/viewer.js';
import { csrfToken, sameToken } from '../../accounts/sessions.js';
import { Code, PeriodCode, safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { ResultPatch } from '../../domain/result-patch.js';
import { MarcoError, ValidationError, type Issue } from '../../error.js';
import { translator, type Translate } from '../../i18n/index.js';
import { reviewQueues, type QueueFilter } from '../../monitoring/queues.js';
import { resultEditor } from '../../monitoring/result-editor.js';
import { listResults, updateResult, type ResultView } from '../../records/result-repository.js';
import { notFoundPage } from '../places.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { formRefused, readForm } from '../session/routes.js';
import { renderEdit, type EditState } from './edit-page.js';
import { renderQueue, type QueueMessage } from './queue-page.js';

const Filter = z
  .object({
    program: Code.optional(),
    period: PeriodCode.optional(),
    country: z.enum(['US', 'MX']).optional(),
    done: z.enum(['approved', 'returned', 'saved', 'submitted']).optional(),
    id: z.coerce.number().int().min(1).optional(),
    lang: z.string().optional(),
  })
  .strict();

const DONE_KEYS = {
  approved: 'web.review.doneApproved',
  returned: 'web.review.doneReturned',
  saved: 'web.review.doneSaved',
  submitted: 'web.review.doneSubmitted',
} as const;

const ID = /^[1-9]\d{0,9}$/;

/** An issue in the reader's language: its catalog text when it has one. */
const issueText = (t: Translate, issue: Issue) =>
  issue.text ? t(issue.text.key, issue.text.values) : issue.message;

/** A refusal as the page shows it: a field's issues go beside the field, anything else on top. */
function refusal(
  t: Translate,
  locale: 'en' | 'es',
  error: MarcoError,
): { alert?: string; errors: Record<string, string> } {
  if (error instanceof ValidationError) {
    const errors = Object.fromEntries(error.issues.map((i) => [i.path, issueText(t, i)]));
    const unplaced = error.issues.filter(
      (i) => !['value', 'numerator', 'denominator', 'comment', 'evidence'].includes(i.path),
    );
    return unplaced.length > 0 ? { alert: error.messageIn(locale), errors } : { errors };
  }
  return { alert: error.messageIn(locale), errors: {} };
}

async function queuePage(
  ctx: PageContext,
  status: 200 | 400 | 403 | 404 | 409 | 422,
  message?: QueueMessage,
) {
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
  } else if (!shown && parsed.data.done && parsed.data.id)
    shown = { kind: 'done', text: t(DONE_KEYS[parsed.data.done], { id: parsed.data.id }) };
  const queues = await reviewQueues(ctx.store, reader.viewer as Official, filter);
  return c.html(renderQueue(reader, queues, filter, shown), status);
}

/** The result `id` as `viewer` may see it, or undefined. */
async function visibleResult(ctx: PageContext, id: string): Promise<ResultView | undefined> {
  if (!ID.test(id)) return undefined;
  return (await listResults(ctx.store, ctx.reader.viewer, { id: Number(id) })).results[0];
}

const notFound = (ctx: PageContext) => ctx.c.html(notFoundPage(ctx.reader).body, 404);

/** The posted form, or the response that refuses it (not a form, no session, a wrong CSRF token). */
async function checkedForm(ctx: PageContext): Promise<Record<string, string> | Response> {
  const form = await readForm(ctx.c);
  if (!form || !ctx.session || !sameToken(csrfToken(ctx.session), form._csrf))
    return formRefused(ctx.c, ctx.reader);
  return form;
}

/** A form's number: empty is none (null); anything but a plain decimal number is an error. */
function formNumber(typed: string | undefined): number | null | undefined | 'invalid' {
  if (typed === undefined) return undefined;
  const text = typed.trim();
  if (text === '') return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : 'invalid';
}

const write = (ctx: PageContext) => ({
  actor: (ctx.reader.viewer as Official).user,
  ...(ctx.now ? { now: ctx.now } : {}),
});

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
      if (!ID.test(id)) return notFound(ctx);
      const version = Number(form.version);
      const comment = (form.comment ?? '').trim();
      const refused = (status: 400 | 403 | 404 | 409 | 422, text: string) =>
        queuePage(ctx, status, { kind: 'refused', text, id: Number(id), comment });
      if (!Number.isInteger(version) || version < 1) return refused(400, t('web.review.badVersion'));
      if (form.decision !== 'approve' && form.decision !== 'return')
        return refused(400, t('web.review.badDecision'));
      const patch =
        form.decision === 'approve'
          ? { version, status: 'approved' as const }
          : { version, status: 'draft' as const, ...(comment ? { review_comment: comment } : {}) };
      const checked = safeParseInput(ResultPatch, patch);
      if (!checked.success)
        return refused(422, new ValidationError(zodIssues(checked.error)).messageIn(ctx.reader.locale));
      try {
        await updateResult(
          ctx.store,
          Number(id),
          checked.data,
          write(ctx),
          resultEditor(ctx.reader.viewer as Official, checked.data, id),
        );
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return refused(
          error.status as 403,
          t('web.review.refused', { id, message: error.messageIn(ctx.reader.locale) }),
        );
      }
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
      return result ? ctx.c.html(renderEdit(ctx.reader, result)) : notFound(ctx);
    },
  },
  {
    method: 'post',
    path: '/results/:id',
    permission: 'write:results',
    async handle(ctx) {
      const t = translator(ctx.reader.locale);
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const id = ctx.c.req.param('id')!;
      const current = await visibleResult(ctx, id);
      if (!current) return notFound(ctx);
      const again = (status: 400 | 403 | 404 | 409 | 422, state: Omit<EditState, 'typed'>, shown = current) =>
        ctx.c.html(renderEdit(ctx.reader, shown, { ...state, typed: form }), status);
      const errors: Record<string, string> = {};
      const numbers: Record<string, number | null> = {};
      for (const name of ['value', 'numerator', 'denominator']) {
        const parsed = formNumber(form[name]);
        if (parsed === 'invalid') errors[name] = t('web.resultEdit.notNumber', { given: form[name]!.trim() });
        else if (parsed !== undefined) numbers[name] = parsed;
      }
      if (form.decision !== 'draft' && form.decision !== 'submit')
        return again(400, { errors, alert: t('web.review.badDecision') });
      if (Object.keys(errors).length > 0) return again(422, { errors });
      const text = (name: string) => (form[name] === undefined ? {} : { [name]: form[name]!.trim() || null });
      const patch = {
        version: Number(form.version),
        ...numbers,
        ...text('comment'),
        ...text('evidence'),
        status: form.decision === 'submit' ? ('submitted' as const) : ('draft' as const),
      };
      const checked = safeParseInput(ResultPatch, patch);
      if (!checked.success)
        return again(422, refusal(t, ctx.reader.locale, new ValidationError(zodIssues(checked.error))));
      try {
        await updateResult(
          ctx.store,
          current.id,
          checked.data,
          write(ctx),
          resultEditor(ctx.reader.viewer as Official, checked.data, id),
        );
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        // After a conflict the page shows the result as it stands now, with what was typed kept.
        const now = (await visibleResult(ctx, id)) ?? current;
        return again(error.status as 409, refusal(t, ctx.reader.locale, error), now);
      }
      return ctx.c.redirect(
        `/review?done=${form.decision === 'submit' ? 'submitted' : 'saved'}&id=${id}`,
        303,
      );
    },
  },
];
