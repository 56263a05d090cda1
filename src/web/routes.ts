/**
 * The web pages' route table: home, explorer (with its CSV download), places and profiles, documented
 * figures, evaluations, programs, indicators and framework nodes. Every page declares the permission it
 * needs, like every API route; every page answers in the reader's language (`?lang=`, then the
 * remembered cookie, then the browser's), and an unknown page is a 404 page in that language.
 * @module
 */
import type { Logger } from '../log.js';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { hasPermission, PERMISSION_ROLES, type Permission } from '../access/permissions.js';
import { MarcoError } from '../error.js';
import { translator } from '../i18n/index.js';
import { withoutServerPaths } from '../server-paths.js';
import type { NetworkAccess } from '../config.js';
import type { RecordsStore } from '../records/database.js';
import { seriesQueryFromText } from '../stats/series-query.js';
import type { StatsStore } from '../stats/stats-store.js';
import { renderEvaluation, renderEvaluations, renderEvaluationSvg } from './evaluations/pages.js';
import { renderExplorer, viewParams } from './explorer.js';
import { seriesCsvResponse } from './downloads/series-download.js';
import { renderFigures } from './figures.js';
import { renderHome } from './home.js';
import { notFoundPage, placeNames, renderSearch } from './places.js';
import { renderProfile } from './profiles/index.js';
import { renderIndicator, renderNode, renderProgram } from './programs.js';
import { stylesheet, STYLESHEET_ROUTE } from './style.js';
import { resolveReader } from './session/resolve.js';
import { messagePage } from './session/login-page.js';
import { WEBHOOK_PAGES } from './admin/webhook-routes.js';
import { FEED_PAGES } from './feeds/routes.js';
import { createPageCache, pageKey, servePage, type PageCache } from './page-cache.js';
import { BENCHMARK_PAGES } from './benchmarks/routes.js';
import { FUNDING_PAGES } from './funding/routes.js';
import { FUNDING_LINE_PAGES } from './funding/lines-routes.js';
import { ORGANISATION_PAGES } from './admin/organisation-routes.js';
import { VINTAGE_PAGES } from './admin/vintage-routes.js';
import { INBOX_PAGES } from './inbox/routes.js';
import { SETTINGS_PAGES } from './settings/routes.js';
import { REPORT_PAGES } from './reports/routes.js';
import { NETWORK_PAGES } from './networks/routes.js';
import { DOCUMENTED_PAGES } from './documented/routes.js';
import { DRUG_PAGES } from './drugs/routes.js';
import { INCIDENT_PAGES } from './incidents/routes.js';
import { TIMELINE_PAGES } from './timeline/routes.js';
import { formRefused, formTooLarge, SESSION_PAGES } from './session/routes.js';
import { ENTRY_PAGES } from './entry/routes.js';
import { ADMIN_PAGES } from './admin/routes.js';
import { PIRS_PAGES, SHEET_EDIT_PAGES } from './pirs/routes.js';
import { USER_PAGES } from './admin/user-routes.js';
import { EVIDENCE_PAGES } from './evidence/routes.js';
import { HISTORY_PAGES } from './history/routes.js';
import { BULK_PAGES } from './review/bulk.js';
import { REVIEW_PAGES } from './review/routes.js';
import { pageStatus } from './forms.js';
import { anonymousReader, type Reader } from './reader.js';
import { localeOf } from './locale.js';

import type { PageContext, PageRoute } from './page-route.js';

export type { PageContext, PageRoute } from './page-route.js';

/** A rendered page with its status. */
const html = (ctx: PageContext, page: { status?: 200 | 400 | 404; body: string } | string) =>
  typeof page === 'string' ? ctx.c.html(page) : ctx.c.html(page.body, page.status ?? 200);

export const PAGES: readonly PageRoute[] = [
  {
    path: '/',
    permission: 'read',
    handle: async (ctx) => html(ctx, await renderHome(ctx.store, ctx.stats, ctx.reader)),
  },
  {
    // The one stylesheet; its URL changes with its content, so it is cached for a year.
    path: STYLESHEET_ROUTE,
    permission: 'read',
    handle: async ({ c }) =>
      c.body(stylesheet(), 200, {
        'content-type': 'text/css; charset=utf-8',
        'cache-control': 'public, max-age=31536000, immutable',
      }),
  },
  {
    path: '/explore',
    permission: 'read',
    handle: async (ctx) => html(ctx, await renderExplorer(ctx.stats, ctx.reader)),
  },
  {
    path: '/explore.csv',
    permission: 'read',
    async handle({ c, store, stats, reader: { locale, url } }) {
      if (!stats) return c.text(`${translator(locale)('web.noStats')}\n`, 503);
      const params = viewParams(url);
      return seriesCsvResponse(c, {
        store,
        stats,
        input: seriesQueryFromText(params, 'url'),
        locale,
        excel: url.searchParams.get('excel') === 'true',
      });
    },
  },
  {
    path: '/places',
    permission: 'read',
    handle: async (ctx) => html(ctx, await renderSearch(ctx.stats, ctx.reader)),
  },
  {
    path: '/places/:code',
    permission: 'read',
    handle: async (ctx) =>
      html(ctx, await renderProfile(ctx.stats, ctx.reader, ctx.c.req.param('code')!, ctx.networks)),
  },
  {
    path: '/figures',
    permission: 'read',
    handle: async (ctx) => html(ctx, await renderFigures(ctx.stats, ctx.reader)),
  },
  {
    path: '/evaluations',
    permission: 'read',
    handle: async (ctx) => html(ctx, await renderEvaluations(ctx.store, ctx.reader)),
  },
  {
    path: '/evaluations/:id',
    permission: 'read',
    handle: async (ctx) =>
      html(
        ctx,
        await renderEvaluation(
          ctx.store,
          ctx.reader,
          ctx.c.req.param('id')!,
          await placeNames(ctx.stats),
          ctx.stats,
        ),
      ),
  },
  {
    path: '/evaluations/:id/event-study.svg',
    permission: 'read',
    async handle(ctx) {
      const svg = await renderEvaluationSvg(ctx.store, ctx.reader.locale, ctx.c.req.param('id')!);
      if (!svg) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      return ctx.c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8' });
    },
  },
  {
    path: '/programs/:code',
    permission: 'read',
    handle: async (ctx) =>
      html(ctx, await renderProgram(ctx.store, ctx.stats, ctx.reader, ctx.c.req.param('code')!)),
  },
  {
    path: '/indicators/:code',
    permission: 'read',
    handle: async (ctx) =>
      html(ctx, await renderIndicator(ctx.store, ctx.stats, ctx.reader, ctx.c.req.param('code')!)),
  },
  {
    path: '/nodes/:ref',
    permission: 'read',
    handle: async (ctx) =>
      html(ctx, await renderNode(ctx.store, ctx.stats, ctx.reader, ctx.c.req.param('ref')!)),
  },
];

/**
 * Every page: the public ones, signing in and out, the review cycle, result entry, evidence files,
 * histories, administration, notices, their settings and the Atom feeds.
 */
export const ALL_PAGES: readonly PageRoute[] = [
  ...PAGES,
  ...SESSION_PAGES,
  // Before the review pages: `/review/approve-all` is not a result's `/review/{id}`.
  ...BULK_PAGES,
  ...REVIEW_PAGES,
  ...ENTRY_PAGES,
  ...EVIDENCE_PAGES,
  ...HISTORY_PAGES,
  ...ADMIN_PAGES,
  ...USER_PAGES,
  ...PIRS_PAGES,
  ...SHEET_EDIT_PAGES,
  ...WEBHOOK_PAGES,
  ...INBOX_PAGES,
  ...SETTINGS_PAGES,
  ...REPORT_PAGES,
  ...FEED_PAGES,
  ...FUNDING_PAGES,
  ...FUNDING_LINE_PAGES,
  ...BENCHMARK_PAGES,
  ...ORGANISATION_PAGES,
  ...VINTAGE_PAGES,
  ...NETWORK_PAGES,
  ...DOCUMENTED_PAGES,
  ...DRUG_PAGES,
  ...INCIDENT_PAGES,
  ...TIMELINE_PAGES,
];

/** The title and text of a page refused for want of a role: which roles would grant it. */
function needsRole(reader: Reader, permission: Permission): [string, string] {
  const t = translator(reader.locale);
  const roles = PERMISSION_ROLES[permission].map((r) => t(`web.session.role.${r}`)).join(', ');
  return [t('web.session.needsRoleTitle'), t('web.session.needsRole', { roles })];
}

/** What the pages need from the server: the stores, the clock and how to tell a client's address. */
export interface PageOptions {
  store: RecordsStore;
  stats: StatsStore | undefined;
  now?: (() => Date) | undefined;
  clientOf(c: Context): string | undefined;
  /** Whether the server sends e-mail (the settings page says so when it does not). */
  mailConfigured?: boolean | undefined;
  /** The folder of background jobs' outputs, when this server runs a worker. */
  jobsDir?: string | undefined;
  /** Who may see criminal groups' detail (`MARCO_NETWORK_CLASSIFICATION`). */
  networks?: NetworkAccess | undefined;
  log?: Logger | undefined;
  /** Rendered pages kept for anonymous readers (`page-cache.ts`); one per app by default. */
  pageCache?: PageCache | undefined;
}

/** Form posts (signing in and out) are small: a larger body is refused while it streams. */
const FORM_BODY_LIMIT = 16 * 1024;

/**
 * Registers every page on `app`. Each request's reader is resolved from its session cookie first, so a
 * signed-in official sees on the pages exactly what the API shows a token of the same roles, and a page
 * whose permission the reader lacks is refused before its handler runs. Form posts are checked for
 * their origin (Hono's `csrf`, a second line behind the forms' own tokens) and their size.
 */
export function registerPages(app: Hono, options: PageOptions): void {
  const sameOrigin = csrf();
  // A post from another site's page: refused with the same page as a missing form token.
  const origin: MiddlewareHandler = async (c, next) => {
    try {
      await sameOrigin(c, next);
    } catch (error) {
      if (!(error instanceof HTTPException) || error.status !== 403) throw error;
      return formRefused(c, anonymousReader(localeOf(c), new URL(c.req.url)));
    }
  };
  const size = (limit: number) =>
    bodyLimit({
      maxSize: limit,
      onError: (c) => formTooLarge(c, anonymousReader(localeOf(c), new URL(c.req.url)), limit),
    });
  const plainForm = size(FORM_BODY_LIMIT);
  const cache = options.pageCache ?? createPageCache();
  for (const page of ALL_PAGES) {
    const handler = async (c: Context) => {
      const { reader, session } = await resolveReader(c, options.store, options.now);
      // A page for officials: an anonymous reader is sent to sign in and brought back (a GET), or
      // refused like a form without its token (a post, whose session has ended); a signed-in reader
      // without the role gets a page that names the roles that would grant it.
      if (!hasPermission(reader.viewer, page.permission)) {
        if (reader.viewer === null && page.method !== 'post')
          return c.redirect(
            `/login?next=${encodeURIComponent(`${reader.url.pathname}${reader.url.search}`)}`,
            303,
          );
        if (reader.viewer === null) return formRefused(c, reader);
        return c.html(messagePage(reader, ...needsRole(reader, page.permission)), 403);
      }
      const render = () =>
        page.handle({
          c,
          store: options.store,
          stats: options.stats,
          reader,
          session,
          now: options.now,
          client: options.clientOf(c),
          mailConfigured: options.mailConfigured,
          jobsDir: options.jobsDir,
          networks: options.networks,
          log: options.log,
        });
      try {
        if (page.method === 'post') return await render();
        // An anonymous reader's public page is the same for every anonymous reader: kept and revalidated.
        const key =
          reader.viewer === null && !reader.notice && page.permission === 'read'
            ? await pageKey(c, reader.locale, options.store, options.stats)
            : null;
        return await servePage(c, cache, key, render);
      } catch (error) {
        // A refusal no page handled itself (a statistics query out of range, a record gone): a page in
        // the reader's language with the API's status, not the API's JSON.
        if (!(error instanceof MarcoError) || error.status >= 500) throw error;
        const t = translator(reader.locale);
        return c.html(
          messagePage(reader, t('web.refusedTitle'), withoutServerPaths(error.messageIn(reader.locale))),
          pageStatus(error),
        );
      }
    };
    if (page.method === 'post')
      app.post(page.path, origin, page.maxBody ? size(page.maxBody) : plainForm, handler);
    else app.get(page.path, handler);
  }
}
