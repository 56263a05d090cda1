/**
 * Webhook signatures. Each call carries `X-Marco-Timestamp` (Unix seconds) and `X-Marco-Signature:
 * sha256=<hex>`, the HMAC-SHA256, under the webhook's secret, of the timestamp, a dot and the exact body.
 * A receiver recomputes it, compares in constant time, and refuses old timestamps (replays).
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new webhook secret: 32 random bytes, as base64url (43 characters). */
export const newWebhookSecret = (): string => randomBytes(32).toString('base64url');

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Whether `signature` is the right one for `body` at `timestamp`, and the timestamp within `toleranceSeconds`
 * of `now` (what a receiver does; the tests check Marco's calls with it).
 */
export function verifyWebhook(
  secret: string,
  timestamp: number,
  body: string,
  signature: string,
  now = Date.now(),
  toleranceSeconds = 300,
): boolean {
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
