/**
 * The deployment's Ed25519 key that signs each audit entry's hash (`node:crypto`). It lives in the data
 * directory as `audit-signing-key.pem` (mode 0600), created on first open; several server processes on
 * one PostgreSQL share it by sharing the file, or by `MARCO_AUDIT_KEY_FILE`. Its public key is
 * published (`GET /api/v1/audit/head`), so the counterpart country can check every signature without
 * being able to sign. A store opened in memory signs with a key of its own, for its lifetime.
 * @module
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface AuditSigner {
  /** The public key, SPKI PEM. */
  publicKeyPem: string;
  /** The Ed25519 signature of `hash` (hex text), base64. */
  sign(hash: string): string;
}

export const AUDIT_KEY_FILE = 'audit-signing-key.pem';

function signerOf(key: KeyObject): AuditSigner {
  const publicKeyPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  return { publicKeyPem, sign: (hash) => sign(null, Buffer.from(hash, 'utf8'), key).toString('base64') };
}

// Parsing a PEM costs more than checking a signature: each public key is parsed once.
const publicKeys = new Map<string, KeyObject>();
const publicKey = (pem: string): KeyObject => {
  let key = publicKeys.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    if (publicKeys.size > 100) publicKeys.clear();
    publicKeys.set(pem, key);
  }
  return key;
};

/** Whether `signature` is `hash` signed by the key whose public half is `publicKeyPem`. */
export function verifySignature(publicKeyPem: string, hash: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(hash, 'utf8'), publicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** A signer with a fresh key, kept in memory only. */
export function ephemeralSigner(): AuditSigner {
  return signerOf(generateKeyPairSync('ed25519').privateKey);
}

/**
 * The signer of the key in `file`, creating the key when the file does not exist. The new key is written
 * to a temporary file and linked into place, so two processes starting at once end with one key.
 */
export async function fileSigner(file: string): Promise<AuditSigner> {
  try {
    return signerOf(createPrivateKey(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, pem, { mode: 0o600 });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  return signerOf(createPrivateKey(await readFile(file, 'utf8')));
}
