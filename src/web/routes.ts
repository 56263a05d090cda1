/**
 * The web pages' routes: home, explorer (with its CSV download), places and profiles, documented
 * figures. Every page answers in the reader's language (`?lang=`, then the remembered cookie, then the
 * browser's), and an unknown page is a 404 page in that language.
 * @module
 */
import type { Context, Hono } from 'hono';
import { matchLocale, translator, type Locale } from '../i18n/index.js';
import type { RecordsStore } from '../records/database.js';
import { renderHome } from './home.js';
import { seriesCsv } from '../stats/series-csv.js';
import { seriesQueryFromText } from '../stats/series-query.js';
import { querySeries } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';
import { renderExplorer, viewParams } from './explorer.js';
import { renderFigures } from './figures.js';
import { renderEvaluation, renderEvaluations, renderEvaluationSvg } from './evaluations.js';
import { notFoundPage, renderProfile, renderSearch } from './places.js';
import { renderIndicator, renderNode, renderProgram } from './programs.js';

export const localeOf = (c: Context): Locale =>
  (matchLocale(c.get('language') as string | undefined) ?? 'en') as Locale;

export function registerPages(app: Hono, store: RecordsStore, stats: StatsStore | undefined): void {
  const url = (c: Context) => new URL(c.req.url);
  app.get('/', async (c) => c.html(await renderHome(store, localeOf(c), stats, url(c))));
  app.get('/explore', async (c) => {
    const { status, body } = await renderExplorer(stats, localeOf(c), url(c));
    return c.html(body, status);
  });
  app.get('/explore.csv', async (c) => {
    if (!stats) return c.text(`${translator(localeOf(c))('web.noStats')}\n`, 503);
    const result = await querySeries(stats, seriesQueryFromText(viewParams(url(c)), 'url'));
    c.header('content-disposition', `attachment; filename="marco-${result.measure.id}.csv"`);
    return c.body(seriesCsv(result), 200, { 'content-type': 'text/csv; charset=utf-8' });
  });
  app.get('/places', async (c) => c.html(await renderSearch(stats, localeOf(c), url(c))));
  app.get('/places/:code', async (c) => {
    const { status, body } = await renderProfile(stats, localeOf(c), url(c), c.req.param('code'));
    return c.html(body, status);
  });
  app.get('/figures', async (c) => c.html(await renderFigures(stats, localeOf(c), url(c))));
  app.get('/evaluations', async (c) => c.html(await renderEvaluations(store, localeOf(c), url(c))));
  app.get('/evaluations/:id', async (c) => {
    const { status, body } = await renderEvaluation(store, localeOf(c), url(c), c.req.param('id'));
    return c.html(body, status);
  });
  app.get('/evaluations/:id/event-study.svg', async (c) => {
    const svg = await renderEvaluationSvg(store, localeOf(c), c.req.param('id'));
    if (!svg) return c.html(notFoundPage(localeOf(c), url(c)).body, 404);
    return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8' });
  });
  app.get('/programs/:code', async (c) => {
    const { status, body } = await renderProgram(store, stats, localeOf(c), url(c), c.req.param('code'));
    return c.html(body, status);
  });
  app.get('/indicators/:code', async (c) => {
    const { status, body } = await renderIndicator(store, stats, localeOf(c), url(c), c.req.param('code'));
    return c.html(body, status);
  });
  app.get('/nodes/:ref', async (c) => {
    const { status, body } = await renderNode(store, stats, localeOf(c), url(c), c.req.param('ref'));
    return c.html(body, status);
  });
}
