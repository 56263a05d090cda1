/**
 * Conditional requests on versioned records (RFC 9110 §13): a record's answer carries a strong `ETag`
 * made of its version (`"v3"`), `If-None-Match` with it answers 304, and a write that sends `If-Match`
 * happens only while the record is still at that version, else 412 Precondition Failed and nothing
 * changes. The version in the body and the one in `If-Match` must agree.
 * @module
 */
import type { Context } from 'hono';
import { ConflictError, HttpError } from '../error.js';

/** The entity tag of a record at `version`. */
export const versionTag = (version: number) => `"v${version}"`;

/** What `If-Match` asks: a version, any current record (`*`), or nothing (no header). */
export type IfMatch = { version: number } | 'any' | undefined;

/**
 * `If-Match` of the request: a single `"vN"` tag or `*`; anything else is refused with 400. The weak form
 * `W/"vN"` is taken too: compression weakens the tag a client received, and a version tag is exact.
 */
export function ifMatchOf(c: Context): IfMatch {
  const header = c.req.header('if-match')?.trim();
  if (header === undefined || header === '') return undefined;
  if (header === '*') return 'any';
  // A compressed answer's tag is weakened on the way out (W/"v3"); it still names the version.
  const m = /^(?:W\/)?"v([1-9]\d{0,9})"$/.exec(header);
  if (!m) throw new HttpError(400, 'invalid_input', { key: 'http.ifMatchMalformed', values: { header } });
  return { version: Number(m[1]) };
}

/** Refuses a write whose body `version` differs from the version `If-Match` names. */
export function checkIfMatch(ifMatch: IfMatch, body: unknown): void {
  if (ifMatch === undefined || ifMatch === 'any') return;
  const sent = (body as { version?: unknown } | undefined)?.version;
  if (sent !== undefined && sent !== ifMatch.version)
    throw new HttpError(412, 'precondition_failed', {
      key: 'http.ifMatchDisagrees',
      values: { tag: versionTag(ifMatch.version), version: String(sent) },
    });
}

/** A stale-version conflict under `If-Match` is the precondition failing: 412, not 409. */
export function asPreconditionFailure(ifMatch: IfMatch, error: unknown): unknown {
  if (ifMatch === undefined || !(error instanceof ConflictError)) return error;
  return new HttpError(412, 'precondition_failed', {
    key: 'http.preconditionFailed',
    values: { tag: versionTag(error.actual), expected: versionTag(error.expected) },
  });
}
