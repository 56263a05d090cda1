/**
 * Whether an error means a store cannot be reached now (the PostgreSQL server restarting, the network
 * down, every connection busy), not that the request was wrong or Marco is broken: such a request is
 * answered 503 with `Retry-After`, and the next one may succeed, since the records store's pool opens
 * new connections as soon as the server is back.
 * @module
 */

/** Node's network errors that say a server was not reached or went away. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * PostgreSQL's: class 08 (connection exception), 57P01–57P03 (the server shutting down, crashed, or
 * not yet accepting), 53300 (too many connections).
 */
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/;

/** node-postgres's own words for a connection lost or not obtained in time. */
const DRIVER =
  /^(Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error)/i;

/**
 * `port`: the records store's PostgreSQL port. A network error counts only when it names that port (a
 * connection refused or timed out on the way there): one from an SMTP server, a download or Chromium
 * is not the records store's, and stays a 500.
 */
export function isStoreOutage(error: unknown, port: number | undefined): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && SQLSTATE.test(code)) return true;
    if (
      typeof code === 'string' &&
      NETWORK.has(code) &&
      port !== undefined &&
      (e as { port?: unknown }).port === port
    )
      return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && DRIVER.test(message)) return true;
  }
  return false;
}

/** The port of a records store's location (`host:port/database`), when it is a PostgreSQL server. */
export function recordsPort(location: string, kind: string): number | undefined {
  if (kind !== 'postgres') return undefined;
  const match = /:(\d+)\//.exec(location);
  return match ? Number(match[1]) : 5432;
}
