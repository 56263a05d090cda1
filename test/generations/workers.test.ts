/**
 * `marco serve --workers 3` on one PostgreSQL database: the primary says it serves once all three
 * workers have their stores open, and then every request is answered. One worker killed with SIGKILL:
 * once the primary has noticed, the other two answer every request, and a replacement joins them;
 * SIGTERM to the primary stops every worker gracefully and then the primary, with exit code 0.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_URL, freshDatabase } from './postgres-database.js';
import { deploymentEnv, startServer, type Server } from './processes.js';

/** The server processes whose parent is `pid` (not tsx's own helper processes). */
const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes('cli-entry'))
      .map((l) => Number(l.trim().split(/\s+/)[0]))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
};

(SERVER_URL ? describe : describe.skip)('marco serve --workers 3', () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: Server;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-workers-'));
    db = await freshDatabase();
    server = await startServer(deploymentEnv(db.url), dir, '--workers', '3', '--example');
  }, 180_000);
  afterAll(async () => {
    // After a failure half-way, no worker is left behind.
    if (server) for (const pid of childrenOf(server.child.pid!)) process.kill(pid, 'SIGKILL');
    await server?.stop('SIGKILL');
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `n` requests, each on a connection of its own (so that each may reach any worker). */
  const burst = async (n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${server.base}/api/v1/series?measure=homicides&geo=08&from=2010&to=2012`, {
        headers: { connection: 'close' },
        signal: AbortSignal.timeout(20_000),
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    return statuses;
  };

  /** The aggregate count of series requests in one scrape of /metrics (on a connection of its own). */
  const seriesCount = async () => {
    const res = await fetch(`${server.base}/metrics`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const lines = text
      .split('\n')
      .filter(
        (l) =>
          l.startsWith('marco_http_request_duration_seconds_count{') && l.includes('route="/api/v1/series"'),
      );
    return { count: lines.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0), text };
  };

  it('answers /metrics for all three workers, whichever one a scrape reaches', async () => {
    await burst(12);
    // Each scrape reaches the next worker; each counts the 12 series requests all three served.
    const scrapes = [];
    for (let i = 0; i < 6; i++) scrapes.push(await seriesCount());
    expect(scrapes.map((s) => s.count)).toEqual(Array(6).fill(12));
    // Three processes' memory, summed: more than any one process's could be on its own.
    const rss = Number(/^marco_process_resident_memory_bytes (\S+)/m.exec(scrapes[0]!.text)?.[1]);
    const one =
      Number(
        execFileSync('ps', ['-o', 'rss=', '-p', String(childrenOf(server.child.pid!)[0])], {
          encoding: 'utf8',
        }),
      ) * 1024;
    expect(rss).toBeGreaterThan(2 * one);
    expect(scrapes[0]!.text).toMatch(/^marco_statistics_generation \d+$/m);
  });

  it('keeps serving when a worker is killed, replaces it, and stops cleanly on SIGTERM', async () => {
    const primary = server.child.pid!;
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(3);
    expect(new Set(await burst(30))).toEqual(new Set([200]));

    process.kill(workers[0]!, 'SIGKILL');
    // Once the primary knows (it says so in its log), every request goes to the two left.
    const noticed = Date.now() + 10_000;
    while (!/a worker stopped; starting another/.test(server.log())) {
      expect(Date.now()).toBeLessThan(noticed);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(new Set(await burst(60))).toEqual(new Set([200]));

    const end = Date.now() + 30_000;
    let now = childrenOf(primary);
    while (now.length < 3 || now.includes(workers[0]!)) {
      expect(Date.now()).toBeLessThan(end);
      await new Promise((resolve) => setTimeout(resolve, 200));
      now = childrenOf(primary);
    }
    expect(now).toHaveLength(3);
    expect(now.filter((pid) => workers.includes(pid))).toHaveLength(2);
    // While the replacement opens its stores it does not listen: no request is answered 503 meanwhile.
    expect(new Set(await burst(30))).toEqual(new Set([200]));
    // Then it serves too.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(new Set(await burst(30))).toEqual(new Set([200]));

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(childrenOf(primary)).toEqual([]);
    for (const pid of now) expect(() => process.kill(pid, 0)).toThrow();
  }, 120_000);
});
