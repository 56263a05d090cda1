/**
 * Rendered pages, kept and revalidated. A page anonymous readers get is the same for all of them, so its
 * HTML is kept under its route and query, its language, the viewer class (`anonymous`), the set of
 * state of the statistics store (its vintages in force, renewed by every import and rollback) and the records version (the hash of the audit log's last entry): any write or import
 * changes one of the last two, so a kept page is never served stale, and old entries simply age out of
 * the LRU. Signed-in readers' pages carry their session's CSRF token and unread count and are rendered
 * each time. Every HTML page, kept or not, carries an `ETag`, and a matching `If-None-Match` is
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
  body: string;
  etag: string;
  type: string;
}

export type PageCache = LRUCache<string, Kept>;

/** A cache of at most `maxBytes` of HTML (64 MiB by default). */
export function createPageCache(maxBytes = 64 * 1024 * 1024): PageCache {
  return new LRUCache<string, Kept>({ maxSize: maxBytes, sizeCalculation: (k) => k.body.length * 2 + 200 });
}

/** The key of an anonymous reader's page. */
export async function pageKey(
  c: Context,
  locale: string,
  store: RecordsStore,
  stats: StatsStore | undefined,
): Promise<string> {
  const url = new URL(c.req.url);
  const [records, vintages] = await Promise.all([recordsVersion(store), vintageSet(stats)]);
  return [`${url.pathname}${url.search}`, locale, 'anonymous', vintages, records].join('\u0000');
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
  key: string | null,
  render: () => Promise<Response>,
): Promise<Response> {
  const hit = key === null ? undefined : cache.get(key);
  if (hit) return answer(c, hit);
  const res = await render();
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || !type.startsWith('text/html') || res.headers.has('cache-control')) return res;
  const body = await res.text();
  const kept = { body, etag: etagOf(body), type };
  if (key !== null) cache.set(key, kept);
  res.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'content-type') c.header(name, value);
  });
  return answer(c, kept);
}
