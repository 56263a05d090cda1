/**
 * What a web page declares (its method, path and permission) and what its handler receives.
 * @module
 */
import type { Logger } from '../log.js';
import type { Context } from 'hono';
import type { Permission } from '../access/permissions.js';
import type { NetworkAccess } from '../config.js';
import type { RecordsStore } from '../records/database.js';
import type { OpenSession } from '../records/session-repository.js';
import type { StatsStore } from '../stats/stats-store.js';
import type { Reader } from './reader.js';

/** What a page handler gets: the stores, the reader (language, URL, rights, session) and the clock. */
export interface PageContext {
  c: Context;
  store: RecordsStore;
  stats: StatsStore | undefined;
  reader: Reader;
  /** The open session, when the reader is signed in. */
  session?: OpenSession | undefined;
  /** The clock; injected in tests. */
  now?: (() => Date) | undefined;
  /** The client's address, for the session record (undefined in process). */
  client: string | undefined;
  /** Whether this server sends e-mail (an SMTP server is configured). */
  mailConfigured?: boolean | undefined;
  /** The folder of background jobs' outputs, when this server runs a worker (reports are made there). */
  jobsDir?: string | undefined;
  /** Who may see criminal groups' detail, as the deployment sets it. */
  networks?: NetworkAccess | undefined;
  /** The operations log (failed sign-ins). */
  log?: Logger | undefined;
}

/** A page: its method (GET unless said), path (Hono syntax), the permission it needs, and its handler. */
export interface PageRoute {
  method?: 'get' | 'post';
  path: string;
  permission: Permission;
  /** The largest body a post may send, when larger than a plain form's (a form with files). */
  maxBody?: number;
  handle(ctx: PageContext): Promise<Response>;
}
