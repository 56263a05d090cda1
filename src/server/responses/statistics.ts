/**
 * Response schemas of the statistics routes: sources and vintages, measures, series, anomalies,
 * boundaries, claim checks, the reconciliation, imports and rollbacks.
 * @module
 */
import { z } from 'zod';
import { Bilingual, Count, Vintage, VintageRef } from './common.js';

export const SourceList = z.array(
  z
    .object({
      id: z.string(),
      title: Bilingual,
      publisher: z.string(),
      licence: z.string(),
      attribution: z.string(),
      landing: z.string(),
      measures: z.array(z.string()),
      kind: z.string(),
      layouts: z.array(
        z.looseObject({ name: z.string(), delimiter: z.string(), header: z.array(z.string()) }),
      ),
      params: z.array(z.object({ name: z.string(), description: Bilingual, default: z.string() })),
      vintages: z.array(Vintage),
    })
    .meta({ id: 'Source' }),
);

export const MeasureList = z.array(
  z
    .object({
      id: z.string(),
      title: Bilingual,
      unit: Bilingual,
      definition: Bilingual,
      overTime: z.string(),
      additive: z.boolean(),
      requiresFilter: z.string().nullable(),
      precedence: z.array(z.string()),
      sources: z.array(
        z.object({
          source: z.string(),
          level: z.string(),
          granularity: z.string(),
          from: z.string(),
          to: z.string(),
        }),
      ),
      levels: z.array(z.string()),
      dimensions: z.record(z.string(), z.array(z.string())),
    })
    .meta({ id: 'Measure' }),
);

export const Reconciliation = z.array(
  z
    .object({
      geo: z.string(),
      name: z.string().nullable(),
      year: z.string(),
      inegiHomicides: z.number().nullable(),
      sesnspHomicideVictims: z.number().nullable(),
      sesnspFemicideVictims: z.number().nullable(),
      sesnspTotal: z.number().nullable(),
      gap: z.number().nullable(),
    })
    .meta({ id: 'ReconciliationRow' }),
);

/** The query an answer was computed from, as Marco understood it. */
const AnsweredQuery = z
  .looseObject({ measure: z.string() })
  .meta({ description: 'the query as Marco read it, with its defaults filled in' });

export const ClaimChecks = z.object({
  tolerance: z.number(),
  checks: z.array(
    z
      .object({
        figure: z.string(),
        measure: z.string(),
        geo: z.string(),
        period: z.string(),
        statement: z.string().nullable(),
        citation: z.string(),
        documented: z.string(),
        computed: z.number().nullable(),
        difference: z.number().nullable(),
        verdict: z.enum(['consistent', 'discrepant', 'not_checkable']),
        reason: z.string().nullable(),
        query: AnsweredQuery.nullable(),
      })
      .meta({ id: 'ClaimCheck' }),
  ),
});

const Span = z.object({ from: z.string(), to: z.string() });
const SourceMethod = z.object({ source: z.string(), method: z.string() });

const SeriesPoint = z
  .object({
    geo: z.string(),
    name: z.string().nullable(),
    period: z.string().meta({ description: '2019, 2019-Q1, 2019-03 or FY2019' }),
    start: z.string().meta({ description: 'the period’s first day' }),
    value: z.number(),
    population: z.number().nullable(),
    populationSource: z.string().nullable(),
    populationMethod: z.literal('interpolated').optional(),
    rate: z.number().nullable(),
    rateGap: z.enum(['no_population_source', 'no_population', 'zero_population']).optional(),
    source: z.string(),
    method: z.string(),
    vintage: z.number().int().nullable(),
    partial: z.boolean(),
    covers: Span.optional(),
    partialReason: z.string().optional(),
  })
  .meta({ id: 'SeriesPoint' });

export const SeriesAnswer = z
  .object({
    query: AnsweredQuery,
    gaps: z.array(
      z.object({
        geo: z.string(),
        reason: z.enum(['no_source', 'outside_coverage', 'no_values']),
        covered: Span.optional(),
      }),
    ),
    measure: z.object({ id: z.string(), unit: Bilingual }),
    populationSource: z.string().nullable(),
    series: z.array(
      z.object({
        geo: z.string(),
        name: z.string().nullable(),
        method: z.string(),
        source: z.string(),
        breaks: z.array(
          z.object({ period: z.string(), start: z.string(), from: SourceMethod, to: SourceMethod }),
        ),
        points: z.array(SeriesPoint),
        missing: z
          .array(
            z.object({
              period: z.string(),
              start: z.string(),
              reason: z.enum(['no_rows', 'not_listed']),
              source: z.string(),
            }),
          )
          .optional(),
      }),
    ),
    vintages: z.array(VintageRef),
  })
  .meta({ id: 'SeriesAnswer' });

export const AnomalyAnswer = z.object({
  query: AnsweredQuery,
  examined: z.object({ places: Count, months: Count }),
  anomalies: z.array(
    z
      .object({
        geo: z.string(),
        name: z.string().nullable(),
        period: z.string(),
        value: z.number(),
        expected: z.number(),
        scale: z.number(),
        z: z.number(),
        quietBaseline: z.boolean(),
        direction: z.enum(['spike', 'drop']),
        lower: z.number(),
        upper: z.number(),
      })
      .meta({ id: 'Anomaly' }),
  ),
  vintages: z.array(VintageRef),
});

export const Boundaries = z.looseObject({ type: z.enum(['Topology', 'FeatureCollection']) }).meta({
  description: 'a TopoJSON Topology (the default) or a GeoJSON FeatureCollection; ids are place codes',
});

const RejectedRow = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.string(),
  value: z.string().nullable(),
  reason: z.string(),
});

export const ImportAnswer = z.object({
  source: z.string(),
  file: z.string(),
  status: z.enum(['imported', 'unchanged']),
  vintage: z.number().int(),
  layout: z.string(),
  sha256: z.string(),
  bytes: Count,
  rowsRead: Count,
  rowsLoaded: Count,
  rowsRejected: Count,
  rowsSkipped: Count,
  rejects: z.array(RejectedRow),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  replaced: z.array(z.number().int()),
  unknownPlaces: z.object({ count: Count, examples: z.array(z.string()) }),
  decompressSeconds: z.number(),
  decompressPeakMb: z.number().nullable(),
  seconds: z.number(),
});

export const RollbackAnswer = z.object({
  vintage: z.number().int(),
  source: z.string(),
  file: z.string(),
  sha256: z.string(),
  rowsWithdrawn: Count,
  reinstated: z.array(z.object({ vintage: z.number().int().nullable(), table: z.string(), rows: Count })),
});

export const DataPackage = z
  .looseObject({
    profile: z.literal('tabular-data-package'),
    name: z.string(),
    title: z.string(),
    created: z.string(),
    licenses: z.array(z.object({ name: z.string(), title: z.string() })),
    resources: z.array(
      z.looseObject({
        name: z.string(),
        path: z.string(),
        profile: z.literal('tabular-data-resource'),
        schema: z.looseObject({
          fields: z.array(z.looseObject({ name: z.string(), type: z.string(), description: z.string() })),
        }),
      }),
    ),
  })
  .meta({ id: 'DataPackage', description: 'a Frictionless Tabular Data Package descriptor (v1)' });

export const DcatCatalog = z
  .looseObject({
    '@context': z.record(z.string(), z.string()),
    '@type': z.literal('dcat:Catalog'),
    'dcat:dataset': z.array(
      z.looseObject({ '@type': z.literal('dcat:Dataset'), 'dct:identifier': z.string() }),
    ),
  })
  .meta({ id: 'DcatCatalog', description: 'a DCAT 3 catalogue in JSON-LD, its context inline' });
