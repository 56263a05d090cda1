/**
 * The OpenAPI 3.1 document of the API, generated from the route table and the same zod schemas that
 * validate requests and describe answers, so the document cannot drift from the server. Schemas named
 * with `.meta({ id })` (and the parts of recursive ones) become `components/schemas`, referenced from
 * every operation that uses them.
 * @module
 */
import { z } from 'zod';
import { needsOfficial } from '../access/permissions.js';
import { Code } from '../domain/common-schema.js';
import { ErrorBody } from './api-schemas.js';
import { isPaged, queryOf } from './pagination.js';
import type { AnyRoute } from './route.js';
import { API_ROUTES } from './routes/index.js';

type Json = Record<string, unknown>;

/** What each error status means, as the document describes it. */
const ERRORS: Record<number, string> = {
  400: 'The request is not valid: a parameter, the query or the body (its issues say where)',
  401: 'No valid credentials: a missing, unknown, expired or revoked token',
  403: 'Signed in, but without the right to do this',
  404: 'No such record (or none the caller may see)',
  409: 'A conflict with the record as it stands: a stale version, a duplicate or a locked period',
  410: 'It existed but is gone: a job output that expired and was removed',
  500: 'The server could not answer as it should (a job output whose checksum no longer holds is never served)',
  413: 'The body is larger than the server accepts',
  415: 'The body is not of a media type this operation takes',
  406: 'Accept allows none of the forms this operation answers in (JSON, and CSV or GeoJSON where listed)',
  412: 'If-Match names a version the record is no longer at: nothing was written',
  422: 'The body is well formed but breaks a rule of the records',
  429: 'Too many requests from this address; Retry-After says when to try again',
  503: 'The statistics store is not open on this server',
};

/**
 * Converts a zod schema to JSON Schema and moves its definitions into `components`, so that every `$ref`
 * resolves against the OpenAPI document: a named schema under its id, a recursive one's parts under
 * `owner` and a number.
 */
function converter(components: Record<string, unknown>) {
  return (s: z.ZodType, owner: string, io: 'input' | 'output' = 'input'): Json => {
    const json = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
    const defs = (json.$defs ?? {}) as Record<string, unknown>;
    delete json.$defs;
    delete json.$schema;
    const rename = (id: string) => (id.startsWith('__schema') ? `${owner}Part${id.slice(8)}` : id);
    const rewrite = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(rewrite);
      if (v === null || typeof v !== 'object') return v;
      const out: Json = {};
      for (const [k, x] of Object.entries(v as Json))
        out[k] =
          k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/')
            ? `#/components/schemas/${rename(x.slice(8))}`
            : rewrite(x);
      return out;
    };
    for (const [id, def] of Object.entries(defs)) {
      const name = rename(id);
      const value = rewrite(def);
      const known = components[name];
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(value))
        throw new Error(`two different schemas are named ${name} in the OpenAPI document`);
      components[name] = value;
    }
    return rewrite(json) as Json;
  };
}

/** A CSV answer: the long layout of `docs/downloads.md`, with a header line. */
const CSV_CONTENT = {
  schema: {
    type: 'string',
    description: 'CSV (RFC 4180) with a header line; docs/downloads.md gives the columns',
  },
};

/** A Parquet answer: the same long layout, typed, zstd-compressed. */
const PARQUET_CONTENT = {
  schema: {
    type: 'string',
    format: 'binary',
    description: 'Apache Parquet; docs/downloads.md gives the columns',
  },
};

/** An XML answer, streamed: the IATI activities. */
const XML_CONTENT = {
  schema: { type: 'string', description: 'XML; the IATI 2.03 activity standard (docs/funding.md)' },
};

/** How a suffixed operation is named. */
const SUFFIX_NAMES = {
  csv: { id: 'Csv', name: 'CSV' },
  parquet: { id: 'Parquet', name: 'Parquet' },
  xml: { id: 'Xml', name: 'XML' },
} as const;

/** What each tag of operations covers. */
const TAGS: Record<string, string> = {
  statistics:
    'Official statistics: sources and vintages, measures, series, anomalies, boundaries, claim checks, the reconciliation and imports',
  evaluation: 'Dated interventions and impact evaluations run on the statistics',
  frameworks: 'Results frameworks, their nodes, the crosswalk between them and binational benchmarks',
  programs: 'Programs and their GAO monitoring practices',
  indicators: 'Indicator reference sheets (PIRS) and their targets',
  results: 'Results (actuals), their evidence, approvals and locked periods',
  scorecards: 'Traffic-light scorecards by program and framework node',
  iati: 'The IATI 2.03 activity export of the public programs, their funding and results',
  funding:
    'Funding lines from request to disbursement by account, stage, program and framework node, with their review, and the accounts',
  networks:
    'Criminal-group networks: counts by state for everyone, group-level detail as the network’s classification allows',
  incidents:
    'Bilateral incidents (violence, captures, extraditions, diplomatic events, policy changes) with their sources, as their classification allows',
  workspace: 'The whole workspace document, exported or loaded at once',
  audit: 'The signed head of the audit log’s hash chain',
  tokens: 'API tokens, managed by admins',
  organisations: 'Implementing and funding organisations',
  users: 'User accounts, managed by admins',
  notifications: 'An official’s notices',
  reports: 'Reports made in the background from live data, in English or Spanish, as HTML or PDF',
  jobs: 'Background jobs (reports, evaluations): their progress, cancel, retry and output',
};

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The statuses an operation can answer besides its success. */
export function errorStatuses(route: AnyRoute): number[] {
  const writes = route.method !== 'get';
  const statuses = [400, 401, 429];
  if (needsOfficial(route.permission)) statuses.push(403);
  if (/\{\w+\}/.test(route.path) || route.path === '/targets' || route.path === '/nodes') statuses.push(404);
  if (writes) statuses.push(409);
  if (route.body || route.upload) statuses.push(413, 415);
  if (writes) statuses.push(422);
  if (route.method === 'get') statuses.push(406);
  if (route.conditional) statuses.push(412);
  if (route.usesStats) statuses.push(503);
  return [...new Set([...statuses, ...(route.statuses ?? [])])].sort((a, b) => a - b);
}

/** The OpenAPI 3.1 document, generated from the route table and the same zod schemas. */
export function openApiDocument(routes: readonly AnyRoute[] = API_ROUTES): Json {
  const components: Record<string, unknown> = {};
  const schema = converter(components);
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const owner = capitalised(route.operationId);
    const parameters: Json[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1]!,
      in: 'path',
      required: true,
      schema: schema((route.params as Record<string, z.ZodType> | undefined)?.[m[1]!] ?? Code, owner),
    }));
    const query = queryOf(route);
    if (query) {
      const json = schema(query, owner) as { properties?: Json; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {}))
        parameters.push({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s });
    }
    if (!parameters.some((p) => p.name === 'lang'))
      parameters.push({
        name: 'lang',
        in: 'query',
        required: false,
        description: 'the language of messages: en or es',
        schema: { type: 'string', enum: ['en', 'es'] },
      });
    if (route.method === 'get')
      parameters.push({
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: 'the ETag of an answer you hold: 304 while it is current',
        schema: { type: 'string' },
      });
    if (route.conditional)
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'the ETag of the record you read ("v3"): the write happens only while it is current',
        schema: { type: 'string', pattern: '^("v[1-9][0-9]*"|\\*)$' },
      });
    const ok = route.creates ? 201 : route.accepts ? 202 : 200;
    const headers: Json = {};
    if (route.method === 'get' || route.versionOf)
      headers.ETag = {
        description: route.versionOf
          ? 'the record’s version, a strong tag ("v3") for If-Match and If-None-Match'
          : 'a weak tag of the answer, for If-None-Match',
        schema: { type: 'string' },
      };
    if (route.creates && route.location)
      headers.Location = { description: 'where the created record is read', schema: { type: 'string' } };
    if (route.accepts)
      headers.Location = {
        description: 'where the job is followed: /api/v1/jobs/{id}',
        schema: { type: 'string' },
      };
    if (isPaged(route)) {
      headers['X-Total-Count'] = {
        description: 'how many items the whole list holds',
        schema: { type: 'string' },
      };
      headers.Link = {
        description: 'the next page, as <…?cursor=…>; rel="next", when there is one',
        schema: { type: 'string' },
      };
    }
    for (const [name, description] of Object.entries(route.responseHeaders ?? {}))
      headers[name] = { description, schema: { type: 'string' } };
    const responses: Json = {
      [ok]: {
        description: route.creates ? 'Created' : route.accepts ? 'Accepted: the job is queued' : 'OK',
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        content: route.download
          ? Object.fromEntries(
              route.download.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
            )
          : {
              'application/json': { schema: schema(route.response, owner, 'output') },
              ...(route.geojson
                ? {
                    'application/geo+json': {
                      schema: { type: 'object', description: 'a GeoJSON FeatureCollection (RFC 7946)' },
                    },
                  }
                : {}),
              ...(route.csv ? { 'text/csv': CSV_CONTENT } : {}),
              ...(route.parquet ? { 'application/vnd.apache.parquet': PARQUET_CONTENT } : {}),
              ...(route.xml ? { 'application/xml': XML_CONTENT } : {}),
            },
      },
    };
    if (route.method === 'get')
      responses[304] = {
        description: 'Not Modified: the tag sent in If-None-Match is current',
        headers: { ETag: { description: 'the current tag', schema: { type: 'string' } } },
      };
    for (const status of errorStatuses(route))
      responses[status] = {
        description: ERRORS[status],
        ...(status === 401
          ? { headers: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } } }
          : status === 429
            ? { headers: { 'Retry-After': { description: 'seconds', schema: { type: 'string' } } } }
            : {}),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    const body = route.body ? schema(route.body, `${owner}Body`) : undefined;
    paths[`/api/v1${route.path}`] ??= {};
    paths[`/api/v1${route.path}`]![route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters,
      // Reads are open to anyone (a token shows more); everything else needs one.
      security: needsOfficial(route.permission) ? [{ bearer: [] }] : [{}, { bearer: [] }],
      ...(route.upload
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                (route.uploadTypes ?? ['application/octet-stream']).map((type) => [
                  type,
                  { schema: { type: 'string', format: 'binary' } },
                ]),
              ),
            },
          }
        : {}),
      ...(body
        ? {
            requestBody: { required: !route.optionalBody, content: { 'application/json': { schema: body } } },
          }
        : {}),
      responses,
    };
    for (const [suffix, type, content] of [
      ['csv', 'text/csv', CSV_CONTENT],
      ['parquet', 'application/vnd.apache.parquet', PARQUET_CONTENT],
      ['xml', 'application/xml', XML_CONTENT],
    ] as const) {
      if (!route[suffix]) continue;
      // The same operation at the path with the suffix: that form whatever Accept says.
      const suffixed: Json = {
        ...responses,
        200: { ...(responses[200] as Json), content: { [type]: content } },
      };
      delete suffixed[406];
      paths[`/api/v1${route.path}.${suffix}`] = {
        get: {
          operationId: `${route.operationId}${SUFFIX_NAMES[suffix].id}`,
          summary: `${route.summary} (as ${SUFFIX_NAMES[suffix].name})`,
          tags: [route.tag],
          parameters,
          security: needsOfficial(route.permission) ? [{ bearer: [] }] : [{}, { bearer: [] }],
          responses: suffixed,
        },
      };
    }
  }
  components.Problem = schema(ErrorBody, 'Problem', 'output');
  const tags = [...new Set(routes.map((r) => r.tag))].map((name) => ({
    name,
    description: TAGS[name] ?? name,
  }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Marco API',
      version: '1',
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'Results frameworks, indicator reference sheets, targets, results, monitoring practices and scorecards for U.S.–Mexico security cooperation. Errors are RFC 9457 problems (application/problem+json): type, title, status, detail and instance, with Marco’s code and, for a refused input, its issues; a 401 carries WWW-Authenticate: Bearer, and a method a path does not answer is a 405 with Allow.',
    },
    servers: [{ url: '/' }],
    tags,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from `marco token create`' },
      },
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
