/**
 * The web pages' route table: home, explorer (with its CSV download), places and profiles, documented
 * figures, evaluations, programs, indicators and framework nodes. Every page declares the permission it
 * needs, like every API route; every page answers in the reader's language (`?lang=`, then the
 * remembered cookie, then the browser's), and an unknown page is a 404 page in that language.
 * @module
 */
import type { Context, Hono } from 'hono';
import { authorize, type Permission } from '../access/permissions.js';
import { matchLocale, translator, type Locale } from '../i18n/index.js';
import { auditHeadHeader } from '../records/audit.js';
import type { RecordsStore } from '../records/database.js';
import { seriesCsvChunks } from '../stats/series-csv.js';
import { seriesQueryFromText } from '../stats/series-query.js';
import { querySeries } from '../stats/series.js';
import { reserveSeries } from '../stats/series-size.js';
import type { StatsStore } from '../stats/stats-store.js';
import { renderEvaluation, renderEvaluations, renderEvaluationSvg } from './evaluations.js';
import { renderExplorer, viewParams } from './explorer.js';
import { renderFigures } from './figures.js';
import { renderHome } from './home.js';
import { notFoundPage, renderProfile, renderSearch } from './places.js';
import { renderIndicator, renderNode, renderProgram } from './programs.js';
import { stylesheet, STYLESHEET_ROUTE } from './style.js';

export const localeOf = (c: Context): Locale =>
  (matchLocale(c.get('language') as string | undefined) ?? 'en') as Locale;

/** What a page handler gets: the stores, the reader's language and the URL. */
export interface PageContext {
  c: Context;
  store: RecordsStore;
  stats: StatsStore | undefined;
  locale: Locale;
  url: URL;
}

/** A page: its path (Hono syntax), the permission it needs, and its handler. */
export interface PageRoute {
  path: string;
  permission: Permission;
  handle(ctx: PageContext): Promise<Response>;
}

/** A rendered page with its status. */
const html = (ctx: PageContext, page: { status?: 200 | 400 | 404; body: string } | string) =>
  typeof page === 'string' ? ctx.c.html(page) : ctx.c.html(page.body, page.status ?? 200);

/** The largest series a CSV download holds: every municipality by month, nationally, fits. */
const CSV_MAX_POINTS = 1_000_000;

export const PAGES: readonly PageRoute[] = [
  {
    path: '/',
    permission: 'read',
    handle: async (ctx) => html(ctx, await renderHome(ctx.store, ctx.locale, ctx.stats, ctx.url)),
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
    handle: async (ctx) => html(ctx, await renderExplorer(ctx.stats, ctx.locale, ctx.url)),
  },
  {
    path: '/explore.csv',
    permission: 'read',
    async handle({ c, store, stats, locale, url }) {
      if (!stats) return c.text(`${translator(locale)('web.noStats')}\n`, 503);
      const input = seriesQueryFromText(viewParams(url), 'url');
      // A large download holds one of two slots from its query to its last byte (`series-size.ts`).
      const release = await reserveSeries(stats, input, CSV_MAX_POINTS);
      let chunks: Generator<string>;
      try {
        const result = await querySeries(stats, input);
        c.header('content-disposition', `attachment; filename="marco-${result.measure.id}.csv"`);
        // Every export names the audit log it came from (imports of statistics are audited too).
        c.header('Marco-Audit-Head', await auditHeadHeader(store.db));
        chunks = seriesCsvChunks(result);
      } catch (error) {
        release();
        throw error;
      }
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.next();
          if (next.done) {
            release();
            controller.close();
          } else controller.enqueue(encoder.encode(next.value));
        },
        cancel: () => release(),
      });
      return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8' });
    },
  },
  {
    path: '/places',
    permission: 'read',
    handle: async (ctx) => html(ctx, await renderSearch(ctx.stats, ctx.locale, ctx.url)),
  },
  {
    path: '/places/:code',
    permission: 'read',
    handle: async (ctx) =>
      html(ctx, await renderProfile(ctx.stats, ctx.locale, ctx.url, ctx.c.req.param('code')!)),
  },
  {
    path: '/figures',
    permission: 'read',
    handle: async (ctx) => html(ctx, await renderFigures(ctx.stats, ctx.locale, ctx.url)),
  },
  {
    path: '/evaluations',
    permission: 'read',
    handle: async (ctx) => html(ctx, await renderEvaluations(ctx.store, ctx.locale, ctx.url)),
  },
  {
    path: '/evaluations/:id',
    permission: 'read',
    handle: async (ctx) =>
      html(ctx, await renderEvaluation(ctx.store, ctx.locale, ctx.url, ctx.c.req.param('id')!)),
  },
  {
    path: '/evaluations/:id/event-study.svg',
    permission: 'read',
    async handle(ctx) {
      const svg = await renderEvaluationSvg(ctx.store, ctx.locale, ctx.c.req.param('id')!);
      if (!svg) return ctx.c.html(notFoundPage(ctx.locale, ctx.url).body, 404);
      return ctx.c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8' });
    },
  },
  {
    path: '/programs/:code',
    permission: 'read',
    handle: async (ctx) =>
      html(ctx, await renderProgram(ctx.store, ctx.stats, ctx.locale, ctx.url, ctx.c.req.param('code')!)),
  },
  {
    path: '/indicators/:code',
    permission: 'read',
    handle: async (ctx) =>
      html(ctx, await renderIndicator(ctx.store, ctx.stats, ctx.locale, ctx.url, ctx.c.req.param('code')!)),
  },
  {
    path: '/nodes/:ref',
    permission: 'read',
    handle: async (ctx) =>
      html(ctx, await renderNode(ctx.store, ctx.stats, ctx.locale, ctx.url, ctx.c.req.param('ref')!)),
  },
];

/**
 * Registers every page on `app`. Pages have no sign-in yet: readers are anonymous, see public records
 * only, and a page that needed more would be refused before its handler ran.
 */
export function registerPages(app: Hono, store: RecordsStore, stats: StatsStore | undefined): void {
  for (const page of PAGES)
    app.get(page.path, (c) => {
      authorize(null, page.permission);
      return page.handle({ c, store, stats, locale: localeOf(c), url: new URL(c.req.url) });
    });
}
