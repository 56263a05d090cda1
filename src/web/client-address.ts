/**
 * Who is at the other end of a request: the client's address as the socket saw it.
 * @module
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The client's address, or undefined in process (tests call `app.request`). */
export function clientAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
