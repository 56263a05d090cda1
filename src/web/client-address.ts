/**
 * Who is at the other end of a request: the client's address as the socket saw it, or, behind a reverse
 * proxy Marco is told to trust (`MARCO_TRUSTED_PROXIES`), the address the proxy saw, from
 * `X-Forwarded-For`. The header is read from its right end: each address a trusted proxy added is
 * skipped, and the first one no trusted proxy stands for is the client. A client cannot pose as another
 * by sending its own header, since the proxy appends what it saw after it; and a request that does not
 * come from a trusted proxy keeps its socket's address whatever its header says. The address is used
 * for the request budget, the failed-authentication budget, the access log and audited imports.
 * @module
 */
import { isIP, type BlockList } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';

const RESOLVED = 'marcoClientAddress';

/** `::ffff:10.0.0.1` (an IPv4 client on an IPv6 socket) as `10.0.0.1`. */
const plain = (address: string) =>
  /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;

function socketAddress(c: Context): string | undefined {
  try {
    const address = getConnInfo(c).remote.address;
    return address === undefined ? undefined : plain(address);
  } catch {
    return undefined;
  }
}

/** The client's address, or undefined in process (tests call `app.request`). */
export function clientAddress(c: Context): string | undefined {
  return (c.get as (key: string) => string | undefined)(RESOLVED) ?? socketAddress(c);
}

/** Whether `address` is one of `trusted`. */
function isTrusted(trusted: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The client behind trusted proxies, from the socket's address and the `X-Forwarded-For` header. */
export function forwardedClient(trusted: BlockList, socket: string, header: string | undefined): string {
  if (!isTrusted(trusted, socket)) return socket;
  let client = socket;
  const hops = (header ?? '').split(',').map((hop) => plain(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A hop that is no address ends the chain: the last address a trusted proxy vouched for stands.
    if (isIP(hop) === 0) break;
    client = hop;
    if (!isTrusted(trusted, hop)) break;
  }
  return client;
}

/** Resolves each request's client through `trusted` proxies. */
export function forwardedClients(trusted: BlockList): MiddlewareHandler {
  return async function forwardedClientsMiddleware(c, next) {
    const socket = socketAddress(c);
    if (socket !== undefined)
      (c.set as (key: string, value: string) => void)(
        RESOLVED,
        forwardedClient(trusted, socket, c.req.header('x-forwarded-for')),
      );
    await next();
  };
}
