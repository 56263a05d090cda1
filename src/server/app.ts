/**
 * The HTTP JSON API under `/api/v1`, its OpenAPI document, and the bilingual home page. Every route is
 * declared once in {@link ROUTES}: the same declaration registers the handler and documents it.
 * @module
 */
import { exportWorkspace } from '../records/workspace-export.js';
import { lockPeriodIn } from '../records/period-locks.js';
import { loadWorkspace } from '../records/workspace-load.js';
import { writeTransaction } from '../records/transaction.js';
import { Hono, type Context } from 'hono';
import { languageDetector } from 'hono/language';
import { z } from 'zod';
import { DEFAULT_THRESHOLDS } from '../domain/scorecard.js';
import type { Viewer } from '../domain/visibility.js';
import { CrosswalkFile, FrameworkFile } from '../domain/framework-schema.js';
import { Code, PeriodCode, safeParseInput, zodIssues } from '../domain/common-schema.js';
import { Workspace } from '../domain/workspace-schema.js';
import { readInputDocument } from '../domain/input-document.js';
import { MarcoError, NotFoundError, ValidationError } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { listCrosswalk, listFrameworks, listNodes } from '../records/framework-repository.js';
import {
  getIndicator,
  getProgram,
  listIndicators,
  listPrograms,
  listResults,
  updateProgram,
  updateResult,
} from '../records/program-repository.js';
import { buildScorecard } from '../records/scorecard-repository.js';
import { identifyToken } from '../records/token-repository.js';
import {
  ErrorBody,
  IndicatorsQuery,
  LangQuery,
  NodesQuery,
  ProgramPatch,
  ResultPatch,
  ResultsQuery,
  ScorecardQuery,
  SeriesRequest,
  AnomalyRequest,
  ImportRequest,
  WorkspaceLoadQuery,
  InterventionsBody,
  EvaluationId,
} from './api-schemas.js';
import type { StatsStore } from '../stats/stats-store.js';
import { querySeries } from '../stats/series.js';
import { anomalyQueryFromText, seriesQueryFromText } from '../stats/series-query.js';
import { BoundaryRequest, queryBoundaries } from '../stats/boundaries.js';
import { findAnomalies } from '../stats/anomalies.js';
import { importUpload } from './imports.js';
import { sourceCatalogue } from '../stats/catalogue.js';
import { DEFAULT_TOLERANCE, checkClaims } from '../stats/claims.js';
import { reconcile } from '../stats/reconcile.js';
import { localeOf, registerPages } from '../web/routes.js';
import { notFoundPage } from '../web/places.js';
import { officialGuard } from './rights.js';
import {
  addInterventions,
  evaluationInterventions,
  getEvaluation,
  listEvaluations,
  listInterventions,
  saveEvaluation,
} from '../records/evaluation-repository.js';
import { evaluate, EvaluationSpec } from '../eval/evaluate.js';
import type { Intervention } from '../eval/panel.js';

export interface AppOptions {
  store: RecordsStore;
  /** The statistics store; without it the statistics routes answer 503. */
  stats?: StatsStore;
  /** The clock for writes; injected in tests. */
  now?: () => Date;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
  /** Largest statistics file accepted by `POST /api/v1/imports`, in bytes (default 2 GiB). */
  maxImportBytes?: number;
  /** Marco's version, recorded in the vintages of imports through the API. */
  version?: string;
}

/** An HTTP error with Marco's `{error: {code, message, details}}` body. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface RouteContext {
  c: Context;
  store: RecordsStore;
  stats: StatsStore | undefined;
  viewer: Viewer;
  query: Record<string, unknown>;
  params: Record<string, string>;
  /** The validated body (write routes). */
  body: unknown;
  options: AppOptions;
  write: { actor: string; now?: () => Date };
}

interface Route {
  method: 'get' | 'post' | 'patch';
  path: string;
  /** Path parameters; each defaults to a code. */
  params?: Record<string, z.ZodType>;
  summary: string;
  tag: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Writes need a bearer token (`marco token create`). */
  auth?: boolean;
  /** The body is a file, streamed by the handler itself (`application/octet-stream`). */
  upload?: boolean;
  handle(ctx: RouteContext): Promise<unknown>;
}

function requireStats(stats: StatsStore | undefined): StatsStore {
  if (!stats) throw new HttpError(503, 'unavailable', 'this server has no statistics store open');
  return stats;
}

const ROUTES: Route[] = [
  {
    method: 'get',
    path: '/sources',
    tag: 'statistics',
    summary: 'Official-statistics sources, their licences and layouts, and the vintages imported',
    query: LangQuery,
    handle: ({ stats }) => sourceCatalogue(requireStats(stats)),
  },
  {
    method: 'get',
    path: '/reconciliation',
    tag: 'statistics',
    summary:
      'INEGI homicides against SESNSP victims of intentional homicide and femicide, by year, for Mexico and each state, with the gap',
    query: z
      .object({
        from: z
          .string()
          .regex(/^\d{4}$/, { message: 'expected a year' })
          .optional(),
        to: z
          .string()
          .regex(/^\d{4}$/, { message: 'expected a year' })
          .optional(),
        lang: z.enum(['en', 'es']).optional(),
      })
      .strict(),
    handle: ({ stats, query }) =>
      reconcile(requireStats(stats), {
        from: query.from as string | undefined,
        to: query.to as string | undefined,
      }),
  },
  {
    method: 'get',
    path: '/claims',
    tag: 'statistics',
    summary:
      'Figures cited in published analyses, each recomputed from the imported statistics where possible, with the verdict and the exact query',
    query: z
      .object({
        tolerance: z
          .string()
          .regex(/^0(\.\d{1,4})?$|^1$/, { message: 'expected a share between 0 and 1' })
          .optional(),
        lang: z.enum(['en', 'es']).optional(),
      })
      .strict(),
    async handle({ stats, query }) {
      const tolerance = query.tolerance === undefined ? DEFAULT_TOLERANCE : Number(query.tolerance);
      return { tolerance, checks: await checkClaims(requireStats(stats), tolerance) };
    },
  },
  {
    method: 'get',
    path: '/series',
    tag: 'statistics',
    summary:
      'A measure by place and period, with rates per N inhabitants, the population used, the method (published or summed) and the source vintages behind every number',
    query: SeriesRequest,
    handle: ({ stats, query }) =>
      querySeries(requireStats(stats), seriesQueryFromText(query as Record<string, string>, 'url')),
  },
  {
    method: 'post',
    path: '/imports',
    tag: 'statistics',
    summary:
      'Import an official-statistics file into the running server’s store (the CLI’s `marco import --server`): the body is the file, as application/octet-stream',
    query: ImportRequest,
    auth: true,
    upload: true,
    handle: ({ c, stats, query, viewer, options }) => {
      if (!viewer) throw new HttpError(401, 'unauthorized', 'imports need a bearer token');
      return importUpload(c, requireStats(stats), query, options);
    },
  },
  {
    method: 'get',
    path: '/anomalies',
    tag: 'statistics',
    summary:
      'Months of a monthly series far from the median of the months before them (robust z-score with a trailing median and MAD), strongest first',
    query: AnomalyRequest,
    handle: ({ stats, query }) =>
      findAnomalies(requireStats(stats), anomalyQueryFromText(query as Record<string, string>, 'url')),
  },
  {
    method: 'get',
    path: '/boundaries',
    tag: 'statistics',
    summary:
      'Simplified boundaries of every state (of MX or US) or every municipality (of one state), as TopoJSON or GeoJSON, ids = place codes',
    query: BoundaryRequest,
    handle: ({ stats, query }) =>
      queryBoundaries(requireStats(stats), {
        level: query.level,
        ...(query.within ? { within: query.within } : {}),
        ...(query.format ? { format: query.format } : {}),
      }),
  },
  {
    method: 'get',
    path: '/interventions',
    tag: 'evaluation',
    summary: 'Dated interventions for impact evaluation: the built-in file and those added by officials',
    query: LangQuery,
    handle: ({ store }) => listInterventions(store),
  },
  {
    method: 'post',
    path: '/interventions',
    tag: 'evaluation',
    summary:
      'Add one intervention or an array of them, in one transaction, for the token’s country and agency; ids must be new',
    body: InterventionsBody,
    auth: true,
    async handle({ store, body, viewer, write }) {
      const list = (Array.isArray(body) ? body : [body]) as Intervention[];
      const ids = await addInterventions(
        store,
        list,
        { country: viewer!.country, agency: viewer!.agency },
        write,
        (i) => (Array.isArray(body) ? `[${i}]` : ''),
      );
      return { added: ids };
    },
  },
  {
    method: 'get',
    path: '/evaluations',
    tag: 'evaluation',
    summary: 'Saved evaluation runs, newest first, with their overall estimate',
    query: LangQuery,
    handle: ({ store }) => listEvaluations(store),
  },
  {
    method: 'post',
    path: '/evaluations',
    tag: 'evaluation',
    summary:
      'Run an evaluation (the body is a specification, as for `marco evaluate`) on the server’s statistics and save it; a refused specification saves nothing',
    body: EvaluationSpec,
    auth: true,
    async handle({ store, stats, body, options, write }) {
      const result = await evaluate(
        requireStats(stats),
        body,
        options.version ?? 'unknown',
        await evaluationInterventions(store),
      );
      return { id: await saveEvaluation(store, result, write), ...result };
    },
  },
  {
    method: 'get',
    path: '/evaluations/{id}',
    params: { id: EvaluationId },
    tag: 'evaluation',
    summary: 'A saved evaluation run with its specification, panel report, estimates, vintages and hash',
    query: LangQuery,
    handle: ({ store, params }) => getEvaluation(store, Number(params.id)),
  },
  {
    method: 'get',
    path: '/frameworks',
    tag: 'frameworks',
    summary: 'List results frameworks with their node counts',
    query: LangQuery,
    handle: ({ store }) => listFrameworks(store),
  },
  {
    method: 'get',
    path: '/frameworks/{code}',
    tag: 'frameworks',
    summary: 'One framework with its nodes in definition order',
    query: LangQuery,
    async handle({ store, params }) {
      const framework = (await listFrameworks(store)).find((f) => f.code === params.code);
      if (!framework) throw new NotFoundError('framework', params.code!);
      return { ...framework, nodes: await listNodes(store, params.code) };
    },
  },
  {
    method: 'get',
    path: '/nodes',
    tag: 'frameworks',
    summary: 'Framework nodes, as FRAMEWORK:CODE references with parents',
    query: NodesQuery,
    handle: ({ store, query }) => listNodes(store, query.framework as string | undefined),
  },
  {
    method: 'get',
    path: '/crosswalk',
    tag: 'frameworks',
    summary:
      'Crosswalk links between nodes of different frameworks, with their basis (official or analytical)',
    query: LangQuery,
    handle: ({ store }) => listCrosswalk(store),
  },
  {
    method: 'get',
    path: '/programs',
    tag: 'programs',
    summary: 'Programs visible to the caller',
    query: LangQuery,
    handle: ({ store, viewer }) => listPrograms(store, viewer),
  },
  {
    method: 'get',
    path: '/programs/{code}',
    tag: 'programs',
    summary:
      'A program with its indicators, GAO monitoring practices and compliance score, risks and lessons',
    query: LangQuery,
    handle: ({ store, viewer, params }) => getProgram(store, viewer, params.code!),
  },
  {
    method: 'patch',
    path: '/programs/{code}',
    tag: 'programs',
    summary: "Update a program's own fields; `version` must be the version you read (409 when stale)",
    body: ProgramPatch,
    auth: true,
    async handle({ store, viewer, params, body, write }) {
      const current = await getProgram(store, viewer, params.code!);
      requireOwner(viewer, current.country, `program ${params.code}`);
      return updateProgram(store, params.code!, body as z.infer<typeof ProgramPatch>, write);
    },
  },
  {
    method: 'get',
    path: '/programs/{code}/practices',
    tag: 'programs',
    summary: "A program's GAO key monitoring practices and its compliance score",
    query: LangQuery,
    async handle({ store, viewer, params }) {
      const p = await getProgram(store, viewer, params.code!);
      return { program: p.code, practices: p.practices, compliance: p.compliance };
    },
  },
  {
    method: 'get',
    path: '/indicators',
    tag: 'indicators',
    summary: 'Indicator reference sheets (PIRS), optionally of one program',
    query: IndicatorsQuery,
    handle: ({ store, viewer, query }) => listIndicators(store, viewer, query.program as string | undefined),
  },
  {
    method: 'get',
    path: '/indicators/{code}',
    tag: 'indicators',
    summary: 'One reference sheet with its targets and definition history',
    query: LangQuery,
    handle: ({ store, viewer, params }) => getIndicator(store, viewer, params.code!),
  },
  {
    method: 'get',
    path: '/targets',
    tag: 'indicators',
    summary: "An indicator's period targets",
    query: z.object({ indicator: z.string(), lang: z.enum(['en', 'es']).optional() }).strict(),
    async handle({ store, viewer, query }) {
      const indicator = await getIndicator(store, viewer, query.indicator as string);
      return { indicator: indicator.code, lop_target: indicator.lop_target, targets: indicator.targets };
    },
  },
  {
    method: 'get',
    path: '/results',
    tag: 'results',
    summary: 'Results (actuals) filtered by indicator, period, place and status',
    query: ResultsQuery,
    handle: ({ store, viewer, query }) => listResults(store, viewer, query),
  },
  {
    method: 'patch',
    path: '/results/{id}',
    params: {
      id: z.string().regex(/^[1-9]\d{0,9}$/, { message: 'expected a result id (a positive integer)' }),
    },
    tag: 'results',
    summary:
      'Update a result; `version` must be the version you read. Approval must come from the counterpart country; locked periods refuse edits',
    body: ResultPatch,
    auth: true,
    async handle({ store, viewer, params, body, write }) {
      const id = Number(params.id);
      const [current] = (await listResults(store, viewer)).filter((r) => r.id === id);
      if (!current) throw new NotFoundError('result', String(id));
      const patch = body as z.infer<typeof ResultPatch>;
      const others = Object.keys(patch).filter((k) => k !== 'version' && k !== 'status');
      if (patch.status === 'approved' && others.length > 0)
        throw new HttpError(
          422,
          'invalid_input',
          `an approval changes nothing else: send {version, status: "approved"} without ${others.join(', ')}`,
        );
      if (patch.status === 'approved') {
        if (viewer?.country === current.country)
          throw new HttpError(
            403,
            'forbidden',
            `results are approved by the counterpart country: a ${current.country} official cannot approve a ${current.country} result`,
          );
      } else {
        requireOwner(viewer, current.country, `result ${id}`);
      }
      return updateResult(store, id, patch, write);
    },
  },
  {
    method: 'get',
    path: '/scorecards',
    tag: 'scorecards',
    summary:
      'Indicator status against targets, roll-ups by program and framework node, outcome coverage and GAO compliance',
    query: ScorecardQuery,
    async handle({ store, stats, query, viewer }) {
      const green = (query.green as number | undefined) ?? DEFAULT_THRESHOLDS.green;
      const amber = (query.amber as number | undefined) ?? DEFAULT_THRESHOLDS.amber;
      if (amber > green)
        throw new HttpError(400, 'invalid_input', `amber (${amber}) must not exceed green (${green})`);
      return buildScorecard(store, {
        program: query.program as string | undefined,
        node: query.node as string | undefined,
        thresholds: { green, amber },
        viewer,
        stats,
      });
    },
  },
  {
    method: 'get',
    path: '/workspace',
    tag: 'workspace',
    summary: 'Export the records the caller may see as a workspace document (officials only)',
    auth: true,
    handle: ({ store, viewer }) => exportWorkspace(store, viewer),
  },
  {
    method: 'post',
    path: '/workspace',
    tag: 'workspace',
    summary:
      'Validate and load a workspace document in one transaction; `?dry_run=true` reports without writing',
    query: WorkspaceLoadQuery,
    body: z.unknown().meta({ $ref: '#/components/schemas/Workspace' } as never),
    auth: true,
    handle: ({ store, body, write, query, viewer }) =>
      loadWorkspace(store, body, {
        ...write,
        source: 'request body',
        dryRun: query.dry_run === 'true',
        guard: officialGuard(viewer!),
      }),
  },
  {
    method: 'post',
    path: '/periods/{code}/lock',
    params: { code: PeriodCode },
    tag: 'results',
    summary: 'Lock a reporting period: its results and targets can no longer change',
    auth: true,
    async handle({ store, params, write, viewer }) {
      const count = await writeTransaction(store, { ...write, guard: officialGuard(viewer!) }, (trx, ctx) =>
        lockPeriodIn(trx, ctx, params.code!),
      );
      return { period: params.code, resultsLocked: count };
    },
  },
];

function requireOwner(viewer: Viewer, country: string, what: string): void {
  if (viewer && viewer.country !== country)
    throw new HttpError(403, 'forbidden', `${what} belongs to ${country}; only its owners may change it`);
}

const toHonoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Builds the application. No port is opened: tests call `app.request(...)` in process. */
export function createApp(options: AppOptions): Hono {
  const { store } = options;
  const maxBody = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof HttpError)
      return c.json(
        { error: { code: error.code, message: error.message, details: error.details } },
        error.status,
      );
    if (error instanceof MarcoError)
      return c.json(
        { error: { code: error.code, message: error.message, details: error.details() } },
        error.status as 404,
      );
    const sqlState = (error as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^2[23][0-9A-Z]{3}$/.test(sqlState)) {
      // A value the database refused (out of range, invalid text, a constraint): the request's fault.
      return c.json(
        {
          error: {
            code: sqlState.startsWith('23') ? 'conflict' : 'invalid_input',
            message: `the database refused a value: ${error.message}`,
          },
        },
        sqlState.startsWith('23') ? 409 : 422,
      );
    }
    console.error(error);
    return c.json(
      { error: { code: 'internal', message: 'internal error; the server log has the details' } },
      500,
    );
  });
  app.notFound((c) =>
    !c.req.path.startsWith('/api/')
      ? c.html(notFoundPage(localeOf(c), new URL(c.req.url)).body, 404)
      : c.json(
          {
            error: {
              code: 'not_found',
              message: `no route ${c.req.method} ${c.req.path}; see /api/v1/openapi.json`,
            },
          },
          404,
        ),
  );

  app.use(
    '*',
    languageDetector({
      supportedLanguages: ['en', 'es'],
      fallbackLanguage: 'en',
      order: ['querystring', 'cookie', 'header'],
      lookupQueryString: 'lang',
      lookupCookie: 'marco_lang',
      caches: ['cookie'],
      cookieOptions: { sameSite: 'Lax', path: '/', httpOnly: true },
    }),
  );

  app.get('/api/v1/openapi.json', (c) => c.json(openApiDocument()));

  for (const route of ROUTES) {
    app.on(route.method.toUpperCase(), `/api/v1${toHonoPath(route.path)}`, async (c) => {
      const viewer = await authenticate(c, store, route.auth === true);
      const query = parseQuery(c, route.query);
      let body: unknown;
      if (route.body) body = await parseBody(c, route.body, maxBody);
      const result = await route.handle({
        c,
        store,
        stats: options.stats,
        viewer,
        query,
        params: parseParams(c, route),
        body,
        options,
        write: { actor: viewer?.user ?? 'anonymous', ...(options.now ? { now: options.now } : {}) },
      });
      return c.json(result as object);
    });
  }

  registerPages(app, store, options.stats);
  return app;
}

async function authenticate(c: Context, store: RecordsStore, required: boolean): Promise<Viewer> {
  const header = c.req.header('authorization');
  if (!header) {
    if (required)
      throw new HttpError(
        401,
        'unauthorized',
        'this request writes or exports records: send Authorization: Bearer TOKEN (create one with `marco token create`)',
      );
    return null;
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const identity = match ? await identifyToken(store, match[1]!) : undefined;
  if (!identity)
    throw new HttpError(401, 'unauthorized', 'the bearer token is not valid or has been revoked');
  return identity;
}

function parseParams(c: Context, route: Route): Record<string, string> {
  const raw = c.req.param() as Record<string, string>;
  const issues = Object.entries(raw).flatMap(([name, value]) => {
    const parsed = safeParseInput(route.params?.[name] ?? Code, value);
    return parsed.success ? [] : zodIssues(parsed.error).map((i) => ({ ...i, path: `path.${name}` }));
  });
  if (issues.length > 0) throw new HttpError(400, 'invalid_input', 'invalid path parameters', { issues });
  return raw;
}

function parseQuery(c: Context, schema: z.ZodType | undefined): Record<string, unknown> {
  // `lang` is read by the language detector and accepted by every route.
  const { lang: _lang, ...raw } = c.req.query();
  const parsed = safeParseInput(schema ?? z.object({}).strict(), raw);
  if (!parsed.success) {
    throw new HttpError(400, 'invalid_input', 'invalid query parameters', {
      issues: zodIssues(parsed.error).map((i) => ({ ...i, path: `query.${i.path}` })),
    });
  }
  return parsed.data as Record<string, unknown>;
}

async function parseBody(c: Context, schema: z.ZodType, maxBody: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(
      415,
      'unsupported_media_type',
      `send the body as application/json (got ${JSON.stringify(type || 'no content type')})`,
    );
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > maxBody)
    throw new HttpError(413, 'too_large', `the body is ${length} bytes; the limit is ${maxBody}`);
  const text = await c.req.text();
  if (text.length > maxBody) throw new HttpError(413, 'too_large', `the body exceeds ${maxBody} bytes`);
  try {
    JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  // JSON is YAML: the same reader as for files refuses duplicate keys and locates problems by line.
  const data = readInputDocument(text, 'request body').data;
  const parsed = safeParseInput(schema, data);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'request body');
  return parsed.data;
}

/** The OpenAPI 3.1 document, generated from the route table and the same zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  const schema = (s: z.ZodType) =>
    z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const parameters: { name: string; in: string; required: boolean; schema: unknown }[] = [
      ...route.path.matchAll(/\{(\w+)\}/g),
    ].map((m) => ({
      name: m[1]!,
      in: 'path',
      required: true,
      schema: schema(route.params?.[m[1]!] ?? Code),
    }));
    if (route.query) {
      const json = schema(route.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {}))
        parameters.push({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s });
    }
    if (!parameters.some((p) => p.name === 'lang'))
      parameters.push({
        name: 'lang',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['en', 'es'] },
      });
    const errorResponse = {
      description: 'Error',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
    paths[`/api/v1${route.path}`] ??= {};
    paths[`/api/v1${route.path}`]![route.method] = {
      summary: route.summary,
      tags: [route.tag],
      parameters,
      ...(route.auth ? { security: [{ bearer: [] }] } : {}),
      ...(route.upload
        ? {
            requestBody: {
              required: true,
              content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
            },
          }
        : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema:
                    route.path === '/workspace'
                      ? { $ref: '#/components/schemas/Workspace' }
                      : schema(route.body),
                },
              },
            },
          }
        : {}),
      responses: {
        200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
        400: errorResponse,
        ...(route.auth ? { 401: errorResponse, 403: errorResponse } : {}),
        404: errorResponse,
        ...(route.method !== 'get' ? { 409: errorResponse, 422: errorResponse } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Marco API',
      version: '1',
      description:
        'Results frameworks, indicator reference sheets, targets, results, monitoring practices and scorecards for U.S.–Mexico security cooperation. Errors are {error: {code, message, details}}.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from `marco token create`' },
      },
      schemas: {
        Error: schema(ErrorBody),
        Workspace: schema(Workspace),
        FrameworkFile: schema(FrameworkFile),
        CrosswalkFile: schema(CrosswalkFile),
      },
    },
  };
}
