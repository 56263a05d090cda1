/**
 * `-` is standard input and output, as clig.dev asks: `marco export -o - | marco load -` loads the
 * exported workspace back into a second data directory, where every record is new, and into the first,
 * where every record is unchanged; a file named `-` is never written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { runMarco as marco, runMarcoWithInput } from '../fixtures/run-marco.js';

describe('- for standard input and output', () => {
  let dir: string;
  let other: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-pipe-'));
    other = await mkdtemp(path.join(os.tmpdir(), 'marco-pipe-other-'));
    expect((await marco(dir, 'init', '--example', '--empty')).code).toBe(EXIT.ok);
    expect((await marco(other, 'init', '--empty')).code).toBe(EXIT.ok);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(other, { recursive: true, force: true });
  });

  it('pipes marco export -o - into marco load -', async () => {
    const exported = await marco(dir, 'export', '-o', '-', '--format', 'json');
    expect(exported.code).toBe(EXIT.ok);
    expect(existsSync(path.join(process.cwd(), '-'))).toBe(false);
    const document = JSON.parse(exported.stdout) as { programs: unknown[]; results: unknown[] };
    expect(document.results.length).toBeGreaterThan(3);

    const same = await runMarcoWithInput(dir, [exported.stdout], 'load', '-', '--json');
    expect(same.code, same.stderr).toBe(EXIT.ok);
    const unchanged = JSON.parse(same.stdout) as {
      file: string;
      summary: Record<string, { create: number; update: number }>;
    };
    expect(unchanged.file).toBe('stdin');
    for (const counts of Object.values(unchanged.summary))
      expect(counts).toMatchObject({ create: 0, update: 0 });

    const copied = await runMarcoWithInput(other, [exported.stdout], 'load', '-', '--json');
    expect(copied.code, copied.stderr).toBe(EXIT.ok);
    const created = JSON.parse(copied.stdout) as { summary: { results: { create: number } } };
    expect(created.summary.results.create).toBe(document.results.length);

    // The YAML export pipes the same way, its audit-head comment and all.
    const yaml = await marco(dir, 'export', '-o', '-');
    const again = await runMarcoWithInput(other, [yaml.stdout], 'load', '-', '--dry-run');
    expect(again.code, again.stderr).toBe(EXIT.ok);
  });

  it('says a bad document on standard input is stdin’s, with its line', async () => {
    const bad = await runMarcoWithInput(dir, ['marco: workspace/1\nprograms: [\n'], 'load', '-');
    expect(bad.code).toBe(EXIT.invalid);
    expect(bad.stderr).toContain('stdin');
  });
});
