/**
 * Brotli for clients that prefer it. Hono's `compress` speaks gzip and deflate only, through the web
 * `CompressionStream`, which on Node 20 has no brotli; this middleware brings Node's own zlib brotli in
 * front of it, with the same rules: a compressible type of 1 KiB and more, no encoding already, no
 * `no-transform`, not for HEAD, `Vary: Accept-Encoding`, and a strong ETag made weak. A client that
 * does not rank `br` at least as high as gzip gets Hono's gzip.
 * @module
 */
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';

const compressBrotli = promisify(brotliCompress);
const THRESHOLD = 1024;
/** Quality 5 of 11: most of brotli's gain over gzip, at gzip's speed (`npm run bench -- --only api`). */
const QUALITY = 5;

/** Whether `header` (Accept-Encoding) ranks br above zero and no lower than gzip. */
export function prefersBrotli(header: string | undefined): boolean {
  if (!header) return false;
  const accepts = parseAccept(header);
  const q = (name: string) =>
    accepts.find((a) => a.type.toLowerCase() === name)?.q ?? accepts.find((a) => a.type === '*')?.q ?? 0;
  return q('br') > 0 && q('br') >= q('gzip');
}

export function brotli(): MiddlewareHandler {
  return async function brotliMiddleware(c, next) {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type');
    if (
      c.req.method === 'HEAD' ||
      res.status === 206 ||
      res.status === 304 ||
      !res.body ||
      res.headers.has('content-encoding') ||
      !type ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) ||
      /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('cache-control') ?? '') ||
      !prefersBrotli(c.req.header('accept-encoding'))
    )
      return;
    const bytes = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    const vary = headers.get('vary');
    if (vary !== '*' && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary ?? ''))
      headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    if (bytes.byteLength < THRESHOLD) {
      c.res = new Response(bytes, { status: res.status, statusText: res.statusText, headers });
      return;
    }
    const packed = await compressBrotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    });
    headers.set('content-encoding', 'br');
    headers.delete('content-length');
    const etag = headers.get('etag');
    if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
    c.res = new Response(packed, { status: res.status, statusText: res.statusText, headers });
  };
}
