/**
 * The HTTP application: the JSON API under `/api/v1` (one route table, `routes/`), its OpenAPI
 * document, and the bilingual web pages. Errors of every kind become an RFC 9457 problem
 * (`problem.ts`), in the reader's language where the message has a catalog text.
 * @module
 */
import { log } from '../log.js';
import { isStoreOutage, recordsPort } from './store-outage.js';
import { accessLog, requestIdOf } from '../web/access-log.js';
import { METRICS_ROUTE, serverMetrics } from './metrics-route.js';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { brotli } from './brotli.js';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { HTTPException } from 'hono/http-exception';
import { languageDetector } from 'hono/language';
import type { Permission } from '../access/permissions.js';
import { withoutUserNames } from '../access/redact.js';
import { CliError, EXIT, MarcoError } from '../error.js';
import { translator } from '../i18n/index.js';
import { notFoundPage } from '../web/places.js';
import { resolveReader } from '../web/session/resolve.js';
import { clientAddress, forwardedClients } from '../web/client-address.js';
import { localeOf } from '../web/locale.js';
import { registerPages } from '../web/routes.js';
import { createPageCache } from '../web/page-cache.js';
import { openApiDocument } from './openapi.js';
import { HEALTH_ROUTES, liveness, readinessAnswer } from './health.js';
import { bodyLimits, rateLimits } from './limits.js';
import { securityHeaders } from './security-headers.js';
import { problem } from './problem.js';
import { MEDIA_TYPES, negotiate, type Format } from './negotiation.js';
import { cursorKey, isPaged, page, queryOf } from './pagination.js';
import { asPreconditionFailure, checkIfMatch, ifMatchOf, versionTag } from './preconditions.js';
import { detailsWithoutServerPaths, withoutServerPaths } from '../server-paths.js';
import { authenticate, parseBody, parseParams, parseQuery } from './request.js';
import type { AnyRoute, AppOptions } from './route.js';
import { API_ROUTES } from './routes/index.js';

/** The number of the statistics generation an answer was read from (with generations only). */
export const GENERATION_HEADER = 'Marco-Statistics-Generation';

export type { AppOptions } from './route.js';
export { openApiDocument } from './openapi.js';

const toHonoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Routes outside the API table and the pages, with the permission they need. */
export const META_ROUTES = [
  { method: 'get', path: '/api/v1/openapi.json', permission: 'read' },
  ...HEALTH_ROUTES,
  METRICS_ROUTE,
] as const satisfies {
  method: string;
  path: string;
  permission: Permission;
}[];

/** The `.csv`, `.parquet` and `.xml` paths of the routes that have those forms, with their permission. */
export const DOWNLOAD_ROUTES = API_ROUTES.flatMap((r) =>
  (['csv', 'parquet', 'xml'] as const)
    .filter((format) => r[format])
    .map((format) => ({ method: 'get', path: `/api/v1${r.path}.${format}`, permission: r.permission })),
);

/** Each API path as a pattern, with the methods it answers (HEAD with GET). */
const PATH_METHODS = (() => {
  const byPath = new Map<string, Set<string>>();
  for (const r of [
    ...API_ROUTES.map((route) => ({ method: route.method, path: `/api/v1${route.path}` })),
    ...DOWNLOAD_ROUTES,
    ...META_ROUTES,
  ]) {
    const methods = byPath.get(r.path) ?? new Set<string>();
    methods.add(r.method.toUpperCase());
    if (r.method === 'get') methods.add('HEAD');
    byPath.set(r.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
    methods: [...methods].sort(),
  }));
})();

/** The methods the API answers at `path`; none when it has no such path. */
export const allowedMethods = (path: string): string[] =>
  [...new Set(PATH_METHODS.filter((p) => p.pattern.test(path)).flatMap((p) => p.methods))].sort();

/** Builds the application. No port is opened: tests call `app.request(...)` in process. */
export function createApp(options: AppOptions): Hono {
  const { store } = options;
  const maxBody = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const app = new Hono();
  const port = recordsPort(store.location, store.kind);

  app.onError((error, c) => {
    if (error instanceof CliError) {
      // A rule shared with the CLI (a source's parameters, say): the API speaks in HTTP codes, not exit codes.
      const status = error.exitCode === EXIT.conflict ? 409 : error.exitCode === EXIT.notFound ? 404 : 400;
      const code = status === 409 ? 'conflict' : status === 404 ? 'not_found' : 'invalid_input';
      return problem(c, status, { code, message: withoutServerPaths(error.messageIn(localeOf(c))) });
    }
    if (error instanceof MarcoError)
      return problem(c, error.status, {
        code: error.code,
        message: withoutServerPaths(error.messageIn(localeOf(c))),
        details: detailsWithoutServerPaths(error.details()),
      });
    // A maintained middleware's own refusal (Hono's): its status and response as they are.
    if (error instanceof HTTPException) return error.getResponse();
    const sqlState = (error as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^2[23][0-9A-Z]{3}$/.test(sqlState)) {
      // A value the database refused (out of range, invalid text, a constraint): the request's fault.
      return problem(c, sqlState.startsWith('23') ? 409 : 422, {
        code: sqlState.startsWith('23') ? 'conflict' : 'invalid_input',
        message: withoutServerPaths(
          translator(localeOf(c))('http.databaseRefused', { reason: error.message }),
        ),
      });
    }
    if (isStoreOutage(error, port)) {
      (options.log ?? log).warn(
        { err: { message: (error as Error).message, code: (error as { code?: unknown }).code } },
        'a store could not be reached',
      );
      return problem(
        c,
        503,
        { code: 'unavailable', message: translator(localeOf(c))('http.storeUnavailable') },
        { 'retry-after': '5' },
      );
    }
    (options.log ?? log).error({ err: error, req: { id: requestIdOf(c) } }, 'request failed');
    return problem(c, 500, { code: 'internal', message: translator(localeOf(c))('http.internal') });
  });
  app.notFound(async (c) => {
    if (!c.req.path.startsWith('/api/'))
      return c.html(notFoundPage((await resolveReader(c, store, options.now)).reader).body, 404);
    // A path the API has, asked with a method it does not answer: 405, with the methods it does.
    const allowed = allowedMethods(c.req.path);
    const t = translator(localeOf(c));
    if (allowed.length > 0)
      return problem(
        c,
        405,
        {
          code: 'method_not_allowed',
          message: t('http.methodNotAllowed', {
            method: c.req.method,
            path: c.req.path,
            allowed: allowed.join(', '),
          }),
        },
        { allow: allowed.join(', ') },
      );
    return problem(c, 404, {
      code: 'not_found',
      message: t('http.noRoute', { method: c.req.method, path: c.req.path }),
    });
  });

  // Outermost: every request is timed for the metrics and written to the access log with its id.
  const logger = options.log ?? log;
  const metrics = serverMetrics(store, options.stats);
  app.use('*', metrics.middleware);
  // Behind trusted reverse proxies, the client is the one their X-Forwarded-For names.
  if (options.trustedProxies) app.use('*', forwardedClients(options.trustedProxies));
  app.use('*', accessLog(logger, GENERATION_HEADER));

  // Answers of 1 KiB and more are compressed for clients that accept it (gzip by Hono's own middleware):
  // a municipal series in JSON is mostly repeated keys, and shrinks twentyfold.
  app.use('*', compress({ encoding: 'gzip' }));
  // Brotli (Node's zlib) for clients that rank it no lower than gzip; it runs first on the way out, and
  // gzip then leaves its answer alone.
  app.use('*', brotli());
  app.use('*', securityHeaders());
  // With statistics generations, a request reads one generation from start to end, and says which; a
  // write says the generation it leaves (the one it published, if it did).
  const generations = options.stats?.pin ? options.stats : undefined;
  if (generations)
    app.use('*', async (c, next) => {
      let read = 0;
      await generations.pin!(async () => {
        await next();
        read = generations.generation!();
      });
      const write = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
      c.header(GENERATION_HEADER, String(write ? generations.generation!() : read));
    });
  // Reads of the API are open to other origins' pages (a notebook, a newsroom's chart); writes never are.
  const origins = options.corsOrigins === undefined ? '*' : options.corsOrigins;
  if (origins !== null) {
    const readers = cors({
      origin: origins,
      allowMethods: ['GET', 'HEAD'],
      allowHeaders: ['Authorization', 'Accept', 'Accept-Language'],
      exposeHeaders: [
        'Link',
        'X-Total-Count',
        'ETag',
        'Location',
        'Retry-After',
        'Marco-Audit-Head',
        GENERATION_HEADER,
      ],
      maxAge: 600,
    });
    app.use('/api/v1/*', (c, next) =>
      ['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) ? readers(c, next) : next(),
    );
  }
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

  // Probes come before the budgets: a load balancer asks every few seconds from one address.
  app.get(HEALTH_ROUTES[0].path, (c) => liveness(c, options.version));
  app.get(HEALTH_ROUTES[1].path, (c) => readinessAnswer(c, options.store, options.stats, localeOf(c)));
  app.get(METRICS_ROUTE.path, (c) => metrics.answer(c));

  // Budgets per client address, then bodies cut off at the limit while they stream (uploads of
  // statistics files have their own, larger limit).
  if (options.limits !== false) for (const limiter of rateLimits(options.limits)) app.use('*', limiter);
  const limitBody = bodyLimits(maxBody);
  app.use('/api/*', (c, next) => (c.req.path === '/api/v1/imports' ? next() : limitBody(c, next)));
  // Every read of the API carries an entity tag, and If-None-Match with it answers 304 (Hono's own
  // middleware): a record's is its version (set below), any other answer's a digest of its body.
  app.use('/api/v1/*', etag({ weak: true }));
  app.get(META_ROUTES[0].path, (c) => c.json(openApiDocument()));

  const cursors = cursorKey(options.cursorKey);
  const handler = (route: AnyRoute, forced?: Format) => {
    const querySchema = queryOf(route);
    const paged = isPaged(route);
    return async (c: Context) => {
      const viewer = await authenticate(c, store, route.permission, options.now, logger);
      const offers: Format[] = [
        'json',
        ...(route.csv ? ['csv' as const] : []),
        ...(route.parquet ? ['parquet' as const] : []),
        ...(route.xml ? ['xml' as const] : []),
        ...(route.geojson ? ['geojson' as const] : []),
      ];
      // A download answers its file's own type, whatever Accept asks.
      const format = route.method === 'get' && !route.download ? negotiate(c, offers, forced) : 'json';
      const query = parseQuery(c, querySchema);
      const empty = !c.req.header('content-type') && Number(c.req.header('content-length') ?? 0) === 0;
      const body =
        route.body && !(route.optionalBody && empty) ? await parseBody(c, route.body, maxBody) : undefined;
      const ifMatch = route.conditional ? ifMatchOf(c) : undefined;
      checkIfMatch(ifMatch, body);
      const ctx = {
        c,
        store,
        stats: options.stats,
        viewer,
        locale: localeOf(c),
        format,
        query,
        params: parseParams(c, route),
        body,
        options,
        write: { actor: viewer?.user ?? 'anonymous', ...(options.now ? { now: options.now } : {}) },
      };
      if (format === 'csv') return route.csv!(ctx, c.req.query('excel') === 'true');
      if (format === 'parquet') return route.parquet!(ctx);
      if (format === 'xml') return route.xml!(ctx);
      const result = await Promise.resolve()
        .then(() => route.handle(ctx))
        .catch((error: unknown) => {
          throw asPreconditionFailure(ifMatch, error);
        });
      if (route.download && result instanceof Response) return result;
      const answer0 = paged
        ? page(c, cursors, result as unknown[], query as Parameters<typeof page>[3])
        : result;
      if (route.versionOf) c.header('ETag', versionTag(route.versionOf(result as never)));
      if (route.creates && route.location)
        c.header('Location', route.location(result as never, c.req.param() as Record<string, string>));
      if (route.accepts) c.header('Location', `/api/v1/jobs/${String((result as { id: number }).id)}`);
      // Anonymous readers get the records, not the names of the officials behind them.
      const answer = (viewer === null ? withoutUserNames(answer0) : answer0) as object;
      if (route.geojson && (answer as { type?: unknown }).type === 'FeatureCollection')
        return c.body(JSON.stringify(answer), 200, { 'content-type': MEDIA_TYPES.geojson });
      return c.json(answer, route.creates ? 201 : route.accepts ? 202 : 200);
    };
  };
  for (const route of API_ROUTES) {
    app.on(route.method.toUpperCase(), `/api/v1${toHonoPath(route.path)}`, handler(route));
    // The same answer as CSV at the path with `.csv`, for a link or a spreadsheet's import.
    if (route.csv) app.get(`/api/v1${toHonoPath(route.path)}.csv`, handler(route, 'csv'));
    if (route.parquet) app.get(`/api/v1${toHonoPath(route.path)}.parquet`, handler(route, 'parquet'));
    if (route.xml) app.get(`/api/v1${toHonoPath(route.path)}.xml`, handler(route, 'xml'));
  }

  registerPages(app, {
    store,
    stats: options.stats,
    now: options.now,
    clientOf: clientAddress,
    mailConfigured: options.mailConfigured,
    jobsDir: options.jobsDir,
    networks: options.networks,
    log: logger,
    pageCache: options.pageCache ?? createPageCache(options.pageCacheBytes),
  });
  return app;
}
