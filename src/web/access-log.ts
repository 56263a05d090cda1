/**
 * Request ids and the access log. Each request gets an id (the caller's `X-Request-Id` when it is a
 * plausible one, else a new UUID), answered in `X-Request-Id` and written with every log line about the
 * request; when the answer is sent, one `request` line says the method, the path (never the query,
 * which may carry a feed key), the route, the status, the milliseconds, the statistics generation and
 * the caller's address. Authentication that failed is logged by {@link logFailedAuth}, naming the
 * request, the reason and the address, never what was presented.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '../log.js';
import { clientAddress } from './client-address.js';

const ids = new WeakMap<Request, string>();

/** The id of the request `c` is answering ('' outside the access log's middleware). */
export const requestIdOf = (c: Context): string => ids.get(c.req.raw) ?? '';

const GIVEN = /^[A-Za-z0-9._:-]{8,128}$/;

export function accessLog(logger: Logger, generationHeader: string): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const id = given && GIVEN.test(given) ? given : randomUUID();
    ids.set(c.req.raw, id);
    const started = performance.now();
    try {
      await next();
    } finally {
      c.header('X-Request-Id', id);
      const generation = c.res.headers.get(generationHeader);
      logger.info(
        {
          req: {
            id,
            method: c.req.method,
            path: c.req.path,
            route: c.req.routePath,
            client: clientAddress(c),
          },
          res: { status: c.res.status },
          ms: Math.round((performance.now() - started) * 10) / 10,
          ...(generation ? { generation: Number(generation) } : {}),
        },
        'request',
      );
    }
  };
}

/** What a failed authentication was: an unknown or expired token, a wrong password, a locked account. */
export type AuthFailure =
  'unknown_token' | 'expired_token' | 'malformed_header' | 'wrong_password' | 'locked';

/**
 * Logs a failed authentication (warn): the request, the reason, the caller's address and, for a
 * password, the user name when it looks like one (a password typed into the name field is not logged).
 */
export function logFailedAuth(logger: Logger, c: Context, reason: AuthFailure, user?: string): void {
  logger.warn(
    {
      event: 'auth_failed',
      reason,
      req: { id: requestIdOf(c), method: c.req.method, path: c.req.path, client: clientAddress(c) },
      ...(user !== undefined ? { user: /^[\w.@-]{1,64}$/.test(user) ? user : '[not a user name]' } : {}),
    },
    'authentication failed',
  );
}
