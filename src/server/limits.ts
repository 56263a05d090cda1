/**
 * Bounded work per client, with maintained middleware: request bodies are counted while they stream and
 * cut off at the limit (Hono's `bodyLimit`), and each client address gets a request budget per minute
 * and a much smaller budget of failed authentications per quarter hour (`hono-rate-limiter`, in
 * memory), both answered with 429 and `Retry-After`. Requests made in process (tests, `app.request`)
 * have no address and are not rate-limited. JSON nested deeper than {@link MAX_JSON_DEPTH} is refused.
 * @module
 */
import { problem } from './problem.js';
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { rateLimiter } from 'hono-rate-limiter';
import { HttpError } from '../error.js';
import { translator } from '../i18n/index.js';
import { clientAddress } from '../web/client-address.js';
import { localeOf } from '../web/locale.js';
import { anonymousReader } from '../web/reader.js';
import { messagePage } from '../web/session/login-page.js';

export interface Limits {
  /** Requests per client address per minute (default 600). */
  requestsPerMinute?: number;
  /** Failed authentications (401) per client address per 15 minutes before it is shut out (default 20). */
  failedAuthPer15Minutes?: number;
}

export const MAX_JSON_DEPTH = 64;

const tooMany = (c: Context, key: string, info?: { resetTime?: Date | undefined }) => {
  // The failure budget sends no RateLimit headers (they describe the request budget), so its own
  // Retry-After is set here.
  if (info?.resetTime && !c.res.headers.get('retry-after'))
    c.header('Retry-After', String(Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000))));
  const t = translator(localeOf(c));
  // A page (the sign-in form, say) is answered with a page; the API with a problem.
  if (!c.req.path.startsWith('/api/'))
    return c.html(
      messagePage(anonymousReader(localeOf(c), new URL(c.req.url)), t('web.session.tooManyTitle'), t(key)),
      429,
    );
  return problem(c, 429, { code: 'rate_limited', message: t(key) });
};

/** The two rate limiters: all requests, then failed authentications. */
export function rateLimits(limits: Limits = {}): MiddlewareHandler[] {
  const keyGenerator = (c: Context) => clientAddress(c) ?? 'in-process';
  const skip = (c: Context) => clientAddress(c) === undefined;
  return [
    rateLimiter({
      windowMs: 60_000,
      limit: limits.requestsPerMinute ?? 600,
      standardHeaders: 'draft-7',
      keyGenerator,
      skip,
      handler: (c) => tooMany(c, 'limits.tooManyRequests'),
    }),
    rateLimiter({
      windowMs: 15 * 60_000,
      limit: limits.failedAuthPer15Minutes ?? 20,
      standardHeaders: false,
      requestPropertyName: 'authRateLimit',
      keyGenerator,
      skip,
      // Only refused credentials count against this budget.
      skipSuccessfulRequests: true,
      requestWasSuccessful: (c) => c.res.status !== 401,
      handler: (c) =>
        tooMany(
          c,
          'limits.tooManyFailures',
          (c.get as (key: string) => { resetTime?: Date })('authRateLimit'),
        ),
    }),
  ];
}

/**
 * Stops a request body at `maxSize` bytes while it streams, with 413 in the reader's language.
 *
 * A request from Node's HTTP server without `Transfer-Encoding` has a body of exactly `Content-Length`
 * bytes, or none (RFC 9112 §6.3), and Node's parser reads no more: its length is checked from the
 * header. Only other requests (chunked, or made in process) pass through Hono's `bodyLimit`, which counts
 * the bytes as they stream; merely asking whether a request has a body makes the Node adapter build a
 * full web `Request` with a stream, which cost every API call, bodiless GETs included, about 5% of the
 * server's time.
 */
export function bodyLimits(maxSize: number): MiddlewareHandler {
  const tooLarge = (c: Context) =>
    problem(c, 413, {
      code: 'too_large',
      message: translator(localeOf(c))('limits.bodyTooLarge', { limit: maxSize }),
    });
  const streaming = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming && incoming.headers['transfer-encoding'] === undefined) {
      const length = incoming.headers['content-length'];
      if (length !== undefined && Number(length) > maxSize) return tooLarge(c);
      return next();
    }
    return streaming(c, next);
  };
}

/**
 * Refuses JSON text nested deeper than {@link MAX_JSON_DEPTH}, before it is parsed. Returns how many
 * object members the text writes: the colons outside strings, which in valid JSON separate keys from
 * values. A parsed value with fewer members ({@link countMembers}) had duplicate keys.
 */
export function assertJsonDepth(text: string): number {
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x3a) members++;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > MAX_JSON_DEPTH)
        throw new HttpError(400, 'too_deep', { key: 'limits.tooDeep', values: { max: MAX_JSON_DEPTH } });
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return members;
}

/** The object members in a value parsed from JSON, at every depth. */
export function countMembers(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) for (const item of value) n += countMembers(item);
  else for (const key of Object.keys(value)) n += 1 + countMembers((value as Record<string, unknown>)[key]);
  return n;
}
