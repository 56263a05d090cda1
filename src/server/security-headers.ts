/**
 * The headers every response carries, pages, API answers, downloads and errors alike, set by Hono's
 * maintained `secureHeaders` middleware:
 *
 * - `Content-Security-Policy`: nothing may load but Marco's own stylesheet and images; no script at all
 *   (`script-src 'none'`), no inline style, forms post to Marco only, and no other site may frame a page
 *   (`frame-ancestors 'none'`); a download (`Content-Disposition: attachment`) is also `sandbox`ed;
 * - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: same-origin`, and
 *   cross-origin isolation of windows and resources;
 * - `Strict-Transport-Security`, only on a response served over TLS (a browser ignores it otherwise, and
 *   sending it over plain HTTP from a laptop would only mislead).
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** The Content-Security-Policy, as directives; `docs/security.md` explains each one. */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(): MiddlewareHandler {
  const common = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    strictTransportSecurity: false,
  });
  return async (c, next) => {
    await common(c, next);
    // A download (evidence files, CSV) is sandboxed too: were a browser ever to render one, it would be
    // an opaque origin with no script, no forms and no access to Marco's cookies.
    const policy = c.res.headers.get('Content-Security-Policy');
    if (policy && c.res.headers.get('Content-Disposition')?.startsWith('attachment'))
      c.res.headers.set('Content-Security-Policy', `${policy}; sandbox`);
    if (new URL(c.req.url).protocol === 'https:') c.res.headers.set('Strict-Transport-Security', HSTS);
  };
}
