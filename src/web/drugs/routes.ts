/**
 * `GET /drug-supply`, open to anyone: national seizures and deaths are public statistics.
 * @module
 */
import type { PageRoute } from '../page-route.js';
import { renderDrugSupply } from './drug-page.js';

export const DRUG_PAGES: readonly PageRoute[] = [
  {
    path: '/drug-supply',
    permission: 'read',
    handle: async (ctx) => ctx.c.html(await renderDrugSupply(ctx.stats, ctx.reader)),
  },
];
