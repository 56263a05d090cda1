/**
 * One way to page every list of the API (the trust issue's rule: every list is paged, with a maximum
 * page size): `limit` (at most 1,000, the default) and either `offset` or the `cursor` of a `Link:
 * <…>; rel="next"` header; `X-Total-Count` gives the total. A cursor is the offset and a digest of the
 * query it pages, signed with HMAC-SHA256: a cursor edited by hand, or sent with another query, is
 * refused (400), never read as some other page.
 * @module
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import { HttpError } from '../error.js';

/** The largest page, and the default. */
export const MAX_PAGE = 1000;

const Whole = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { message: 'validation.schema.wholeNumber' })
    .transform(Number)
    .refine((n) => n <= max, { message: 'validation.schema.atMost', params: { max } });

/** The query parameters of a paged list. */
export const PageQuery = z.object({
  limit: Whole(MAX_PAGE)
    .refine((n) => n >= 1, { message: 'validation.schema.atLeastOne' })
    .optional()
    .meta({ description: `how many items (1 to ${MAX_PAGE}, the default)` }),
  offset: Whole(1e9).optional().meta({ description: 'how many items to skip' }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .meta({ description: 'the cursor of a Link rel="next" header: the next page of the same query' }),
});

/** A key to sign cursors with: one per server, or shared by the processes of one deployment. */
export const cursorKey = (given?: string) => (given ? Buffer.from(given) : randomBytes(32));

const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');

/** A digest of the query a cursor pages: every parameter but the page's own, in order. */
function queryDigest(url: URL): string {
  const params = [...url.searchParams]
    .filter(([k]) => !['cursor', 'offset', 'limit', 'lang'].includes(k))
    .sort(([a, av], [b, bv]) => a.localeCompare(b) || av.localeCompare(bv));
  return createHash('sha256')
    .update(`${url.pathname}?${new URLSearchParams(params)}`)
    .digest('base64url')
    .slice(0, 22);
}

const sign = (key: Buffer, payload: string) =>
  createHmac('sha256', key).update(payload).digest('base64url').slice(0, 32);

function encodeCursor(key: Buffer, offset: number, url: URL): string {
  const payload = b64(JSON.stringify({ o: offset, q: queryDigest(url) }));
  return `${payload}.${sign(key, payload)}`;
}

/** The offset a cursor names, checked against its signature and the query it pages. */
function decodeCursor(key: Buffer, cursor: string, url: URL): number {
  const refuse = () => new HttpError(400, 'invalid_input', { key: 'http.badCursor', values: {} });
  const [payload, signature] = cursor.split('.');
  if (!payload || !signature) throw refuse();
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refuse();
  let parsed: { o?: unknown; q?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw refuse();
  }
  if (
    typeof parsed.o !== 'number' ||
    !Number.isInteger(parsed.o) ||
    parsed.o < 0 ||
    parsed.q !== queryDigest(url)
  )
    throw refuse();
  return parsed.o;
}

/**
 * The page of `items` the request asks for, with `X-Total-Count` and, when more follow, `Link` to the
 * next page by cursor.
 */
export function page<T>(
  c: Context,
  key: Buffer,
  items: readonly T[],
  query: { limit?: number; offset?: number; cursor?: string },
): T[] {
  const url = new URL(c.req.url);
  const limit = query.limit ?? MAX_PAGE;
  const offset = query.cursor !== undefined ? decodeCursor(key, query.cursor, url) : (query.offset ?? 0);
  const slice = items.slice(offset, offset + limit);
  c.header('X-Total-Count', String(items.length));
  if (offset + slice.length < items.length) {
    const next = new URL(url);
    next.searchParams.delete('offset');
    next.searchParams.set('cursor', encodeCursor(key, offset + slice.length, url));
    c.header('Link', `<${next.pathname}${next.search}>; rel="next"`);
  }
  return slice;
}

/** Whether a route answers a list: a read whose answer is an array is paged. */
export const isPaged = (route: { method: string; response: z.ZodType }) =>
  route.method === 'get' && route.response instanceof z.ZodArray;

/** A route's query schema, with the page's parameters when it answers a list. */
export function queryOf(route: { method: string; response: z.ZodType; query?: z.ZodType | undefined }) {
  if (!isPaged(route)) return route.query;
  return route.query instanceof z.ZodObject ? route.query.extend(PageQuery.shape) : PageQuery.strict();
}
