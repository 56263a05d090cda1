/**
 * PostgreSQL restarted under two `marco serve` processes with statistics generations (played by a TCP
 * relay in front of the test server: every connection reset, new ones refused, then accepted again).
 * Meanwhile each process answers the API 503 with `Retry-After` and `/readyz` 503, while `/healthz`
 * stays 200 (the process lives). Once the server is back, both answer 200 with no restart of Marco,
 * and their LISTEN connections are back too: an import through one of them publishes a generation that
 * the other reads within seconds.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_URL, freshDatabase } from './postgres-database.js';
import { PLANTED_SERIES, importPlanted } from './planted.js';
import { deploymentEnv, marco, startServer, type Server } from './processes.js';
import { startRelay, type Relay } from './tcp-relay.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

(SERVER_URL ? describe : describe.skip)('a PostgreSQL restart under two server processes', () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let relay: Relay;
  let token: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-outage-'));
    db = await freshDatabase();
    const direct = new URL(db.url);
    relay = await startRelay({ host: direct.hostname, port: Number(direct.port || 5432) });
    const through = new URL(db.url);
    through.host = `127.0.0.1:${relay.port}`;
    const env = deploymentEnv(through.toString(), {
      MARCO_CURSOR_KEY: randomBytes(32).toString('hex'),
      MARCO_LOG_LEVEL: 'info',
    });
    const init = await marco(env, dir, 'init', '--example');
    expect(init.code, init.stderr).toBe(0);
    const made = await marco(
      env,
      dir,
      ...['token', 'create', '--user', 'ines', '--country', 'MX', '--agency', 'SSPC'],
      ...['--roles', 'viewer,data_steward', '--json'],
    );
    expect(made.code, made.stderr).toBe(0);
    token = (JSON.parse(made.stdout) as { token: string }).token;
    servers.push(await startServer(env, dir));
    servers.push(await startServer(env, dir));
  }, 180_000);

  afterAll(async () => {
    await relay?.restore().catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop()));
    await relay?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const statusOf = async (base: string, pathname: string, lang = 'en') => {
    const res = await fetch(`${base}${pathname}`, {
      headers: { authorization: `Bearer ${token}`, 'accept-language': lang },
    });
    return { status: res.status, retry: res.headers.get('retry-after'), body: await res.text() };
  };
  const generationOf = async (base: string) => {
    const res = await fetch(`${base}${PLANTED_SERIES}`);
    await res.arrayBuffer();
    return Number(res.headers.get('marco-statistics-generation'));
  };

  it('answers 503 while PostgreSQL is gone, then serves and follows new generations again', async () => {
    for (const s of servers) expect((await statusOf(s.base, '/api/v1/results')).status).toBe(200);
    const before = await generationOf(servers[0]!.base);
    expect(await generationOf(servers[1]!.base)).toBe(before);

    await relay.cut();
    for (const s of servers) {
      const down = await statusOf(s.base, '/api/v1/results');
      expect(down.status).toBe(503);
      expect(down.retry).toBe('5');
      expect(down.body).toMatch(/cannot reach its records store/);
      expect((await statusOf(s.base, '/api/v1/results', 'es')).body).toMatch(/no puede llegar a su almacén/);
      expect((await statusOf(s.base, '/readyz')).status).toBe(503);
      expect((await statusOf(s.base, '/healthz')).status).toBe(200);
    }
    // Down for a few seconds, as a restart is: the LISTEN connections try again meanwhile.
    await sleep(3000);
    await relay.restore();

    for (const s of servers) {
      const end = Date.now() + 15_000;
      while ((await statusOf(s.base, '/api/v1/results')).status !== 200) {
        expect(Date.now()).toBeLessThan(end);
        await sleep(200);
      }
      while ((await statusOf(s.base, '/readyz')).status !== 200) {
        expect(Date.now()).toBeLessThan(end);
        await sleep(200);
      }
    }

    // A generation published through the first reaches the second: its notice, or its look every 5 s.
    const { res } = await importPlanted(servers[0]!.base, token, 600);
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    const after = Number(res.headers.get('marco-statistics-generation'));
    expect(after).toBe(before + 1);
    const end = Date.now() + 15_000;
    while ((await generationOf(servers[1]!.base)) !== after) {
      expect(Date.now()).toBeLessThan(end);
      await sleep(100);
    }
    const series = (await (await fetch(`${servers[1]!.base}${PLANTED_SERIES}`)).json()) as {
      series: { points: { value: number }[] }[];
    };
    expect(series.series[0]?.points[0]?.value).toBe(600);
    // Neither process stopped: the same children answered throughout.
    for (const s of servers) expect(s.child.exitCode).toBeNull();
    // Each one's LISTEN connection came back, and said so.
    for (const s of servers) expect(s.log()).toMatch(/statistics: listening for generations again/);
  }, 120_000);
});
