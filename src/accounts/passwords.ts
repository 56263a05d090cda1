/**
 * Passwords: hashed with argon2id by `@node-rs/argon2` (prebuilt native binaries from npm, no build step
 * and no network at run time), at the parameters OWASP recommends for argon2id (19 MiB, 2 passes, 1
 * lane), which are the package's defaults and are written into each hash, so they can be raised later
 * without invalidating stored hashes. The policy is ASVS level 2's: at least 12 characters, up to 256,
 * any characters, no composition rules.
 * @module
 */
import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 256;

/** Argon2id, version 0x13, explicitly. */
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** What is wrong with a proposed password, as a catalog key; undefined when it is acceptable. */
export function passwordProblem(
  password: string,
): 'accounts.passwordShort' | 'accounts.passwordLong' | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD) return 'accounts.passwordShort';
  if (length > MAX_PASSWORD) return 'accounts.passwordLong';
  return undefined;
}

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

let decoy: Promise<string> | undefined;

/**
 * Whether `password` matches `stored`. Without a stored hash (an unknown user name) a decoy hash is
 * checked anyway, so a wrong user name takes as long to refuse as a wrong password.
 */
export async function passwordMatches(stored: string | undefined, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD * 4) return false;
  decoy ??= hash('decoy password that matches nothing', OPTIONS);
  const target = stored ?? (await decoy);
  const ok = await verify(target, password).catch(() => false);
  return stored !== undefined && ok;
}
