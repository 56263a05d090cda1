/**
 * Official statistics: sources and vintages, series, anomalies, boundaries, claim checks and the
 * INEGI–SESNSP reconciliation. Anyone may read them.
 * @module
 */
import { z } from 'zod';
import { findAnomalies } from '../../stats/anomalies.js';
import { BoundaryRequest, queryBoundaries } from '../../stats/boundary-maps.js';
import { sourceCatalogue } from '../../stats/catalogue.js';
import { DEFAULT_TOLERANCE, checkClaims } from '../../stats/claims.js';
import { reconcile } from '../../stats/reconcile.js';
import { measureCatalogue } from '../../stats/discover/catalogue.js';
import { querySeries } from '../../stats/series.js';
import { boundedSeries } from '../../stats/series-size.js';
import { anomalyQueryFromText, seriesQueryFromText } from '../../stats/series-query.js';
import { AnomalyRequest, LangQuery, SeriesRequest } from '../api-schemas.js';
import { requireStats, route } from '../route.js';
import { seriesCsvResponse, seriesParquetResponse } from '../../web/downloads/series-download.js';
import * as R from '../responses/index.js';

const Year = z
  .string()
  .regex(/^\d{4}$/, { message: 'validation.schema.year' })
  .optional();

export const sources = route({
  method: 'get',
  path: '/sources',
  operationId: 'listSources',
  response: R.SourceList,
  usesStats: true,
  tag: 'statistics',
  permission: 'read',
  summary: 'Official-statistics sources, their licences and layouts, and the vintages imported',
  query: LangQuery,
  handle: ({ stats }) => sourceCatalogue(requireStats(stats)),
});

export const measures = route({
  method: 'get',
  path: '/measures',
  operationId: 'listMeasures',
  response: R.MeasureList,
  tag: 'statistics',
  permission: 'read',
  summary:
    'Every measure: names in English and Spanish, unit, definition, how it combines over time, its source precedence, what each source holds (level, granularity, first and last month), the levels it reaches, and its dimensions with their valid values',
  query: LangQuery,
  // Without a statistics store, the definitions alone.
  handle: ({ stats }) => measureCatalogue(stats),
});

export const reconciliation = route({
  method: 'get',
  path: '/reconciliation',
  operationId: 'getReconciliation',
  response: R.Reconciliation,
  usesStats: true,
  tag: 'statistics',
  permission: 'read',
  summary:
    'INEGI homicides against SESNSP victims of intentional homicide and femicide, by year, for Mexico and each state, with the gap',
  query: z.object({ from: Year, to: Year, lang: z.enum(['en', 'es']).optional() }).strict(),
  handle: ({ stats, query }) => reconcile(requireStats(stats), { from: query.from, to: query.to }),
});

export const claims = route({
  method: 'get',
  path: '/claims',
  operationId: 'checkClaims',
  response: R.ClaimChecks,
  usesStats: true,
  tag: 'statistics',
  permission: 'read',
  summary:
    'Figures cited in published analyses, each recomputed from the imported statistics where possible, with the verdict and the exact query',
  query: z
    .object({
      tolerance: z
        .string()
        .regex(/^0(\.\d{1,4})?$|^1$/, { message: 'validation.schema.shareBetween' })
        .optional(),
      lang: z.enum(['en', 'es']).optional(),
    })
    .strict(),
  async handle({ stats, query }) {
    const tolerance = query.tolerance === undefined ? DEFAULT_TOLERANCE : Number(query.tolerance);
    return { tolerance, checks: await checkClaims(requireStats(stats), tolerance) };
  },
});

export const series = route({
  method: 'get',
  path: '/series',
  operationId: 'getSeries',
  response: R.SeriesAnswer,
  usesStats: true,
  // A series larger than one answer holds (too_many_points).
  statuses: [422],
  tag: 'statistics',
  permission: 'read',
  summary:
    'A measure by place and period, with rates per N inhabitants, the population used, the method (published or summed) and the source vintages behind every number',
  query: SeriesRequest,
  csv: ({ c, store, stats, query, locale }, excel) =>
    seriesCsvResponse(c, {
      store,
      stats: requireStats(stats),
      input: seriesQueryFromText(query, 'url'),
      locale,
      excel,
    }),
  parquet: ({ c, store, stats, query, locale }) =>
    seriesParquetResponse(c, {
      store,
      stats: requireStats(stats),
      input: seriesQueryFromText(query, 'url'),
      locale,
    }),
  handle: ({ stats: open, query }) => {
    const stats = requireStats(open);
    const input = seriesQueryFromText(query, 'url');
    // At most API_MAX_POINTS in one JSON answer; large ones wait their turn (`series-size.ts`).
    return boundedSeries(stats, input, API_MAX_POINTS, () => querySeries(stats, input));
  },
});

/** The largest series one JSON answer holds; /explore.csv allows more. */
export const API_MAX_POINTS = 250_000;

export const anomalies = route({
  method: 'get',
  path: '/anomalies',
  operationId: 'listAnomalies',
  response: R.AnomalyAnswer,
  usesStats: true,
  tag: 'statistics',
  permission: 'read',
  summary:
    'Months of a monthly series far from the median of the months before them (robust z-score with a trailing median and MAD), strongest first',
  query: AnomalyRequest,
  handle: ({ stats, query }) => findAnomalies(requireStats(stats), anomalyQueryFromText(query, 'url')),
});

export const boundaries = route({
  method: 'get',
  path: '/boundaries',
  operationId: 'getBoundaries',
  geojson: true,
  response: R.Boundaries,
  usesStats: true,
  // No boundaries imported yet.
  statuses: [404],
  tag: 'statistics',
  permission: 'read',
  summary:
    'Simplified boundaries of every state (of MX or US) or every municipality (of one state), as TopoJSON or GeoJSON, ids = place codes',
  query: BoundaryRequest,
  handle: ({ stats, query, format }) =>
    queryBoundaries(requireStats(stats), {
      level: query.level,
      ...(query.within ? { within: query.within } : {}),
      // Accept: application/geo+json asks for GeoJSON as `format=geojson` does.
      ...(format === 'geojson'
        ? { format: 'geojson' as const }
        : query.format
          ? { format: query.format }
          : {}),
    }),
});
