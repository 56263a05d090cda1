/**
 * One declaration per API route: its method and path, the zod schemas of its path parameters, query and
 * body, the permission it needs, and its handler. The same declaration registers the handler
 * (`app.ts`) and documents it (`openapi.ts`), and the handler receives what its schemas produce, typed.
 * @module
 */
import type { BlockList } from 'node:net';
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Permission } from '../access/permissions.js';
import type { Viewer } from '../access/viewer.js';
import { HttpError } from '../error.js';
import type { NetworkAccess } from '../config.js';
import type { Locale } from '../i18n/index.js';
import type { RecordsStore } from '../records/database.js';
import type { StatsStore } from '../stats/stats-store.js';
import type { Logger } from '../log.js';
import type { FetchSetup } from '../jobs/fetch-job.js';
import type { PageCache } from '../web/page-cache.js';
import type { Limits } from './limits.js';
import type { Format } from './negotiation.js';

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
  /** Rate limits per client address (`limits.ts`); `false` turns them off (benchmarks' reference). */
  limits?: Limits | false;
  /** Reverse proxies whose `X-Forwarded-For` names the client (`MARCO_TRUSTED_PROXIES`); none by default. */
  trustedProxies?: BlockList;
  /** Marco's version, recorded in the vintages of imports through the API. */
  version?: string;
  /**
   * The folder of background jobs' outputs, where this server's worker writes them (`marco serve`:
   * `<data>/jobs`). Without it the server queues no jobs: the routes that would answer 503.
   */
  jobsDir?: string;
  /**
   * Where `fetch` jobs download to, and from (`marco serve`: `<data>/downloads`, Marco's catalogue, and
   * the mirror `MARCO_FETCH_MIRROR` names). Without it `POST /api/v1/fetches` answers 503.
   */
  fetch?: FetchSetup;
  /** Whether notices are also sent by e-mail (an SMTP server is configured). */
  mailConfigured?: boolean;
  /** Bytes of rendered pages kept for anonymous readers (64 MiB by default; 1 keeps none). */
  pageCacheBytes?: number;
  /** The page cache itself, to share or look into (made of `pageCacheBytes` by default). */
  pageCache?: PageCache;
  /** The key that signs page cursors (`pagination.ts`); random per server by default. */
  cursorKey?: string;
  /** Who may see criminal groups' detail (`MARCO_NETWORK_CLASSIFICATION`): official use by default. */
  networks?: NetworkAccess;
  /** Origins whose pages may read the API (`MARCO_CORS_ORIGINS`): any by default; `null`, none. */
  corsOrigins?: '*' | string[] | null;
  /** The operations log (access log, failed authentication); the process's (`src/log.ts`) by default. */
  log?: Logger;
}

/** `{code}` and `{id}` of a path template, as an object type of strings. */
export type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? { [K in Name | keyof PathParams<Rest>]: string }
  : Record<never, string>;

export interface RouteContext<P extends string, Q, B> {
  c: Context;
  store: RecordsStore;
  stats: StatsStore | undefined;
  viewer: Viewer;
  /** The reader's language (`?lang=`, the remembered cookie, then the browser's). */
  locale: Locale;
  /** The form the client asked for (`negotiation.ts`): JSON unless the route has another. */
  format: Format;
  params: PathParams<P>;
  query: Q;
  body: B;
  options: AppOptions;
  /** The author and clock of this request's writes. */
  write: { actor: string; now?: () => Date };
}

export interface Route<
  P extends string = string,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** The path under `/api/v1`, with `{name}` parameters. */
  path: P;
  /** The operation's stable name in the OpenAPI document (lowerCamelCase, unique), for generated clients. */
  operationId: string;
  /** Schemas of path parameters; each defaults to a code. */
  params?: Partial<Record<keyof PathParams<P>, z.ZodType<string>>>;
  summary: string;
  tag: string;
  /** What the caller needs before the handler runs (`src/access/permissions.ts`). */
  permission: Permission;
  query?: Q;
  body?: B;
  /** The body may be left out (no content type, no content): the handler then gets undefined. */
  optionalBody?: boolean;
  /** The body is a file, read by the handler itself (`application/octet-stream` unless `uploadTypes`). */
  upload?: boolean;
  /** The media types an upload may have, for the OpenAPI document. */
  uploadTypes?: string[];
  /**
   * The body of a success (200, or 201 when the route creates), as a zod schema of what the handler
   * returns (`responses/`): the OpenAPI document publishes it and the contract test checks real answers
   * against it.
   */
  response: z.ZodType;
  /** Headers a success carries (name → what it holds), beyond the ones every answer has. */
  responseHeaders?: Record<string, string>;
  /**
   * The version of the record a success returns: sent as a strong `ETag` (`"v3"`), so that
   * `If-None-Match` answers 304 and a later write can send it back in `If-Match` (`preconditions.ts`).
   */
  versionOf?: (result: never) => number;
  /** A write that honours `If-Match`: a stale tag answers 412 and nothing changes. */
  conditional?: boolean;
  /**
   * The answer as CSV (`Accept: text/csv`, or the path with `.csv`), written by the route itself: a
   * download, with `excel` for a byte-order mark and CRLF line ends (`?excel=true`).
   */
  csv?: (ctx: RouteContext<P, z.output<Q>, z.output<B>>, excel: boolean) => Promise<Response>;
  /** The answer as a Parquet file (`Accept: application/vnd.apache.parquet`, or the path with `.parquet`). */
  parquet?: (ctx: RouteContext<P, z.output<Q>, z.output<B>>) => Promise<Response>;
  /** The answer as XML (`Accept: application/xml`, or the path with `.xml`), streamed by the route itself. */
  xml?: (ctx: RouteContext<P, z.output<Q>, z.output<B>>) => Promise<Response>;
  /** The route can answer GeoJSON (`application/geo+json`), and then does so with that media type. */
  geojson?: boolean;
  /** Error statuses this route answers beyond those its kind implies (`openapi.ts`, `errorStatuses`). */
  statuses?: number[];
  /** The route needs the statistics store: it answers 503 on a server that has none open. */
  usesStats?: boolean;
  /**
   * The route queues a background job: it answers 202 Accepted with the job, and `Location` names the
   * job's status (`/api/v1/jobs/{id}`).
   */
  accepts?: boolean;
  /**
   * The route answers a file, not JSON: the media types it may have. Its handler returns the `Response`
   * itself (a download with its checksum), and the document describes the body as binary.
   */
  download?: string[];
  /** The route creates a record: it answers 201 Created, not 200. */
  creates?: boolean;
  /** Where the created record can be read: sent as `Location` with the 201. */
  location?: (created: never, params: Record<string, string>) => string;
  handle(ctx: RouteContext<P, z.output<Q>, z.output<B>>): Promise<unknown> | unknown;
}

/** A route as the table holds it, whatever its schemas. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = Route<string, any, any>;

/**
 * Declares a route, inferring its handler's parameter, query and body types from its schemas.
 * @example
 * route({
 *   method: 'get', path: '/programs/{code}', tag: 'programs', summary: 'A program',
 *   permission: 'read', query: LangQuery,
 *   handle: ({ store, viewer, params }) => getProgram(store, viewer, params.code),
 * });
 */
export const route = <P extends string, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(
  r: Route<P, Q, B>,
): AnyRoute => r as AnyRoute;

/** The statistics store, or 503 when this server has none open. */
export function requireStats(stats: StatsStore | undefined): StatsStore {
  if (!stats) throw new HttpError(503, 'unavailable', { key: 'http.noStats', values: {} });
  return stats;
}
