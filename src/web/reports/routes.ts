/**
 * The reports page's routes, for signed-in officials: `GET /reports` (the form and the official's jobs);
 * `POST /reports` (ask for a report: a built-in template, a period, a language and a format, checked
 * before anything is queued); `POST /reports/jobs/{id}/cancel` and `…/retry`; and
 * `GET /reports/jobs/{id}/output`, the job's file, checked against its SHA-256 before it is sent. The
 * rules are the API's (`src/jobs/job-requests.ts`): a job is its requester's, and runs with their rights.
 * @module
 */
import { z } from 'zod';
import type { Official } from '../../access/viewer.js';
import { safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { MarcoError, ValidationError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import {
  cancelViewerJob,
  jobFileHeaders,
  jobOutput,
  jobView,
  requestJob,
  retryViewerJob,
  viewerJobs,
} from '../../jobs/job-requests.js';
import { periodOverview } from '../../records/period-overview.js';
import { builtinTemplateNames, loadTemplate } from '../../reports/report-templates.js';
import { checkedForm, doneNotice, pageStatus, RECORD_ID, refusal, writeOptions } from '../forms.js';
import type { FieldState } from '../form-field.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { checkReportParams, REPORT_JOB, ReportJobParams } from './report-job.js';
import { renderReports, type ReportsMessage } from './reports-page.js';

const Done = z.object({ done: z.enum(['queued', 'cancelled', 'retried']), id: z.string().regex(RECORD_ID) });

/** The built-in templates, with their titles in `locale`. */
async function templates(locale: 'en' | 'es') {
  return Promise.all(
    (await builtinTemplateNames()).map(
      async (name) => [name, (await loadTemplate(name)).template.title[locale]] as const,
    ),
  );
}

async function reportsPage(
  ctx: PageContext,
  status: 200 | 400 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 500,
  message?: ReportsMessage,
  state?: FieldState,
) {
  const viewer = ctx.reader.viewer as Official;
  const periods = [...new Set((await periodOverview(ctx.store)).map((p) => p.code))].sort();
  const shown = message ?? doneNotice(ctx, Done, (t, d) => t(`web.reportsPage.done.${d.done}`, { id: d.id }));
  ctx.c.header('Cache-Control', 'no-store');
  return ctx.c.html(
    renderReports(
      ctx.reader,
      {
        templates: await templates(ctx.reader.locale),
        periods,
        jobs: (await viewerJobs(ctx.store, viewer)).map((row) => jobView(row, ctx.reader.locale)),
        working: ctx.jobsDir !== undefined,
      },
      shown,
      state,
    ),
    status,
  );
}

/**
 * The page again with `error` on top (a job that is not the reader's, one that cannot be retried, an
 * output that expired or whose file changed), with the error's status.
 */
const refused = (ctx: PageContext, error: MarcoError) =>
  reportsPage(ctx, error.status === 410 || error.status === 500 ? error.status : pageStatus(error), {
    kind: 'refused',
    text: error.messageIn(ctx.reader.locale),
  });

/** A cancel or retry of one of the reader's jobs, by its id in the path. */
function jobAction(action: 'cancel' | 'retry'): PageRoute {
  return {
    method: 'post',
    path: `/reports/jobs/:id/${action}`,
    permission: 'read:official',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const id = ctx.c.req.param('id') ?? '';
      if (!RECORD_ID.test(id)) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      try {
        const act = action === 'cancel' ? cancelViewerJob : retryViewerJob;
        await act(ctx.store, ctx.reader.viewer, Number(id), writeOptions(ctx));
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return refused(ctx, error);
      }
      return ctx.c.redirect(`/reports?done=${action === 'cancel' ? 'cancelled' : 'retried'}&id=${id}`, 303);
    },
  };
}

export const REPORT_PAGES: readonly PageRoute[] = [
  { path: '/reports', permission: 'read:official', handle: (ctx) => reportsPage(ctx, 200) },
  {
    method: 'post',
    path: '/reports',
    permission: 'read:official',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const typed = {
        template: form.template ?? '',
        period: (form.period ?? '').trim(),
        place: (form.place ?? '').trim(),
        evaluation: (form.evaluation ?? '').trim(),
        lang: form.lang ?? '',
        format: form.format ?? '',
      };
      const fields = ['template', 'period', 'place', 'evaluation', 'lang', 'format'];
      // A field left empty is a parameter not given: the template's subject says which it needs.
      const given = Object.fromEntries(Object.entries(typed).filter(([, v]) => v !== ''));
      const parsed = safeParseInput(ReportJobParams, given);
      let error: ValidationError | undefined;
      if (!parsed.success) error = new ValidationError(zodIssues(parsed.error));
      else
        await checkReportParams(ctx.stats, parsed.data).catch((refusal: unknown) => {
          if (!(refusal instanceof ValidationError)) throw refusal;
          error = refusal;
        });
      if (error || !parsed.success) {
        const shown = refusal(translator(ctx.reader.locale), ctx.reader.locale, error!, fields);
        return reportsPage(ctx, 422, shown.alert ? { kind: 'refused', text: shown.alert } : undefined, {
          typed,
          errors: shown.errors,
        });
      }
      if (ctx.jobsDir === undefined)
        return reportsPage(ctx, 409, {
          kind: 'refused',
          text: translator(ctx.reader.locale)('jobs.noWorker'),
        });
      const job = await requestJob(
        ctx.store,
        ctx.reader.viewer as Official,
        REPORT_JOB,
        parsed.data,
        writeOptions(ctx),
      );
      return ctx.c.redirect(`/reports?done=queued&id=${job.id}#job-${job.id}`, 303);
    },
  },
  jobAction('cancel'),
  jobAction('retry'),
  {
    path: '/reports/jobs/:id/output',
    permission: 'read:official',
    async handle(ctx) {
      const id = ctx.c.req.param('id') ?? '';
      if (!RECORD_ID.test(id) || ctx.jobsDir === undefined)
        return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      let file;
      try {
        file = await jobOutput(ctx.store, ctx.reader.viewer, Number(id), ctx.jobsDir);
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        if (error.status === 404) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
        return refused(ctx, error);
      }
      return ctx.c.body(file.open() as unknown as ReadableStream, 200, jobFileHeaders(file));
    },
  },
];
