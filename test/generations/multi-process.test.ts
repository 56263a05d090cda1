/**
 * Three `marco serve` processes on one PostgreSQL database and one statistics directory, as three hosts
 * sharing it would run them, serve series and pages to a steady load while one of them imports a
 * corrected INEGI file through the API. The import publishes a new statistics generation; every
 * response names the generation it was read from (`Marco-Statistics-Generation`), and every response
 * from one generation carries that generation's figure: the old one before, the corrected one after,
 * never a mix, and no request fails. Within seconds every process reads the new generation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANTED_SERIES, importPlanted } from './planted.js';
import { SERVER_URL, freshDatabase } from './postgres-database.js';
import { deploymentEnv, marco, startServer, type Server } from './processes.js';

const SERIES = PLANTED_SERIES;
const PAGE = '/places/31?lang=es';

interface Seen {
  server: number;
  kind: 'series' | 'page';
  status: number;
  generation: number;
  value?: number;
  error?: string;
}

(SERVER_URL ? describe : describe.skip)(
  'three server processes on one PostgreSQL and one statistics directory',
  () => {
    let dir: string;
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let env: NodeJS.ProcessEnv;
    const servers: Server[] = [];
    let token: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'marco-generations-'));
      db = await freshDatabase();
      env = deploymentEnv(db.url);
      const init = await marco(env, dir, 'init', '--example');
      expect(init.code, init.stderr).toBe(0);
      const made = await marco(
        env,
        dir,
        'token',
        'create',
        '--user',
        'ines',
        '--country',
        'MX',
        '--agency',
        'SSPC',
        '--roles',
        'viewer,data_steward',
        '--json',
      );
      expect(made.code, made.stderr).toBe(0);
      token = (JSON.parse(made.stdout) as { token: string }).token;
      // The first prepares what is missing (the built-in figures: a generation); the others find it done.
      servers.push(await startServer(env, dir));
      servers.push(...(await Promise.all([startServer(env, dir), startServer(env, dir)])));
    }, 180_000);

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await db?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('serves every response from one generation while an import publishes the next', async () => {
      const seen: Seen[] = [];
      let stop = false;
      const ask = async (server: number, kind: Seen['kind']) => {
        const res = await fetch(`${servers[server]!.base}${kind === 'series' ? SERIES : PAGE}`);
        const generation = Number(res.headers.get('marco-statistics-generation'));
        if (kind === 'page') {
          await res.text();
          return seen.push({ server, kind, status: res.status, generation });
        }
        const body = (await res.json()) as { series: { points: { value: number }[] }[] };
        seen.push({ server, kind, status: res.status, generation, value: body.series[0]?.points[0]?.value });
      };
      const client = async (n: number) => {
        for (let i = 0; !stop; i++)
          await ask((n + i) % 3, i % 4 === 3 ? 'page' : 'series').catch((error: unknown) =>
            seen.push({
              server: (n + i) % 3,
              kind: 'series',
              status: 0,
              generation: 0,
              error: String(error),
            }),
          );
      };
      const load = Promise.all([0, 1, 2, 3, 4, 5].map(client));
      let before: number;
      let after: number;
      let real: number;
      try {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        before = Math.max(...seen.map((s) => s.generation));
        const planted = await importPlanted(servers[1]!.base, token, 600);
        real = planted.real;
        const imported = planted.res;
        expect(imported.status, await imported.clone().text()).toBeLessThan(300);
        // The import's answer names the generation it published.
        after = Number(imported.headers.get('marco-statistics-generation'));
        expect(after).toBe(before + 1);
        // Every process reads the new generation within a few seconds of the notice.
        for (const server of servers) {
          const end = Date.now() + 10_000;
          for (;;) {
            const res = await fetch(`${server.base}${SERIES}`);
            await res.arrayBuffer();
            if (Number(res.headers.get('marco-statistics-generation')) === after) break;
            expect(Date.now()).toBeLessThan(end);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        stop = true;
        await load;
      }

      expect(seen.filter((s) => s.error !== undefined || s.status !== 200)).toEqual([]);
      expect(seen.length).toBeGreaterThan(100);
      // One figure per generation: the real one before, the planted one after.
      const values = new Map<number, Set<number | undefined>>();
      for (const s of seen.filter((x) => x.kind === 'series')) {
        if (!values.has(s.generation)) values.set(s.generation, new Set());
        values.get(s.generation)!.add(s.value);
      }
      expect([...values.keys()].sort((x, y) => x - y)).toEqual([before, after]);
      expect([...values.get(before)!]).toEqual([real]);
      expect([...values.get(after)!]).toEqual([600]);
      expect(real).not.toBe(600);
      // Each of the three served both, and pages too.
      for (const server of [0, 1, 2])
        for (const generation of [before, after])
          expect(seen.some((s) => s.server === server && s.generation === generation)).toBe(true);
      expect(seen.filter((s) => s.kind === 'page' && s.generation === after).length).toBeGreaterThan(0);
      for (const server of servers) expect(server.log()).not.toMatch(/"level":(50|60)/);
    }, 120_000);
  },
);
