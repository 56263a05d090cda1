/**
 * Network imports are audited as every statistics import is: the new vintage with its file and
 * checksum, and, when a groups file replaces the one in force, the older vintage marked replaced by it,
 * on each records store.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAudited } from '../../src/custody/statistics-custody.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats } from '../../src/stats/stats-store.js';
import { freshStore, STORE_KINDS } from '../records/stores.js';
import { BACRIM_FILES, haveBacrim } from './bacrim.js';

describe.runIf(haveBacrim).each(STORE_KINDS)('network imports in the audit log (%s)', (kind) => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-network-audit-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('records each vintage, and the groups vintage a newer one replaced', async () => {
    const records = await freshStore(kind);
    const stats = await openStats({ memory: true });
    try {
      const source = sourceById('bacrim-network')!;
      const options = { version: 'test', importedBy: 'ana', origin: 'test' };
      const first = path.join(dir, 'BACRIM2020_Nodes.csv');
      await copyFile(BACRIM_FILES[0]!, first);
      const a = await importAudited(stats, records, source, first, options);
      const second = path.join(dir, 'BACRIM2021_Nodes.csv');
      await writeFile(
        second,
        (await readFile(first, 'utf8')).replace('Banda de El Perro', 'Banda del Perro'),
      );
      const b = await importAudited(stats, records, source, second, options);
      expect(b.replaced).toEqual([a.vintage]);
      const rows = await records.db
        .selectFrom('audit_log')
        .select(['action', 'entity', 'entity_key', 'after'])
        .where('entity', '=', 'statistics vintage')
        .orderBy('id')
        .execute();
      const after = (r: (typeof rows)[number]) =>
        typeof r.after === 'string' ? JSON.parse(r.after) : r.after;
      expect(rows.map((r) => [r.action, r.entity_key])).toEqual([
        ['create', String(a.vintage)],
        ['create', String(b.vintage)],
        ['update', String(a.vintage)],
      ]);
      expect(after(rows[1]!)).toMatchObject({
        source: 'bacrim-network',
        layout: 'groups',
        sha256: b.sha256,
        rows_loaded: 150,
      });
      expect(after(rows[2]!)).toEqual({ replaced_by: b.vintage });
    } finally {
      stats.close();
      await records.dispose();
    }
  });
});
