/**
 * Result entry in the browser: `GET /results/new` (choose an indicator, then its form) and `POST
 * /results` (save the new result as a draft, or submit it). The post carries the session's CSRF token and
 * creates the result through the same schema, rules and audited write as `POST /api/v1/results`. A
 * refusal changes nothing and is shown on the form, beside its field where it has one, in the reader's
 * language, with the status the API would give.
 * @module
 */
import { can } from '../../access/rules.js';
import type { Official } from '../../access/viewer.js';
import { safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { NewResult } from '../../domain/result-entry.js';
import { MarcoError, ValidationError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { inspectEvidence } from '../../monitoring/evidence.js';
import { resultCreator } from '../../monitoring/result-creator.js';
import {
  createResult,
  entryChoices,
  reportableIndicators,
  type EntryChoices,
} from '../../records/result-entry.js';
import {
  checkedUpload,
  EVIDENCE_FORM_BYTES,
  formNumbers,
  pageStatus,
  refusal,
  type RefusedStatus,
} from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage, placeNames } from '../places.js';
import { messagePage } from '../session/login-page.js';
import { ENTRY_FIELDS, renderChooser, renderEntry, type EntryState } from './entry-page.js';

/** Whether the signed-in official reports for the indicator (its country and agency). */
const reportsFor = (
  ctx: PageContext,
  indicator: {
    country: 'US' | 'MX';
    agency: string;
    classification: 'public' | 'official_use' | 'restricted';
  },
) => can(ctx.reader.viewer, 'submit', indicator);

/** The form for `choices`, or the page that refuses it to an official who does not report for it. */
async function entryPage(
  ctx: PageContext,
  choices: EntryChoices,
  status: 200 | RefusedStatus,
  state?: EntryState,
) {
  const t = translator(ctx.reader.locale);
  if (!reportsFor(ctx, choices.indicator))
    return ctx.c.html(
      messagePage(
        ctx.reader,
        t('web.entry.title'),
        t('web.entry.notYours', {
          code: choices.indicator.code,
          agency: choices.indicator.agency,
          country: t(`web.session.country.${choices.indicator.country}`),
        }),
      ),
      403,
    );
  return ctx.c.html(renderEntry(ctx.reader, choices, await placeNames(ctx.stats), state), status);
}

/** The new result the form describes: blank fields are left out, so the schema says what is missing. */
function described(form: Record<string, string>, numbers: Record<string, number | null>) {
  const text = (name: string) => {
    const value = form[name]?.trim();
    return value ? { [name]: value } : {};
  };
  const disaggregation = Object.fromEntries(
    Object.entries(form)
      .filter(([k, v]) => k.startsWith('disaggregation.') && v.trim() !== '')
      .map(([k, v]) => [k.slice('disaggregation.'.length), v.trim()]),
  );
  return {
    ...text('indicator'),
    ...text('period'),
    ...(form.place?.trim() ? { place: form.place.trim().toUpperCase() } : {}),
    ...(Object.keys(disaggregation).length > 0 ? { disaggregation } : {}),
    ...Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== null)),
    ...text('comment'),
    ...text('evidence'),
    status: form.decision === 'submit' ? 'submitted' : 'draft',
  };
}

export const ENTRY_PAGES: readonly PageRoute[] = [
  {
    path: '/results/new',
    permission: 'write:results',
    async handle(ctx) {
      const code = ctx.c.req.query('indicator');
      if (!code) {
        const all = await reportableIndicators(ctx.store, ctx.reader.viewer);
        return ctx.c.html(
          renderChooser(
            ctx.reader,
            all.filter((i) => reportsFor(ctx, i)),
          ),
        );
      }
      const choices = await entryChoices(ctx.store, ctx.reader.viewer, code);
      return choices ? entryPage(ctx, choices, 200) : ctx.c.html(notFoundPage(ctx.reader).body, 404);
    },
  },
  {
    method: 'post',
    path: '/results',
    permission: 'write:results',
    maxBody: EVIDENCE_FORM_BYTES,
    async handle(ctx) {
      const t = translator(ctx.reader.locale);
      const upload = await checkedUpload(ctx, 'attachments');
      if (upload instanceof Response) return upload;
      const { form } = upload;
      // The form's choices are read only to show it again: a saved result needs none of them.
      const again = async (status: RefusedStatus, state: Omit<EntryState, 'typed'>) => {
        const choices = await entryChoices(ctx.store, ctx.reader.viewer, form.indicator ?? '');
        if (!choices) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
        return entryPage(ctx, choices, status, { ...state, typed: form });
      };
      const { numbers, errors } = formNumbers(t, form, ['value', 'numerator', 'denominator']);
      if (form.decision !== 'draft' && form.decision !== 'submit')
        return again(400, { errors, alert: t('web.review.badDecision') });
      if (Object.keys(errors).length > 0) return again(422, { errors });
      const fields = [...ENTRY_FIELDS, ...Object.keys(form).filter((k) => k.startsWith('disaggregation.'))];
      const checked = safeParseInput(NewResult, described(form, numbers));
      if (!checked.success)
        return again(
          422,
          refusal(t, ctx.reader.locale, new ValidationError(zodIssues(checked.error)), fields),
        );
      const viewer = ctx.reader.viewer as Official;
      let id: number;
      try {
        const files = await inspectEvidence(upload.files, 'attachments');
        ({ id } = await createResult(
          ctx.store,
          checked.data,
          { actor: viewer.user, ...(ctx.now ? { now: ctx.now } : {}) },
          resultCreator(viewer, await placeNames(ctx.stats)),
          files,
        ));
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return again(pageStatus(error), refusal(t, ctx.reader.locale, error, fields));
      }
      return ctx.c.redirect(
        `/review?done=${form.decision === 'submit' ? 'submitted' : 'entered'}&id=${id}`,
        303,
      );
    },
  },
];
