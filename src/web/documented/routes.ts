/**
 * The documented series' topic pages: `GET /documented/{topic}` (firearms, extraditions,
 * national-guard), open to anyone like the figures page; an unknown topic is a 404 page.
 * @module
 */
import type { PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { isTopic, renderTopic } from './topic-pages.js';

export const DOCUMENTED_PAGES: readonly PageRoute[] = [
  {
    path: '/documented/:topic',
    permission: 'read',
    handle: async (ctx) => {
      const topic = ctx.c.req.param('topic') ?? '';
      if (!isTopic(topic)) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      return ctx.c.html(await renderTopic(ctx.stats, ctx.reader, topic));
    },
  },
];
