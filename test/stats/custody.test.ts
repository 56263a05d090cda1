/**
 * Statistics under the same rules as records: only a data steward imports or rolls back; every vintage
 * says who imported it and from where; a doctored state file that replaced Chihuahua's 2019 homicides
 * (2,623 → 12) is rolled back and the previous values return; the audit log holds the import, the
 * replacement and the rollback. On both records stores; and through the CLI for a renamed catalogue.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { runMarco } from '../fixtures/run-marco.js';
import { STORE_KINDS, countRows, freshStore } from '../records/stores.js';
import { tokenFor } from '../server/example-app.js';
import { sharedFile, sharedLines } from './shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const STATES = sharedFile('geo/cve_nom_estados.csv');

/** The state file with Chihuahua's 2019 months set to one homicide each: a year of 12. */
async function doctored(dir: string): Promise<string> {
  const lines = await sharedLines(STATE!);
  const file = path.join(dir, 'mexico-state-month-homicide-rates-2000-2022-fixed.csv');
  const changed = lines.map((l) => {
    const [ent, year, month, , pop, ...rest] = l.split('|');
    return ent === '08' && year === '2019' ? [ent, year, month, '1', pop, ...rest].join('|') : l;
  });
  await writeFile(file, `${changed.join('\n')}\n`);
  return file;
}

(STATE && STATES ? describe.each(STORE_KINDS) : describe.skip.each(STORE_KINDS))(
  'statistics custody on %s',
  (kind) => {
    let dir: string;
    let stats: StatsStore;
    let records: Awaited<ReturnType<typeof freshStore>>;
    let app: ReturnType<typeof createApp>;
    let steward: string;
    let reporter: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'marco-custody-'));
      records = await freshStore(kind);
      await loadBuiltins(records, 'test');
      stats = await openStats({ dataDir: path.join(dir, 'data') });
      app = createApp({ store: records, stats, version: 'test' });
      steward = await tokenFor(records, { user: 'sofia', country: 'MX', agency: 'SSPC' }, ['data_steward']);
      reporter = await tokenFor(records, { user: 'raul', country: 'MX', agency: 'SSPC' }, [
        'viewer',
        'reporter',
        'approver',
      ]);
    }, 60_000);
    afterAll(async () => {
      stats?.close();
      await records?.dispose();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const upload = async (file: string, token: string) => {
      const { readFile } = await import('node:fs/promises');
      const res = await app.request(
        `/api/v1/imports?source=inegi-homicides-state&file_name=${path.basename(file)}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
          body: await readFile(file),
        },
      );
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const chihuahua2019 = async () => {
      const res = await app.request('/api/v1/series?measure=homicides&geo=08&by=year&from=2019&to=2019');
      const body = (await res.json()) as { series: { points: { value: number }[] }[] };
      return body.series[0]!.points[0]!.value;
    };
    const vintages = () =>
      stats.all<{ id: number; imported_by: string | null; origin: string | null; table_name: string | null }>(
        `select id, imported_by, origin, table_name from vintages where source = 'inegi-homicides-state' order by id`,
      );
    const audit = () =>
      records.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'entity', 'entity_key', 'after'])
        .where('entity', '=', 'statistics vintage')
        .orderBy('id')
        .execute();

    it('refuses an import by a non-steward, changing nothing in either store', async () => {
      const before = [await countRows(records), await vintages()];
      const refused = await upload(STATE!, reporter);
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body)).toContain('data_steward');
      expect([await countRows(records), await vintages()]).toEqual(before);
    });

    it('imports the genuine file, recording who and from where, with an audit entry', async () => {
      expect((await upload(STATE!, steward)).status).toBe(200);
      expect(await chihuahua2019()).toBe(2623);
      const [v] = await vintages();
      expect(v).toMatchObject({
        imported_by: 'sofia',
        origin: `upload:${path.basename(STATE!)}`,
      });
      expect((await audit()).map((a) => [a.actor, a.action, a.entity_key])).toEqual([
        ['sofia', 'create', String(v!.id)],
      ]);
    });

    it('lets a doctored file replace the year, then rolls it back to the previous values, all audited', async () => {
      const fake = await doctored(dir);
      const imported = await upload(fake, steward);
      expect(imported.status).toBe(200);
      expect(imported.body.replaced).toEqual([1]);
      expect(await chihuahua2019()).toBe(12);
      const [genuine, bad] = await vintages();
      expect(genuine!.table_name).toBeNull();

      // A reporter may not roll it back; a steward may.
      const refused = await app.request(`/api/v1/vintages/${bad!.id}/rollback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${reporter}` },
      });
      expect(refused.status).toBe(403);
      // The genuine vintage cannot be rolled back while the doctored one holds its rows.
      const first = await app.request(`/api/v1/vintages/${genuine!.id}/rollback?lang=es`, {
        method: 'POST',
        headers: { authorization: `Bearer ${steward}` },
      });
      expect(first.status).toBe(409);
      expect(((await first.json()) as { error: { code: string; message: string } }).error).toEqual({
        code: 'refused',
        message: `la versión ${genuine!.id} fue reemplazada en parte por la versión ${bad!.id}, que sigue vigente: revierta esa primero`,
        details: { reason: 'later_import' },
      });

      const rolled = await app.request(`/api/v1/vintages/${bad!.id}/rollback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${steward}` },
      });
      expect(rolled.status).toBe(200);
      expect(await rolled.json()).toMatchObject({
        vintage: bad!.id,
        reinstated: [{ vintage: genuine!.id }],
      });
      expect(await chihuahua2019()).toBe(2623);
      const after = await vintages();
      expect(after[0]!.table_name).toBe(`obs_${genuine!.id}`);
      // Twice is refused, and changes nothing.
      const again = await app.request(`/api/v1/vintages/${bad!.id}/rollback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${steward}` },
      });
      expect(again.status).toBe(409);

      // Each entry by its kind: the import (with the source), a takeover, a withdrawal, a reinstatement.
      const kinds = ['source', 'taken_over_by', 'withdrawn', 'reinstated_from'];
      const entries = (await audit()).map((a) => [
        a.actor,
        a.action,
        a.entity_key,
        kinds.find((k) => k in (a.after ?? {})),
      ]);
      expect(entries).toEqual([
        ['sofia', 'create', String(genuine!.id), 'source'],
        ['sofia', 'create', String(bad!.id), 'source'],
        ['sofia', 'update', String(genuine!.id), 'taken_over_by'],
        ['sofia', 'update', String(bad!.id), 'withdrawn'],
        ['sofia', 'update', String(genuine!.id), 'reinstated_from'],
      ]);
      const created = (await audit())[1]!.after as { sha256: string; file: string };
      expect(created.file).toBe(path.basename(fake));
      expect(created.sha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it('imports the doctored file again after a rollback (it is a new vintage), and rolls that back too', async () => {
      const fake = await doctored(dir);
      const imported = await upload(fake, steward);
      expect([imported.status, imported.body.status]).toEqual([200, 'imported']);
      expect(await chihuahua2019()).toBe(12);
      const id = imported.body.vintage as number;
      const rolled = await app.request(`/api/v1/vintages/${id}/rollback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${steward}` },
      });
      expect(rolled.status).toBe(200);
      expect(await chihuahua2019()).toBe(2623);
    });
  },
);

(STATE && STATES ? describe : describe.skip)('statistics custody through the CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-custody-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const marco = (...args: string[]) => runMarco(path.join(dir, 'data'), ...args);

  it('rolls back a catalogue that renamed a state, and a partial takeover, restoring names and rows', async () => {
    expect((await marco('import', 'inegi-geo-catalog', STATES!)).code).toBe(EXIT.ok);
    expect((await marco('import', 'inegi-homicides-state', STATE!)).code).toBe(EXIT.ok);
    // A catalogue that renames Chihuahua, and a state file holding 2019 only (a partial takeover).
    const renamed = path.join(dir, 'estados-renamed.csv');
    const lines = await sharedLines(STATES!);
    await writeFile(renamed, `${lines.map((l) => (l.endsWith(',08') ? 'Nowhere,08' : l)).join('\n')}\n`);
    const only2019 = path.join(dir, 'state-2019.csv');
    const state = await sharedLines(STATE!);
    await writeFile(
      only2019,
      `${[
        state[0],
        ...state
          .slice(1)
          .filter((l) => l.split('|')[1] === '2019')
          .map((l) => (l.startsWith('08|') ? l.replace(/^(08\|2019\|\d+\|)\d+/, '$10') : l)),
      ].join('\n')}\n`,
    );
    const geo = JSON.parse((await marco('import', 'inegi-geo-catalog', renamed, '--json')).stdout) as {
      vintage: number;
    }[];
    const part = JSON.parse((await marco('import', 'inegi-homicides-state', only2019, '--json')).stdout) as {
      vintage: number;
      replaced: number[];
    }[];
    expect(part[0]!.replaced).toEqual([]);
    const value = async () =>
      (
        JSON.parse(
          (
            await marco(
              'stats',
              '--measure',
              'homicides',
              '--geo',
              '08',
              '--from',
              '2019',
              '--to',
              '2019',
              '--json',
            )
          ).stdout,
        ) as {
          series: { name: string; points: { value: number }[] }[];
        }
      ).series[0]!;
    expect(await value()).toMatchObject({ name: 'Nowhere', points: [{ value: 0 }] });

    const back = await marco('vintages', 'rollback', String(part[0]!.vintage));
    expect(back.code, back.stderr).toBe(EXIT.ok);
    expect(back.stdout).toContain(`Rolled back vintage ${part[0]!.vintage}`);
    const names = await marco('vintages', 'rollback', String(geo[0]!.vintage), '--lang', 'es');
    expect(names.stdout).toContain(`Se revirtió la versión ${geo[0]!.vintage}`);
    expect(await value()).toMatchObject({ name: 'Chihuahua', points: [{ value: 2623 }] });
    expect((await marco('vintages', 'rollback', 'x')).code).toBe(EXIT.invalid);
    expect((await marco('vintages', 'rollback', '999')).code).toBe(EXIT.notFound);

    // The audit log, read by `marco audit verify`, is intact and holds every step.
    const verify = await marco('audit', 'verify', '--json');
    expect(JSON.parse(verify.stdout)).toMatchObject({ brokenAt: null, tampered: false });
    expect(JSON.parse(verify.stdout).entries).toBeGreaterThanOrEqual(8);

    // A vintage imported behind Marco's back (no audit entry) is named by verify.
    const stats = await openStats({ dataDir: path.join(dir, 'data') });
    const report = await importFile(stats, sourceById('inegi-homicides-state')!, only2019, {
      version: 'test',
      importedBy: 'mallory',
      origin: 'elsewhere',
    });
    stats.close();
    const found = await marco('audit', 'verify');
    expect([found.code, found.stdout]).toEqual([
      EXIT.tampered,
      expect.stringContaining(`statistics vintage ${report.vintage} has no audit entry`),
    ]);
  });
});
