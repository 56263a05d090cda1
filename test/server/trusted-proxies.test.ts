/**
 * `MARCO_TRUSTED_PROXIES`: behind a reverse proxy Marco trusts, the client is the address the proxy saw
 * (the right end of `X-Forwarded-For`, past every trusted hop); a client's own header cannot pose as
 * another, and a request that does not come from a trusted proxy keeps its socket's address. Checked
 * on a real server on loopback: the request budget counts each forwarded client on its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedProxiesConfig } from '../../src/config.js';
import { CliError } from '../../src/error.js';
import { createApp } from '../../src/server/app.js';
import { forwardedClient } from '../../src/web/client-address.js';
import { marco } from '../generations/processes.js';
import { exampleRecords } from './example-app.js';

const trust = (list: string) => trustedProxiesConfig({ MARCO_TRUSTED_PROXIES: list })!;

describe('the client behind trusted proxies', () => {
  it('reads X-Forwarded-For from its right end, past trusted hops only', () => {
    const local = trust('127.0.0.1, ::1');
    expect(forwardedClient(local, '127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    // A client sent its own header; the proxy appended the address it saw.
    expect(forwardedClient(local, '127.0.0.1', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(forwardedClient(local, '::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(forwardedClient(local, '127.0.0.1', undefined)).toBe('127.0.0.1');
    // A request that does not come from a trusted proxy keeps its socket's address.
    expect(forwardedClient(local, '192.0.2.1', '203.0.113.9')).toBe('192.0.2.1');
    // Two proxies: the public one (10.1.2.3) in front of the local one.
    const two = trust('127.0.0.1,10.0.0.0/8');
    expect(forwardedClient(two, '127.0.0.1', '198.51.100.1, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
    expect(forwardedClient(two, '127.0.0.1', '10.9.9.9, 10.1.2.3')).toBe('10.9.9.9');
    // A hop that is no address ends the chain at the last one a trusted proxy vouched for.
    expect(forwardedClient(two, '127.0.0.1', 'unknown, 10.1.2.3')).toBe('10.1.2.3');
    expect(forwardedClient(two, '127.0.0.1', '::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('refuses a setting that is not addresses and ranges, in English and Spanish', () => {
    expect(trustedProxiesConfig({})).toBeUndefined();
    for (const bad of ['proxy.internal', '10.0.0.0/33', '::1/129', '10.0.0.1/8/1', '127.0.0.1,']) {
      let error: unknown;
      try {
        trustedProxiesConfig({ MARCO_TRUSTED_PROXIES: bad });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(CliError);
      expect((error as CliError).messageIn('en')).toMatch(
        /^MARCO_TRUSTED_PROXIES: ".*" is neither an IP address/,
      );
      expect((error as CliError).messageIn('es')).toMatch(/no es una dirección IP ni un rango CIDR/);
    }
  });

  it('stops `marco serve` on a wrong setting, before the port is taken', async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), 'marco-proxies-'));
    try {
      const { DATABASE_URL: _d, ...env } = process.env;
      const run = await marco(
        { ...env, LANG: 'es_MX.UTF-8', MARCO_TRUSTED_PROXIES: '10.0.0.0/40' },
        data,
        'serve',
        '--port',
        '0',
      );
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(
        'MARCO_TRUSTED_PROXIES: "10.0.0.0/40" no es una dirección IP ni un rango CIDR',
      );
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });

  describe('on a real server', () => {
    let store: Awaited<ReturnType<typeof exampleRecords>>;
    const servers: ServerType[] = [];
    const start = async (trusted: string | undefined) => {
      const app = createApp({
        store,
        version: 'test',
        limits: { requestsPerMinute: 2 },
        ...(trusted ? { trustedProxies: trust(trusted) } : {}),
      });
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      servers.push(server);
      await new Promise((resolve) => server.once('listening', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const statuses = async (base: string, forwardedFor: string, n: number) => {
      const seen: number[] = [];
      for (let i = 0; i < n; i++) {
        const res = await fetch(`${base}/api/v1/organisations`, {
          headers: { 'x-forwarded-for': forwardedFor },
        });
        await res.arrayBuffer();
        seen.push(res.status);
      }
      return seen;
    };
    beforeAll(async () => {
      store = await exampleRecords('pglite');
    });
    afterAll(async () => {
      for (const server of servers) await new Promise((resolve) => server.close(resolve));
      await store?.dispose();
    });

    it('gives each forwarded client its own budget behind a trusted proxy', async () => {
      const base = await start('127.0.0.1');
      expect(await statuses(base, '203.0.113.1', 3)).toEqual([200, 200, 429]);
      // Another client behind the same proxy has a budget of its own.
      expect(await statuses(base, '203.0.113.2', 2)).toEqual([200, 200]);
      // Sending a header naming someone else does not help: the proxy's hop is what counts.
      expect(await statuses(base, '203.0.113.3, 203.0.113.1', 1)).toEqual([429]);
    });

    it('ignores the header from an address it does not trust', async () => {
      const base = await start('10.0.0.0/8');
      expect(await statuses(base, '203.0.113.1', 2)).toEqual([200, 200]);
      expect(await statuses(base, '203.0.113.2', 1)).toEqual([429]);
    });
  });
});
