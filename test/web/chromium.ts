/**
 * What the browser tests share: Debian's Chromium (a skip with the reason on a laptop without it, a
 * failure under CI=true), and a Marco app served on a free loopback port.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

export const CHROMIUM = process.env.MARCO_CHROMIUM ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.CI === 'true')
    throw new Error(`CI=true but Chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
  console.warn(`skipping browser tests: Chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
}

/** Serves `app` on 127.0.0.1 at a free port; returns its base URL and a way to stop it. */
export async function listen(app: Hono): Promise<{ base: string; close(): Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
