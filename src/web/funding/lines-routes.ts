/**
 * The funding lines' forms: `GET /funding/lines` (the page), `POST /funding/lines` (a reporter saves a
 * line as a draft, or submits it), `POST /funding/lines/{id}/submit` (a reporter submits a draft) and
 * `POST /funding/lines/{id}/decide` (an approver of the other country approves or returns a submitted
 * line). Each goes through the same schema, rules and audited write as `/api/v1/funding`; a refusal
 * changes nothing and is shown on the page, beside its field where it has one.
 * @module
 */
import { z } from 'zod';
import { hasRole } from '../../access/viewer.js';
import type { Official } from '../../access/viewer.js';
import { safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { FundingLine } from '../../domain/funding/funding-schema.js';
import { MarcoError, ValidationError, type Issue } from '../../error.js';
import { reviewFundingLine, saveFundingLines, visibleFundingLines } from '../../funding/funding-service.js';
import { translator } from '../../i18n/index.js';
import { listNodes } from '../../records/framework-repository.js';
import { accountsIn } from '../../records/funding-repository.js';
import { listPrograms } from '../../records/program-repository.js';
import {
  checkedForm,
  doneNotice,
  formNumbers,
  pageStatus,
  RECORD_ID,
  refusal,
  writeOptions,
} from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { LINE_FIELDS, renderLines, type LinesPage, type LinesState } from './lines-page.js';

/** What the page lists for the signed-in official. */
async function linesData(ctx: PageContext): Promise<LinesPage> {
  const viewer = ctx.reader.viewer as Official;
  const [accounts, programs, nodes, drafts, submitted] = await Promise.all([
    accountsIn(ctx.store.db),
    listPrograms(ctx.store, viewer),
    listNodes(ctx.store),
    visibleFundingLines(ctx.store, viewer, { statuses: ['draft'] }),
    visibleFundingLines(ctx.store, viewer, { statuses: ['submitted'] }),
  ]);
  return {
    accounts: [...accounts.values()],
    programs: programs.map((p) => ({ code: p.code, title: p.title })),
    nodes: nodes.map((n) => ({ ref: n.ref, title: n.title })),
    drafts: drafts.filter((l) => l.country === viewer.country && l.agency === viewer.agency),
    toApprove: submitted.filter((l) => l.country !== viewer.country),
    reporter: hasRole(viewer, 'reporter'),
    approver: hasRole(viewer, 'approver'),
  };
}

const Done = z.object({
  done: z.enum(['saved', 'submitted', 'approved', 'returned']),
  line: z.string().regex(/^FY\d{4} [A-Za-z0-9._-]{1,64}$/),
});

async function show(
  ctx: PageContext,
  status: 200 | 400 | 403 | 404 | 409 | 413 | 415 | 422,
  state: LinesState = {},
) {
  const notice =
    state.notice ?? doneNotice(ctx, Done, (t, d) => t(`web.fundingLines.done.${d.done}`, { line: d.line }));
  return ctx.c.html(
    renderLines(ctx.reader, await linesData(ctx), { ...state, ...(notice ? { notice } : {}) }),
    status,
  );
}

/** The line the form describes: blank fields left out, so the schema says what is missing. */
function described(form: Record<string, string>, amount: number | null | undefined) {
  const out: Record<string, unknown> = {};
  for (const name of ['fiscal_year', 'account', 'stage', 'program', 'node', 'currency', 'source', 'note']) {
    const value = form[name]?.trim();
    if (value) out[name] = name === 'fiscal_year' || name === 'currency' ? value.toUpperCase() : value;
  }
  if (amount !== null && amount !== undefined) out.amount = amount;
  return out;
}

/** `line.account` → `account`: the service names the one line of the form `line`. */
const onForm = (issues: readonly Issue[]) =>
  issues.map((i) => ({ ...i, path: i.path.replace(/^line\.?/, '') }));

const redirect = (ctx: PageContext, done: string, line: { fiscal_year: string; account: string }) =>
  ctx.c.redirect(
    `/funding/lines?lang=${ctx.reader.locale}&done=${done}&line=${encodeURIComponent(`${line.fiscal_year} ${line.account}`)}`,
    303,
  );

export const FUNDING_LINE_PAGES: readonly PageRoute[] = [
  { path: '/funding/lines', permission: 'write:results', handle: (ctx) => show(ctx, 200) },
  {
    method: 'post',
    path: '/funding/lines',
    permission: 'write:records',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const t = translator(ctx.reader.locale);
      const viewer = ctx.reader.viewer as Official;
      const typed = { typed: form };
      if (form.decision !== 'draft' && form.decision !== 'submit')
        return show(ctx, 400, {
          ...typed,
          errors: {},
          notice: { kind: 'refused', text: t('web.review.badDecision') },
        });
      const { numbers, errors } = formNumbers(t, form, ['amount']);
      if (Object.keys(errors).length > 0) return show(ctx, 422, { ...typed, errors });
      const checked = safeParseInput(FundingLine, described(form, numbers.amount));
      const refused = (status: 400 | 403 | 404 | 409 | 413 | 415 | 422, error: MarcoError) => {
        const r = refusal(t, ctx.reader.locale, error, LINE_FIELDS);
        return show(ctx, status, {
          ...typed,
          errors: r.errors,
          ...(r.alert ? { notice: { kind: 'refused', text: r.alert } } : {}),
        });
      };
      if (!checked.success) return refused(422, new ValidationError(zodIssues(checked.error)));
      try {
        const { saved } = await saveFundingLines(
          ctx.store,
          viewer,
          [checked.data],
          { country: viewer.country, agency: viewer.agency, classification: 'public' },
          writeOptions(ctx),
          () => 'line',
        );
        if (form.decision === 'submit')
          await reviewFundingLine(ctx.store, viewer, saved[0]!.id, 'submit', writeOptions(ctx));
        return redirect(ctx, form.decision === 'submit' ? 'submitted' : 'saved', checked.data);
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return refused(
          pageStatus(error),
          error instanceof ValidationError ? new ValidationError(onForm(error.issues)) : error,
        );
      }
    },
  },
  ...(['submit', 'decide'] as const).map((action): PageRoute => ({
    method: 'post',
    path: `/funding/lines/:id/${action}`,
    permission: 'write:results',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const t = translator(ctx.reader.locale);
      const id = ctx.c.req.param('id') ?? '';
      if (!RECORD_ID.test(id))
        return show(ctx, 404, { notice: { kind: 'refused', text: t('web.fundingLines.unknown') } });
      const review = action === 'submit' ? 'submit' : form.decision;
      if (review !== 'submit' && review !== 'approve' && review !== 'return')
        return show(ctx, 400, { notice: { kind: 'refused', text: t('web.review.badDecision') } });
      const version = /^[1-9]\d{0,8}$/.test(form.version ?? '') ? Number(form.version) : undefined;
      const comment = form.comment?.trim();
      try {
        const line = await reviewFundingLine(
          ctx.store,
          ctx.reader.viewer,
          Number(id),
          review,
          writeOptions(ctx),
          {
            ...(comment ? { comment } : {}),
            ...(version !== undefined ? { version } : {}),
          },
        );
        return redirect(
          ctx,
          review === 'submit' ? 'submitted' : review === 'approve' ? 'approved' : 'returned',
          line,
        );
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return show(ctx, pageStatus(error), {
          id: Number(id),
          ...(comment ? { comment } : {}),
          notice: { kind: 'refused', text: error.messageIn(ctx.reader.locale) },
        });
      }
    },
  })),
];
