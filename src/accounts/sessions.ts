/**
 * Signing in and out of the web pages, and the session rules:
 *
 * - a session cookie is 32 random bytes; the records store keeps only its SHA-256 hash;
 * - a session ends after {@link SESSION_POLICY}.idleMs without a request, and at the latest
 *   {@link SESSION_POLICY}.absoluteMs after sign-in, whatever its use;
 * - {@link SESSION_POLICY}.lockAfter wrong passwords in a row lock the account for
 *   {@link SESSION_POLICY}.lockMs (audited); a locked account is refused without checking its password;
 * - every form a signed-in page shows carries a CSRF token, an HMAC of a constant under the session's
 *   own secret, checked in constant time.
 * @module
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RecordsStore } from '../records/database.js';
import {
  endSession,
  findSession,
  startSession,
  touchSession,
  type OpenSession,
} from '../records/session-repository.js';
import { recordFailedSignIn, userForSignIn } from '../records/user-repository.js';
import { passwordMatches } from './passwords.js';

export const SESSION_POLICY = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  lockAfter: 5,
  lockMs: 15 * 60_000,
  /** The idle clock is written at most once a minute, so reading pages does not become a write each. */
  touchMs: 60_000,
};

const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

export type SignInOutcome =
  | { ok: true; cookie: string; sessionId: number }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; until: string };

/**
 * Checks a user name and password and, when they match an enabled, unlocked account, starts a session.
 * A wrong password counts towards the lockout; an unknown or disabled user is refused exactly like a
 * wrong password (and takes as long).
 */
export async function signIn(
  store: RecordsStore,
  attempt: { user: string; password: string; client: string | null },
  now: () => Date = () => new Date(),
): Promise<SignInOutcome> {
  const user = await userForSignIn(store, attempt.user);
  if (user?.locked_until && Date.parse(user.locked_until) > now().getTime())
    return { ok: false, reason: 'locked', until: user.locked_until };
  const matches = await passwordMatches(user?.password_hash, attempt.password);
  if (!user || user.disabled_at !== null) return { ok: false, reason: 'wrong' };
  if (!matches) {
    const { lockedUntil } = await recordFailedSignIn(store, user.id, SESSION_POLICY, now);
    return lockedUntil ? { ok: false, reason: 'locked', until: lockedUntil } : { ok: false, reason: 'wrong' };
  }
  const cookie = randomBytes(32).toString('base64url');
  const sessionId = await startSession(
    store,
    {
      userId: user.id,
      userName: user.user_name,
      tokenHash: digest(cookie),
      csrfSecret: randomBytes(32).toString('base64url'),
      client: attempt.client,
      absoluteMs: SESSION_POLICY.absoluteMs,
    },
    now,
  );
  return { ok: true, cookie, sessionId };
}

/**
 * The open session a cookie names, or why there is none: `idle` or `expired` when it has just run out
 * (it is then ended, audited), undefined when the cookie names no open session.
 */
export async function sessionFromCookie(
  store: RecordsStore,
  cookie: string,
  now: () => Date = () => new Date(),
  options: { unread?: boolean } = {},
): Promise<OpenSession | { ended: 'idle' | 'expired' } | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(cookie)) return undefined;
  const session = await findSession(store, digest(cookie), options);
  if (!session) return undefined;
  const at = now();
  const ended =
    Date.parse(session.expiresAt) <= at.getTime()
      ? 'expired'
      : at.getTime() - Date.parse(session.lastSeenAt) >= SESSION_POLICY.idleMs
        ? 'idle'
        : undefined;
  if (ended) {
    await endSession(store, session.id, ended, session.official.user, now);
    return { ended };
  }
  if (at.getTime() - Date.parse(session.lastSeenAt) >= SESSION_POLICY.touchMs)
    await touchSession(store, session.id, at);
  return session;
}

/** Ends the session (audited). */
export const signOut = (store: RecordsStore, session: OpenSession, now?: () => Date): Promise<void> =>
  endSession(store, session.id, 'signed out', session.official.user, now);

/** The CSRF token of a session's forms. */
export const csrfToken = (session: Pick<OpenSession, 'csrfSecret'>): string =>
  createHmac('sha256', session.csrfSecret).update('marco form').digest('base64url');

/** Whether two tokens are equal, in constant time (for CSRF tokens). */
export function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fresh random value for the sign-in form's own CSRF cookie (before any session exists). */
export const newFormToken = (): string => randomBytes(32).toString('base64url');
