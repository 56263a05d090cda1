/**
 * Framework benchmarks through the API and the pages, on each store, with actuals from the real INEGI
 * state homicide file: a benchmark of Goal 1 proposed by a U.S. reporter; its target does not count
 * while only one country has approved it, nor after its value changes (both approvals are cleared, and
 * an approval of the old value is refused); it counts once both countries approve the current value,
 * and the node page and the home page show it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltins } from '../../src/records/builtin.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { STORE_KINDS, countRows, freshStore } from '../records/stores.js';
import { caller, tokenFor } from '../server/example-app.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const STATES = sharedFile('geo/cve_nom_estados.csv');

/** Chihuahua's homicides in `year`, summed here from the raw lines of the file. */
async function chihuahua(year: number): Promise<number> {
  return (await sharedLines(STATE!))
    .slice(1)
    .map((l) => l.split('|'))
    .filter((f) => f[0] === '08' && Number(f[1]) === year)
    .reduce((sum, f) => sum + Number(f[3]), 0);
}

const benchmark = (target: number) => ({
  code: 'BF-HOMICIDES-08',
  node: 'bicentennial:1',
  name: { en: 'Homicides in Chihuahua', es: 'Homicidios en Chihuahua' },
  definition: {
    en: 'Deaths by homicide registered by INEGI, by place of occurrence.',
    es: 'Defunciones por homicidio registradas por el INEGI, por lugar de ocurrencia.',
  },
  unit: { en: 'deaths', es: 'defunciones' },
  direction: 'decrease',
  series: { measure: 'homicides', geo: '08' },
  baseline: { period: '2010' },
  targets: [{ period: '2012', value: target }],
});

(STATE && STATES ? describe : describe.skip)('framework benchmarks', () => {
  let dir: string;
  let stats: StatsStore;
  let actual2012 = 0;
  let actual2010 = 0;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-benchmarks-'));
    stats = await openStats({ dataDir: dir });
    await importFile(stats, sourceById('inegi-geo-catalog')!, STATES!, { version: 'test' });
    await importFile(stats, sourceById('inegi-homicides-state')!, STATE!, { version: 'test' });
    [actual2012, actual2010] = [await chihuahua(2012), await chihuahua(2010)];
  }, 120_000);
  afterAll(async () => {
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe.each(STORE_KINDS)('on %s', (kind) => {
    let store: Awaited<ReturnType<typeof freshStore>>;
    let call: ReturnType<typeof caller>;
    let app: ReturnType<typeof createApp>;
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      store = await freshStore(kind);
      await loadBuiltins(store, 'test');
      app = createApp({ store, stats });
      call = caller(app);
      tokens.rita = await tokenFor(store, { user: 'rita', country: 'US', agency: 'INL' }, ['reporter']);
      tokens.val = await tokenFor(store, { user: 'val', country: 'US', agency: 'INL' }, ['viewer']);
      tokens.abe = await tokenFor(store, { user: 'abe', country: 'US', agency: 'INL' }, ['approver']);
      tokens.mateo = await tokenFor(store, { user: 'mateo', country: 'MX', agency: 'SSPC' }, ['approver']);
    });
    afterAll(() => store?.dispose());

    const listed = async () => {
      const { status, body } = await call('GET', '/api/v1/benchmarks?node=bicentennial:1');
      expect(status).toBe(200);
      return (
        body as unknown as {
          targets: { version: number }[];
          actuals: {
            baseline: number;
            targets: { inEffect: boolean; standing: string; actual: number; value: number }[];
          };
        }[]
      )[0]!;
    };
    const nodePage = async (lang = 'en') => (await app.request(`/nodes/bicentennial:1?lang=${lang}`)).text();

    it('refuses a proposal from nobody, from a viewer, or for a node that does not exist, changing nothing', async () => {
      const before = await countRows(store);
      expect(
        (await call('POST', '/api/v1/benchmarks', undefined, { benchmarks: [benchmark(1)] })).status,
      ).toBe(401);
      expect(
        (await call('POST', '/api/v1/benchmarks', tokens.val, { benchmarks: [benchmark(1)] })).status,
      ).toBe(403);
      const wrong = await call('POST', '/api/v1/benchmarks', tokens.rita, {
        benchmarks: [benchmark(1), { ...benchmark(1), code: 'BF-OTHER', node: 'bicentennial:9.9' }],
      });
      expect(wrong.status).toBe(422);
      expect(JSON.stringify(wrong.body.error?.details)).toContain('benchmarks[1].node');
      expect(await countRows(store)).toEqual(before);
    });

    it('does not count a target that only one country has approved', async () => {
      const target = actual2012 + 100;
      expect(
        (await call('POST', '/api/v1/benchmarks', tokens.rita, { benchmarks: [benchmark(target)] })).status,
      ).toBe(200);
      let b = await listed();
      expect(b.actuals.baseline).toBe(actual2010);
      expect(b.actuals.targets).toEqual([
        { period: '2012', value: target, inEffect: false, actual: actual2012, standing: 'no_target' },
      ]);
      const page = await nodePage();
      expect(page).toContain('Homicides in Chihuahua');
      expect(page).toContain('awaiting United States and Mexico');
      expect(page).toContain('Not in effect');

      const us = await call('POST', '/api/v1/benchmarks/BF-HOMICIDES-08/targets/2012/approve', tokens.abe);
      expect(us.status).toBe(200);
      expect(us.body).toMatchObject({
        country: 'US',
        changed: true,
        approvals: { US: { by: 'abe' }, MX: null },
      });
      b = await listed();
      expect(b.actuals.targets[0]).toMatchObject({ inEffect: false, standing: 'no_target' });
      expect(await nodePage()).toContain('awaiting Mexico');
      // A reporter cannot approve.
      expect(
        (await call('POST', '/api/v1/benchmarks/BF-HOMICIDES-08/targets/2012/approve', tokens.rita)).status,
      ).toBe(403);
    });

    it('clears both approvals when the value changes, and refuses an approval of the old value', async () => {
      const target = actual2012 + 50;
      const saved = await call('POST', '/api/v1/benchmarks', tokens.rita, {
        benchmarks: [benchmark(target)],
      });
      expect(saved.body).toMatchObject({
        saved: [
          {
            code: 'BF-HOMICIDES-08',
            benchmark: 'unchanged',
            targets: [{ period: '2012', action: 'changed' }],
          },
        ],
      });
      const b = await listed();
      expect(b.targets[0]!.version).toBe(2);
      const before = await countRows(store);
      const stale = await call(
        'POST',
        '/api/v1/benchmarks/BF-HOMICIDES-08/targets/2012/approve',
        tokens.mateo,
        { version: 1 },
      );
      expect(stale.status).toBe(409);
      expect(await countRows(store)).toEqual(before);
      expect((await listed()).actuals.targets[0]).toMatchObject({ value: target, inEffect: false });
    });

    it('counts the target once both countries approve it, on the node page and the home page', async () => {
      expect(
        (
          await call('POST', '/api/v1/benchmarks/BF-HOMICIDES-08/targets/2012/approve', tokens.abe, {
            version: 2,
          })
        ).status,
      ).toBe(200);
      const mx = await call('POST', '/api/v1/benchmarks/BF-HOMICIDES-08/targets/2012/approve', tokens.mateo, {
        version: 2,
      });
      expect(mx.body).toMatchObject({ country: 'MX', approvals: { US: { by: 'abe' }, MX: { by: 'mateo' } } });
      const b = await listed();
      // A decrease: the actual is 50 below the target, so it is met.
      expect(b.actuals.targets[0]).toEqual({
        period: '2012',
        value: actual2012 + 50,
        inEffect: true,
        actual: actual2012,
        standing: 'met',
      });
      const en = await nodePage();
      expect(en).toContain('One target in effect, one met.');
      expect(en).not.toContain('awaiting');
      expect(await nodePage('es')).toContain('Una meta vigente, una cumplida.');
      const home = await (await app.request('/?lang=en')).text();
      expect(home).toContain('Framework benchmarks');
      expect(home).toContain('href="/nodes/bicentennial:1#benchmark-BF-HOMICIDES-08"');
      // Approving again changes nothing, and every step is in the audit log.
      const again = await call(
        'POST',
        '/api/v1/benchmarks/BF-HOMICIDES-08/targets/2012/approve',
        tokens.mateo,
      );
      expect(again.body).toMatchObject({ changed: false });
      const log = await store.db
        .selectFrom('audit_log')
        .select(['actor', 'action'])
        .where('entity', '=', 'benchmark target')
        .orderBy('id')
        .execute();
      expect(log.map((l) => `${l.actor} ${l.action}`)).toEqual([
        'rita create',
        'abe update',
        'rita update',
        'abe update',
        'mateo update',
      ]);
    });
  });
});
