/**
 * Content negotiation (RFC 9110 §12): a read answers JSON, or CSV where the route has a CSV form, or
 * GeoJSON where it has one, as the client's `Accept` ranks them, or as a `.csv` path asks. A client that
 * accepts none of the forms a route has gets 406 naming them.
 * @module
 */
import type { Context } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { HttpError } from '../error.js';

export type Format = 'json' | 'csv' | 'geojson' | 'parquet' | 'xml';

export const MEDIA_TYPES: Record<Format, string> = {
  json: 'application/json',
  csv: 'text/csv',
  geojson: 'application/geo+json',
  parquet: 'application/vnd.apache.parquet',
  xml: 'application/xml',
};

/** Whether the Accept range `range` (`text/*`, `*\/*`, a type) covers `media`. */
function covers(range: string, media: string): boolean {
  const [type, sub] = range.toLowerCase().split('/');
  const [mType, mSub] = media.split('/');
  return (type === '*' || type === mType) && (sub === '*' || sub === mSub);
}

/**
 * The form of the answer: `forced` (a `.csv` path), else the first of `offers` the client ranks highest;
 * JSON without an `Accept`. Refused with 406 when the client accepts none of them.
 */
export function negotiate(c: Context, offers: readonly Format[], forced?: Format): Format {
  if (forced) return forced;
  const header = c.req.header('accept');
  if (!header || header.trim() === '') return 'json';
  const ranges = parseAccept(header).filter((a) => a.q > 0);
  // Most specific first, then by quality: `text/csv;q=0.9` beats `*/*;q=1`'s JSON only on quality.
  let best: { format: Format; q: number; specificity: number } | undefined;
  for (const format of offers) {
    const media = MEDIA_TYPES[format];
    // A problem is JSON too: a client that asks for problems gets JSON answers.
    const alias = format === 'json' ? [media, 'application/problem+json'] : [media];
    for (const r of ranges) {
      if (!alias.some((m) => covers(r.type, m))) continue;
      const specificity = r.type === '*/*' ? 0 : r.type.endsWith('/*') ? 1 : 2;
      if (!best || r.q > best.q || (r.q === best.q && specificity > best.specificity))
        best = { format, q: r.q, specificity };
    }
  }
  if (best) return best.format;
  throw new HttpError(406, 'not_acceptable', {
    key: 'http.notAcceptable',
    values: { accept: header, offers: offers.map((f) => MEDIA_TYPES[f]).join(', ') },
  });
}
