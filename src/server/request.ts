/**
 * What the API reads from a request before a handler runs: who is calling (a bearer token), and the
 * path parameters, query and body, each validated by the route's zod schema. Every refusal names the bad
 * field by its JSON path (`query.per`, `path.id`, `body.version`).
 * @module
 */
import { log, type Logger } from '../log.js';
import { logFailedAuth } from '../web/access-log.js';
import type { Context } from 'hono';
import { z } from 'zod';
import { authorize, needsOfficial, type Permission } from '../access/permissions.js';
import type { Viewer } from '../access/viewer.js';
import { Code, safeParseInput, zodIssues } from '../domain/common-schema.js';
import { readInputDocument } from '../domain/input-document.js';
import { HttpError, textIssue, ValidationError } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { identifyToken } from '../records/token-repository.js';
import { assertJsonDepth, countMembers } from './limits.js';
import type { AnyRoute } from './route.js';

/**
 * The caller, from `Authorization: Bearer TOKEN`, checked against the route's permission: anonymous
 * (`null`) when no token is sent to a route anyone may call.
 */
export async function authenticate(
  c: Context,
  store: RecordsStore,
  permission: Permission,
  now?: () => Date,
  logger: Logger = log,
): Promise<Viewer> {
  const header = c.req.header('authorization');
  let viewer: Viewer = null;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const identity = match ? await identifyToken(store, match[1]!, now) : undefined;
    if (!identity) {
      logFailedAuth(logger, c, match ? 'unknown_token' : 'malformed_header');
      throw new HttpError(401, 'unauthorized', { key: 'access.badToken', values: {} });
    }
    if ('expired' in identity) {
      logFailedAuth(logger, c, 'expired_token');
      throw new HttpError(401, 'unauthorized', {
        key: 'access.expiredToken',
        values: { date: identity.expired },
      });
    }
    viewer = identity;
  } else if (!needsOfficial(permission)) {
    return null;
  }
  authorize(viewer, permission);
  return viewer;
}

export function parseParams(c: Context, route: AnyRoute): Record<string, string> {
  const raw = c.req.param() as Record<string, string>;
  const schemas = (route.params ?? {}) as Record<string, z.ZodType | undefined>;
  const issues = Object.entries(raw).flatMap(([name, value]) => {
    const parsed = safeParseInput(schemas[name] ?? Code, value);
    return parsed.success ? [] : zodIssues(parsed.error).map((i) => ({ ...i, path: `path.${name}` }));
  });
  if (issues.length > 0) throw new ValidationError(issues, undefined, 'query');
  return raw;
}

/** The query of a route that declares none: nothing but `lang`. Built once (a zod schema costs 40 µs). */
const NO_QUERY = z.object({}).strict();

export function parseQuery(c: Context, schema: z.ZodType | undefined): unknown {
  // `lang` is read by the language detector and accepted by every route.
  const { lang: _lang, ...raw } = c.req.query();
  const parsed = safeParseInput(schema ?? NO_QUERY, raw);
  if (!parsed.success) {
    // A query's problems, counted in the reader's language; a field's own catalog text where it has one.
    // An unknown parameter names the ones this endpoint takes, and docs/api.md (not the workspace format).
    const accepted = ['lang', ...(schema instanceof z.ZodObject ? Object.keys(schema.shape) : [])];
    throw new ValidationError(
      zodIssues(parsed.error).map((i) => {
        const path = i.path ? `query.${i.path}` : 'query';
        if (!/^validation\.schema\.unknownFields?$/.test(i.text?.key ?? '')) return { ...i, path };
        const keys = String(i.text?.values?.keys ?? '');
        return textIssue(path, 'validation.unknownParameter', {
          keys,
          count: keys.split(', ').length,
          expected: [...new Set(accepted)].sort().join(', '),
        });
      }),
      undefined,
      'query',
    );
  }
  return parsed.data;
}

export async function parseBody(c: Context, schema: z.ZodType, maxBody: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(
      415,
      'unsupported_media_type',
      type
        ? { key: 'http.notJsonType', values: { type: JSON.stringify(type) } }
        : { key: 'http.noJsonType', values: {} },
    );
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > maxBody)
    throw new HttpError(413, 'too_large', { key: 'http.bodyTooLarge', values: { length, limit: maxBody } });
  const text = await c.req.text();
  if (text.length > maxBody)
    throw new HttpError(413, 'too_large', { key: 'http.bodyExceeds', values: { limit: maxBody } });
  const members = assertJsonDepth(text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', {
      key: 'http.notJson',
      values: { reason: (error as Error).message },
    });
  }
  // JSON.parse keeps the last of duplicate keys silently; fewer members than the text writes means
  // some key was repeated. Then the same reader as for files (JSON is YAML) refuses it by line and column.
  if (countMembers(data) !== members) data = readInputDocument(text, 'request body').data;
  const parsed = safeParseInput(schema, data);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'request body');
  return parsed.data;
}
