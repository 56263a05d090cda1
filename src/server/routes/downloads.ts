/**
 * Metadata of the downloads: a Frictionless data package for a series download or for the whole
 * statistics store, and the DCAT catalogue of the store. Anyone may read them.
 * @module
 */
import { z } from 'zod';
import { dcatCatalogue } from '../../stats/downloads/dcat.js';
import { seriesDataPackage, storeDataPackage } from '../../stats/downloads/datapackage.js';
import { seriesQueryFromText } from '../../stats/series-query.js';
import { LangQuery, SeriesRequest } from '../api-schemas.js';
import { requireStats, route } from '../route.js';
import * as R from '../responses/index.js';

/** The server's origin as the client reached it: data packages name their files by full URL. */
const origin = (url: string) => new URL(url).origin;

export const seriesPackage = route({
  method: 'get',
  path: '/series/datapackage.json',
  operationId: 'getSeriesDataPackage',
  response: R.DataPackage,
  usesStats: true,
  tag: 'statistics',
  permission: 'read',
  summary:
    'The Frictionless data package of a series download (the same query as GET /series): its CSV’s Table Schema (names, types and meanings of the columns, geo as text), the CSV dialect, and the licence, landing page and file checksums of each source behind it',
  query: SeriesRequest,
  async handle({ c, stats, query, locale, options }) {
    // The query is checked as the download would check it.
    seriesQueryFromText(query, 'url');
    const { lang: _lang, ...rest } = query as Record<string, string | undefined>;
    const clean = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    const url = `${origin(c.req.url)}/api/v1/series.csv?${new URLSearchParams(clean)}`;
    return seriesDataPackage(requireStats(stats), clean, url, { locale, created: now(options) });
  },
});

export const storePackage = route({
  method: 'get',
  path: '/datapackage.json',
  operationId: 'getDataPackage',
  response: R.DataPackage,
  usesStats: true,
  tag: 'statistics',
  permission: 'read',
  summary:
    'The Frictionless data package of the whole statistics store: for each measure and place level held, its CSV download at the finest period published, with the Table Schema, licences and sources',
  query: LangQuery,
  handle: ({ c, stats, locale, options }) =>
    storeDataPackage(requireStats(stats), origin(c.req.url), { locale, created: now(options) }),
});

export const catalog = route({
  method: 'get',
  path: '/catalog',
  operationId: 'getCatalog',
  response: R.DcatCatalog,
  usesStats: true,
  tag: 'statistics',
  permission: 'read',
  summary:
    'The statistics store as a DCAT 3 catalogue in JSON-LD: a dataset per source with its publisher, licence, landing page and period covered, and as distributions the files in force (SHA-256) and Marco’s CSV downloads',
  query: z.object({ lang: z.enum(['en', 'es']).optional() }).strict(),
  handle: ({ c, stats, options }) => dcatCatalogue(requireStats(stats), origin(c.req.url), now(options)),
});

const now = (options: { now?: () => Date }) => (options.now ?? (() => new Date()))().toISOString();
