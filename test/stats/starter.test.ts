/**
 * Real data on the first start: the `starter/` snapshot is small, is the publishers' own bytes (the
 * catalogue's sha256), is imported into an empty store only, audited, labelled as a starter vintage, and
 * refused when damaged. The timed first start in Chromium is `test/timing/first-start.test.ts`.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VINTAGE_ENTITY } from '../../src/custody/statistics-custody.js';
import { openRecords } from '../../src/records/database.js';
import { querySeries } from '../../src/stats/series.js';
import { ensureStarter, STARTER_DIR, starterManifest } from '../../src/stats/starter.js';
import { openStats } from '../../src/stats/stats-store.js';
import { runMarco } from '../fixtures/run-marco.js';
import { SHARED_DATA, sharedLines } from './shared-data.js';

describe('the starter snapshot', () => {
  it('is at most 5 MB, and each file is the published bytes the catalogue pins', async () => {
    const names = await readdir(STARTER_DIR);
    const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(STARTER_DIR, n))).size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(5 * 1024 * 1024);
    const manifest = await starterManifest();
    expect(manifest.map((f) => f.source)).toEqual([
      'inegi-geo-catalog',
      'conapo-population-state',
      'inegi-homicides-state',
      'cdc-vsrr-overdose',
      'usaid-foreign-aid',
    ]);
    const catalogue = JSON.parse(
      await readFile(path.join(SHARED_DATA, 'catalogue.json'), 'utf8').catch(() => '[]'),
    ) as {
      url: string;
      sha256: string;
    }[];
    for (const f of manifest) {
      const bytes = gunzipSync(await readFile(path.join(STARTER_DIR, f.file)));
      expect(createHash('sha256').update(bytes).digest('hex'), f.file).toBe(f.sha256);
      expect(bytes.length, f.file).toBe(f.bytes);
      expect(f.licence.length, f.file).toBeGreaterThan(0);
      // The download address is pinned to a commit, as the catalogue lists it.
      if (catalogue.length) expect(catalogue.find((c) => c.url === f.url)?.sha256, f.file).toBe(f.sha256);
    }
  });

  it('is imported into an empty store only, labelled, with the same numbers as the full files', async () => {
    const stats = await openStats({ memory: true });
    try {
      const done = await ensureStarter(stats, 'test');
      expect(done.map((d) => d.report.status)).toEqual(Array(5).fill('imported'));
      const origins = await stats.all<{ origin: string }>(`select origin from vintages order by id`);
      expect(origins.map((v) => v.origin.slice(0, 43))).toEqual(
        Array(5).fill('starter: https://raw.githubusercontent.com/'),
      );
      // A second start imports nothing.
      expect(await ensureStarter(stats, 'test')).toEqual([]);
      const state = path.join(SHARED_DATA, 'inegi/mexico-state-month-homicide-rates-2000-2022.csv');
      const lines = await sharedLines(state).catch(() => undefined);
      const [mx] = (
        await querySeries(stats, {
          measure: 'homicides',
          geo: ['MX'],
          from: '2022',
          to: '2022',
          per: 100_000,
        })
      ).series;
      expect(mx!.points[0]!.populationSource).toBe('conapo-population-state');
      if (lines) {
        const total = lines
          .slice(1)
          .map((l) => l.split('|'))
          .filter((f) => f[1] === '2022')
          .reduce((s, f) => s + Number(f[3]), 0);
        expect(mx!.points[0]!.value).toBe(total);
      }
      const [us] = (
        await querySeries(stats, {
          measure: 'synthetic_opioid_deaths_12m',
          geo: ['US'],
          from: '2025',
          to: '2025',
        })
      ).series;
      expect(us!.points[0]!.value).toBeGreaterThan(10_000);
    } finally {
      stats.close();
    }
  });

  it('refuses a damaged snapshot and imports nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-starter-'));
    const stats = await openStats({ memory: true });
    try {
      await cp(STARTER_DIR, dir, { recursive: true });
      const [, population] = await starterManifest(dir);
      const bytes = gunzipSync(await readFile(path.join(dir, population!.file)));
      await writeFile(path.join(dir, population!.file), gzipSync(Buffer.concat([bytes, Buffer.from('\n')])));
      await expect(ensureStarter(stats, 'test', dir)).rejects.toThrow(/is not the manifest's/);
      // The catalogue before it was imported; the damaged file and those after it were not.
      expect((await stats.metadata()).coverage).toEqual([]);
    } finally {
      stats.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('marco init', () => {
  it('imports the starter data into a new data directory, audited, and not with --empty', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-init-'));
    const empty = await mkdtemp(path.join(os.tmpdir(), 'marco-init-empty-'));
    try {
      const first = await runMarco(dir, 'init');
      expect([first.code, first.stdout]).toEqual([
        0,
        expect.stringContaining(
          'Imported the starter data (5 files: inegi-geo-catalog, conapo-population-state',
        ),
      ]);
      const sources = JSON.parse((await runMarco(dir, 'sources', '--json')).stdout) as {
        id: string;
        vintages: { origin: string | null }[];
      }[];
      expect(
        sources.filter((s) => s.vintages.some((v) => v.origin?.startsWith('starter:'))).map((s) => s.id),
      ).toEqual(expect.arrayContaining(['inegi-homicides-state', 'cdc-vsrr-overdose']));
      // Each starter import is in the audit log.
      const records = await openRecords({ dataDir: dir });
      try {
        const entries = await records.db
          .selectFrom('audit_log')
          .select(['entity', 'after'])
          .where('entity', '=', VINTAGE_ENTITY)
          .execute();
        expect(entries.filter((e) => JSON.stringify(e.after).includes('starter: https:'))).toHaveLength(5);
      } finally {
        await records.close();
      }
      // A second init imports nothing more.
      expect((await runMarco(dir, 'init')).stdout).not.toContain('starter data');
      const none = await runMarco(empty, 'init', '--empty');
      expect([none.code, none.stdout]).toEqual([0, expect.not.stringContaining('starter data')]);
      expect((await runMarco(empty, 'stats', '--measure', 'homicides', '--geo', 'MX')).stdout).toContain(
        'No data for this query.',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(empty, { recursive: true, force: true });
    }
  }, 120_000);
});
