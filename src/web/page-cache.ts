/**
 * Rendered pages, kept and revalidated. A page anonymous readers get is the same for all of them, so its
 * HTML is kept under its route and query, its language and the viewer class (`anonymous`), stamped with
 * the state it was rendered from: the statistics store's vintages in force (renewed by every import and
 * rollback) and the records version (the hash of the audit log's last entry). A kept page whose stamp is
 * not the current state is never served: it is rendered again and takes its old place, so a busy
 * deployment's writes do not fill the cache with pages of states that are gone (one entry per page, not
 * one per page and write). Signed-in readers' pages carry their session's CSRF token and unread count and
 * are rendered each time. Every HTML page, kept or not, carries an `ETag`, and a matching `If-None-Match` is
 * answered 304 with no body.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { LRUCache } from 'lru-cache';
import type { RecordsStore } from '../records/database.js';
import type { StatsStore } from '../stats/stats-store.js';
import { recordsVersion } from '../records/records-version.js';
import { vintageSet } from '../stats/stats-state.js';

interface Kept {
  /** The state the page was rendered from (vintages in force and records version). */
  state: string;
  body: string;
  etag: string;
  type: string;
}

export type PageCache = LRUCache<string, Kept>;

/** A cache of at most `maxBytes` of HTML (64 MiB by default). */
export function createPageCache(maxBytes = 64 * 1024 * 1024): PageCache {
  return new LRUCache<string, Kept>({
    maxSize: maxBytes,
    sizeCalculation: (k) => (k.body.length + k.state.length) * 2 + 200,
  });
}

/** Where an anonymous reader's page is kept, and the state it must have been rendered from. */
export interface PageKey {
  page: string;
  state: string;
}

/** The key of an anonymous reader's page. */
export async function pageKey(
  c: Context,
  locale: string,
  store: RecordsStore,
  stats: StatsStore | undefined,
): Promise<PageKey> {
  const url = new URL(c.req.url);
  const [records, vintages] = await Promise.all([recordsVersion(store), vintageSet(stats)]);
  return {
    page: [`${url.pathname}${url.search}`, locale, 'anonymous'].join('\u0000'),
    state: [vintages, records].join('\u0000'),
  };
}

const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** Whether the request's `If-None-Match` names `etag`. */
const matches = (c: Context, etag: string) =>
  (c.req.header('if-none-match') ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');

function answer(c: Context, kept: Kept): Response {
  c.header('ETag', kept.etag);
  // Browsers keep the page but ask each time; the answer is a 304 while nothing changed.
  c.header('Cache-Control', 'no-cache');
  if (matches(c, kept.etag)) return c.body(null, 304);
  c.header('Content-Type', kept.type);
  return c.body(kept.body, 200);
}

/**
 * Answers a GET page from `cache` under `key` (null: not kept, as for a signed-in reader), rendering it
 * with `render` when it is not there. Only a 200 HTML answer is kept; any answer of HTML gets an ETag.
 */
export async function servePage(
  c: Context,
  cache: PageCache,
  key: PageKey | null,
  render: () => Promise<Response>,
): Promise<Response> {
  const kept = key === null ? undefined : cache.get(key.page);
  if (key !== null && kept !== undefined && kept.state === key.state) return answer(c, kept);
  const res = await render();
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || !type.startsWith('text/html') || res.headers.has('cache-control')) return res;
  const body = await res.text();
  const fresh = { state: key?.state ?? '', body, etag: etagOf(body), type };
  // The newer page takes the place of one of a state that is gone.
  if (key !== null) cache.set(key.page, fresh);
  res.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'content-type') c.header(name, value);
  });
  return answer(c, fresh);
}
