/**
 * `GET /timeline`, open to anyone: the statistics are public, and each incident on it is shown as its
 * classification allows the reader.
 * @module
 */
import type { PageRoute } from '../page-route.js';
import { renderTimeline } from './timeline-page.js';

export const TIMELINE_PAGES: readonly PageRoute[] = [
  {
    path: '/timeline',
    permission: 'read',
    async handle(ctx) {
      const { status, body } = await renderTimeline(ctx.store, ctx.stats, ctx.reader, ctx.reader.viewer);
      return ctx.c.html(body, status);
    },
  },
];
