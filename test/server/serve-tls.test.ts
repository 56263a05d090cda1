/**
 * `marco serve --tls-cert --tls-key`: certificates made here with openssl. A wrong pair (a missing file,
 * files swapped, a key of another certificate, an encrypted key, a certificate not valid today, one flag
 * without the other) stops the start with a message naming the file, in English and Spanish. A right
 * pair serves HTTPS only, with HSTS and Secure cookies; SIGHUP loads a renewed certificate, and a broken
 * renewal leaves the old one serving. With `--workers 2` the primary passes SIGHUP to every worker.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTls, tlsFilesOf } from '../../src/cli/commands/serve-tls.js';
import { CliError } from '../../src/error.js';
import { SERVER_URL, freshDatabase } from '../generations/postgres-database.js';
import { deploymentEnv, marco, startServer, type Server } from '../generations/processes.js';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasOpenssl && process.env.CI === 'true') throw new Error('openssl is missing: .ci/run installs it');

/** A self-signed certificate for 127.0.0.1 and its key, in `dir` under `name`. */
function certificate(dir: string, name: string, extra: string[] = []) {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
      ...extra,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** A GET over HTTPS trusting only `ca`: the status, headers and the certificate the server showed. */
function get(base: string, ca: Buffer, pathname = '/healthz') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; fingerprint: string }>(
    (resolve, reject) => {
      const req = https.get(`${base}${pathname}`, { ca, agent: false }, (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, fingerprint }));
      });
      req.on('error', reject);
    },
  );
}

const fingerprintOf = async (file: string) => new X509Certificate(await readFile(file)).fingerprint256;

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
};

(hasOpenssl ? describe : describe.skip)('serving HTTPS', () => {
  let dir: string;
  let first: { cert: string; key: string };
  let second: { cert: string; key: string };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-tls-'));
    first = certificate(dir, 'first');
    second = certificate(dir, 'second');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('the certificate and key, checked before the port is taken', () => {
    it('takes both flags, or both variables, or neither', () => {
      expect(tlsFilesOf({ env: {} })).toBeNull();
      expect(tlsFilesOf({ tlsCert: 'a.crt', tlsKey: 'a.key', env: {} })).toEqual({
        cert: 'a.crt',
        key: 'a.key',
      });
      expect(tlsFilesOf({ env: { MARCO_TLS_CERT: 'b.crt', MARCO_TLS_KEY: 'b.key' } })).toEqual({
        cert: 'b.crt',
        key: 'b.key',
      });
      const alone = (() => {
        try {
          tlsFilesOf({ tlsCert: 'a.crt', env: {} });
        } catch (error) {
          return error as CliError;
        }
      })();
      expect(alone?.messageIn('en')).toMatch(/^--tls-key is missing: --tls-cert and --tls-key go together/);
      expect(alone?.messageIn('es')).toMatch(/^falta --tls-key: --tls-cert y --tls-key van juntos/);
    });

    it('reads a right pair and says when it expires', async () => {
      const pair = await readTls(first);
      expect(pair.cert.toString()).toContain('BEGIN CERTIFICATE');
      const days = (Date.parse(pair.validTo) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(1.9);
      expect(days).toBeLessThan(2.1);
    });

    it('refuses each wrong pair, naming the file and what to give instead', async () => {
      const missing = path.join(dir, 'nowhere.crt');
      const cases: [() => Promise<unknown>, RegExp, RegExp][] = [
        [
          () => readTls({ cert: missing, key: first.key }),
          /cannot read .*nowhere\.crt \(ENOENT\)/,
          /no se puede leer .*nowhere\.crt/,
        ],
        [
          () => readTls({ cert: first.key, key: first.key }),
          /first\.key holds no PEM certificate/,
          /first\.key no contiene un certificado PEM/,
        ],
        [
          () => readTls({ cert: first.cert, key: first.cert }),
          /first\.crt holds no PEM private key/,
          /first\.crt no contiene una clave privada PEM/,
        ],
        [
          () => readTls({ cert: first.cert, key: second.key }),
          /the key in .*second\.key does not belong to the certificate in .*first\.crt/,
          /la clave de .*second\.key no corresponde al certificado de .*first\.crt/,
        ],
        [
          () => readTls(first, new Date(Date.now() + 5 * 86_400_000)),
          /the certificate in .*first\.crt is valid from .* to .*, not today: renew it/,
          /el certificado de .*first\.crt es válido del .* al .*, no hoy: renuévelo/,
        ],
      ];
      for (const [attempt, en, es] of cases) {
        const error = await refusal(attempt());
        expect(error.messageIn('en')).toMatch(en);
        expect(error.messageIn('es')).toMatch(es);
      }
    });

    it('refuses an encrypted key, with the command that decrypts it', async () => {
      const encrypted = path.join(dir, 'encrypted.key');
      execFileSync('openssl', [
        'pkey',
        '-in',
        first.key,
        '-aes256',
        '-passout',
        'pass:secret',
        '-out',
        encrypted,
      ]);
      const error = await refusal(readTls({ cert: first.cert, key: encrypted }));
      expect(error.messageIn('en')).toMatch(
        /encrypted\.key is an encrypted private key: .*openssl pkey -in .*encrypted\.key/,
      );
      expect(error.messageIn('es')).toMatch(/encrypted\.key es una clave privada cifrada/);
    });

    it('stops `marco serve` before anything is made, with a non-zero exit', async () => {
      const data = await mkdtemp(path.join(os.tmpdir(), 'marco-tls-data-'));
      try {
        const { DATABASE_URL: _d, ...env } = process.env;
        const serve = (lang: string, ...tls: string[]) =>
          marco({ ...env, LANG: lang }, data, 'serve', '--port', '0', ...tls);
        const es = await serve('es_MX.UTF-8', '--tls-cert', first.cert);
        expect(es.code).not.toBe(0);
        expect(es.stderr).toContain('falta --tls-key');
        const en = await serve('en_US.UTF-8', '--tls-cert', first.cert, '--tls-key', second.key);
        expect(en.code).not.toBe(0);
        expect(en.stderr).toMatch(/does not belong to the certificate/);
        // Nothing was made in the data directory.
        expect(execFileSync('ls', ['-A', data], { encoding: 'utf8' }).trim()).toBe('');
      } finally {
        await rm(data, { recursive: true, force: true });
      }
    });
  });

  describe('one process on the embedded stores', () => {
    let data: string;
    let live: { cert: string; key: string };
    let server: Server;
    beforeAll(async () => {
      data = await mkdtemp(path.join(os.tmpdir(), 'marco-tls-data-'));
      live = { cert: path.join(dir, 'live.crt'), key: path.join(dir, 'live.key') };
      await copyFile(first.cert, live.cert);
      await copyFile(first.key, live.key);
      const { DATABASE_URL: _d, MARCO_STATISTICS: _s, ...env } = process.env;
      server = await startServer(
        { ...env, MARCO_LOG_LEVEL: 'info', LANG: 'en_US.UTF-8' },
        data,
        '--tls-cert',
        live.cert,
        '--tls-key',
        live.key,
      );
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
      if (data) await rm(data, { recursive: true, force: true });
    });

    it('serves HTTPS with HSTS and Secure cookies, and no plain HTTP', async () => {
      expect(server.base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = await readFile(first.cert);
      const health = await get(server.base, ca);
      expect(health.status).toBe(200);
      expect(health.fingerprint).toBe(await fingerprintOf(first.cert));
      expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      const login = await get(server.base, ca, '/login?lang=en');
      expect(login.status).toBe(200);
      expect(String(login.headers['set-cookie'])).toMatch(/marco_form=[^;]+;.*Secure/);
      // The same port spoken to in plain HTTP gets no page.
      const plain = await new Promise<string>((resolve) => {
        const req = http.get(server.base.replace('https:', 'http:') + '/healthz', (res) => {
          res.resume();
          resolve(`status ${res.statusCode}`);
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(plain).not.toBe('status 200');
      // A client that does not trust the certificate is refused by its own TLS check.
      await expect(get(server.base, Buffer.from(await readFile(second.cert)))).rejects.toThrow(
        /self[- ]signed|unable to verify/i,
      );
    });

    it('loads a renewed certificate on SIGHUP, and keeps the old one when the new one is broken', async () => {
      const firstCa = await readFile(first.cert);
      const secondCa = await readFile(second.cert);
      await copyFile(second.cert, live.cert);
      await copyFile(second.key, live.key);
      server.child.kill('SIGHUP');
      const want = await fingerprintOf(second.cert);
      let shown = '';
      for (let i = 0; i < 50 && shown !== want; i++) {
        await new Promise((r) => setTimeout(r, 100));
        shown = (await get(server.base, secondCa).catch(() => ({ fingerprint: '' }))).fingerprint;
      }
      expect(shown).toBe(want);
      expect(server.log()).toMatch(/certificate reloaded/);
      await expect(get(server.base, firstCa)).rejects.toThrow();

      // A renewal half-written: the key of another certificate. The server goes on with the one it has.
      await copyFile(first.key, live.key);
      server.child.kill('SIGHUP');
      for (let i = 0; i < 50 && !/certificate not reloaded/.test(server.log()); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(server.log()).toMatch(/certificate not reloaded; the previous one still serves/);
      expect(server.log()).toMatch(/does not belong to the certificate/);
      expect((await get(server.base, secondCa)).fingerprint).toBe(want);
      expect(server.child.exitCode).toBeNull();
    });
  });

  (SERVER_URL ? describe : describe.skip)('marco serve --workers 2', () => {
    let data: string;
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let live: { cert: string; key: string };
    let server: Server;
    beforeAll(async () => {
      data = await mkdtemp(path.join(os.tmpdir(), 'marco-tls-workers-'));
      db = await freshDatabase();
      live = { cert: path.join(dir, 'workers.crt'), key: path.join(dir, 'workers.key') };
      await copyFile(first.cert, live.cert);
      await copyFile(first.key, live.key);
      server = await startServer(
        deploymentEnv(db.url, { MARCO_TLS_CERT: live.cert, MARCO_TLS_KEY: live.key }),
        data,
        '--workers',
        '2',
      );
    }, 180_000);
    afterAll(async () => {
      await server?.stop();
      await db?.drop();
      if (data) await rm(data, { recursive: true, force: true });
    });

    it('passes SIGHUP to every worker', async () => {
      expect(server.base).toMatch(/^https:/);
      const firstCa = await readFile(first.cert);
      expect((await get(server.base, firstCa)).status).toBe(200);
      await writeFile(live.cert, await readFile(second.cert));
      await writeFile(live.key, await readFile(second.key));
      server.child.kill('SIGHUP');
      const secondCa = await readFile(second.cert);
      const want = await fingerprintOf(second.cert);
      // Each request is a new connection, which the primary hands to the workers in turn: after the
      // reload, ten in a row all show the new certificate.
      let shown: string[] = [];
      for (let round = 0; round < 50; round++) {
        await new Promise((r) => setTimeout(r, 100));
        shown = await Promise.all(
          Array.from({ length: 10 }, () =>
            get(server.base, secondCa).then(
              (r) => r.fingerprint,
              () => 'old',
            ),
          ),
        );
        if (shown.every((f) => f === want)) break;
      }
      expect(shown).toEqual(Array(10).fill(want));
    });
  });
});
