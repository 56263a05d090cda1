/**
 * The settings of several processes, refused at start with what was wrong and what is accepted, in
 * English and Spanish, before anything is opened: a `MARCO_STATISTICS` that is neither mode, generations
 * without a PostgreSQL server, `--workers` out of range, `--workers` above 1 on the embedded stores, a
 * request budget or a heap growth that is not a number in range.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { heapGrowthConfig } from '../../src/config.js';

const { DATABASE_URL: _d, MARCO_STATISTICS: _s, MARCO_WORKERS: _w, ...base } = process.env;

async function run(dir: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'marco', '--data-dir', dir, ...args], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...base, MARCO_USER: 'tester', ...env },
    stdin: Readable.from([]),
  });
  return { code, stdout, stderr };
}

describe('settings of several processes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-serve-settings-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a statistics mode that is neither file nor generations', async () => {
    const en = await run(dir, { MARCO_STATISTICS: 'shared', LANG: 'en_US.UTF-8' }, 'sources');
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('MARCO_STATISTICS must be `file`');
    expect(en.stderr).toContain('"shared"');
    const es = await run(dir, { MARCO_STATISTICS: 'shared', LANG: 'es_MX.UTF-8' }, 'sources');
    expect(es.code).toBe(2);
    expect(es.stderr).toContain('MARCO_STATISTICS debe ser `file`');
  });

  it('refuses generations without a PostgreSQL server', async () => {
    const en = await run(dir, { MARCO_STATISTICS: 'generations', LANG: 'en_US.UTF-8' }, 'sources');
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('need the records on a PostgreSQL server: set DATABASE_URL');
    const es = await run(dir, { MARCO_STATISTICS: 'generations', LANG: 'es_MX.UTF-8' }, 'sources');
    expect(es.stderr).toContain('necesitan los registros en un servidor PostgreSQL');
  });

  it('refuses --workers out of range, and above 1 on the embedded stores, opening nothing', async () => {
    for (const given of ['0', '65', 'two', '1.5']) {
      const out = await run(dir, { LANG: 'en_US.UTF-8' }, 'serve', '--port', '0', '--workers', given);
      expect(out.code, given).toBe(2);
      expect(out.stderr).toContain(`--workers must be a whole number from 1 to 64, not "${given}"`);
    }
    const es = await run(dir, { LANG: 'es_MX.UTF-8' }, 'serve', '--port', '0', '--workers', '0');
    expect(es.stderr).toContain('--workers debe ser un número entero de 1 a 64');
    const embedded = await run(dir, { LANG: 'en_US.UTF-8' }, 'serve', '--port', '0', '--workers', '2');
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('set DATABASE_URL');
    // Nothing was created in the data directory.
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a request budget that is not a whole number, before the port is taken', async () => {
    for (const given of ['-1', 'lots', '2000000']) {
      const out = await run(
        dir,
        { MARCO_REQUESTS_PER_MINUTE: given, LANG: 'en_US.UTF-8' },
        'serve',
        '--port',
        '0',
      );
      expect(out.code, given).toBe(2);
      expect(out.stderr).toContain(
        `MARCO_REQUESTS_PER_MINUTE must be a whole number from 0 (no limit) to 1000000, not "${given}"`,
      );
    }
    const es = await run(
      dir,
      { MARCO_REQUESTS_PER_MINUTE: 'x', LANG: 'es_MX.UTF-8' },
      'serve',
      '--port',
      '0',
    );
    expect(es.stderr).toContain('MARCO_REQUESTS_PER_MINUTE debe ser un número entero');
  });

  it('reads the heap growth: 30% unset, 0 for V8’s own rule, and refuses anything else before the port is taken', async () => {
    expect(heapGrowthConfig({})).toBe(30);
    expect(heapGrowthConfig({ MARCO_HEAP_GROWTH: ' 0 ' })).toBe(0);
    expect(heapGrowthConfig({ MARCO_HEAP_GROWTH: '150' })).toBe(150);
    for (const given of ['5', '401', '-10', '30%', 'big']) {
      const out = await run(dir, { MARCO_HEAP_GROWTH: given, LANG: 'en_US.UTF-8' }, 'serve', '--port', '0');
      expect(out.code, given).toBe(2);
      expect(out.stderr).toContain(
        `MARCO_HEAP_GROWTH must be 0 (V8’s own rule) or a whole number of percent from 10 to 400, not "${given}"`,
      );
    }
    const es = await run(dir, { MARCO_HEAP_GROWTH: '5', LANG: 'es_MX.UTF-8' }, 'serve', '--port', '0');
    expect(es.stderr).toContain('MARCO_HEAP_GROWTH debe ser 0 (la regla propia de V8)');
    expect(await readdir(dir)).toEqual([]);
  });
});
