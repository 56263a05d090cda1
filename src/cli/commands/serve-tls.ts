/**
 * `marco serve --tls-cert FILE --tls-key FILE` (or `MARCO_TLS_CERT` and `MARCO_TLS_KEY`): HTTPS with no
 * reverse proxy, for a small deployment. Both files are PEM; the certificate file may carry its chain
 * after it. They are read and checked before the port is taken: a certificate that is not one, has
 * expired, or does not belong to the key stops the start with a message that names the file. On SIGHUP
 * a running server reads them again (a renewed certificate) and keeps the old pair if the new one is
 * wrong, with the reason in the log.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { CliError } from '../../error.js';

/** Where the certificate and its key are. */
export interface TlsFiles {
  cert: string;
  key: string;
}

/** The two files' contents, checked to be a current certificate and its key. */
export interface TlsPair {
  cert: Buffer;
  key: Buffer;
  /** When the certificate expires (ISO 8601). */
  validTo: string;
}

/** The files `--tls-cert` and `--tls-key` (or their variables) name, or null for plain HTTP. */
export function tlsFilesOf(opts: {
  tlsCert?: string;
  tlsKey?: string;
  env: NodeJS.ProcessEnv;
}): TlsFiles | null {
  const cert = opts.tlsCert ?? (opts.env.MARCO_TLS_CERT || undefined);
  const key = opts.tlsKey ?? (opts.env.MARCO_TLS_KEY || undefined);
  if (cert === undefined && key === undefined) return null;
  if (cert === undefined || key === undefined)
    throw new CliError({
      key: 'cli.errors.tlsPair',
      values: { given: cert === undefined ? '--tls-cert' : '--tls-key' },
    });
  return { cert, key };
}

async function contents(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new CliError({
      key: 'cli.errors.tlsRead',
      values: { file, reason: (error as NodeJS.ErrnoException).code ?? String(error) },
    });
  }
}

/** Reads and checks the pair; `now` is when the certificate must be valid. */
export async function readTls(files: TlsFiles, now = new Date()): Promise<TlsPair> {
  const [cert, key] = await Promise.all([contents(files.cert), contents(files.key)]);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new CliError({ key: 'cli.errors.tlsNotCertificate', values: { file: files.cert } });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    // PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`) or the older PEM header (`Proc-Type: 4,ENCRYPTED`).
    const encrypted =
      (error as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE' ||
      /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: *4, *ENCRYPTED/.test(key.toString('latin1'));
    throw new CliError({
      key: encrypted ? 'cli.errors.tlsKeyEncrypted' : 'cli.errors.tlsNotKey',
      values: { file: files.key },
    });
  }
  const validTo = new Date(certificate.validTo);
  const validFrom = new Date(certificate.validFrom);
  if (validTo.getTime() < now.getTime() || validFrom.getTime() > now.getTime())
    throw new CliError({
      key: 'cli.errors.tlsNotValidNow',
      values: { file: files.cert, from: validFrom.getTime(), to: validTo.getTime() },
    });
  if (!certificate.checkPrivateKey(privateKey))
    throw new CliError({ key: 'cli.errors.tlsMismatch', values: { cert: files.cert, key: files.key } });
  try {
    // What the server itself will load: the chain after the certificate, and the key's type.
    createSecureContext({ cert, key });
  } catch (error) {
    throw new CliError({
      key: 'cli.errors.tlsUnusable',
      values: { cert: files.cert, key: files.key, reason: (error as Error).message },
    });
  }
  return { cert, key, validTo: validTo.toISOString() };
}
