/**
 * The network pages' routes: `GET /networks` and `GET /networks/groups/{node}`. Both are `read`; the
 * network's classification, as the deployment sets it, decides what of them a reader sees: the group
 * page sends an anonymous reader it keeps out to sign in, and answers 403 in the reader's language to
 * an official it keeps out.
 * @module
 */
import { canSeeNetwork, DEFAULT_NETWORK_ACCESS } from '../../networks/network-view.js';
import type { PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { renderGroup, renderNetworks } from './network-pages.js';

export const NETWORK_PAGES: readonly PageRoute[] = [
  {
    path: '/networks',
    permission: 'read',
    handle: async (ctx) =>
      ctx.c.html(await renderNetworks(ctx.stats, ctx.reader, ctx.networks ?? DEFAULT_NETWORK_ACCESS)),
  },
  {
    path: '/networks/groups/:node{[\\w.-]{1,64}}',
    permission: 'read',
    handle: async (ctx) => {
      if (!ctx.stats) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      const access = ctx.networks ?? DEFAULT_NETWORK_ACCESS;
      // Kept out by the classification: sent to sign in and brought back, as on officials' pages.
      if (ctx.reader.viewer === null && !canSeeNetwork(null, access))
        return ctx.c.redirect(
          `/login?next=${encodeURIComponent(`${ctx.reader.url.pathname}${ctx.reader.url.search}`)}`,
          303,
        );
      return ctx.c.html(
        await renderGroup(
          ctx.stats,
          ctx.reader,
          ctx.networks ?? DEFAULT_NETWORK_ACCESS,
          ctx.c.req.param('node') ?? '',
        ),
      );
    },
  },
];
