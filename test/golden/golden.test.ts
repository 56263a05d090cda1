/**
 * Golden-output tests: what `marco stats`, `marco scorecard` and a rendered page print, on the real
 * shared data and the example workspace, compared byte for byte with `test/golden/output/<case>`.
 *
 * - A mismatch fails and writes `<case>-changed.<ext>` beside the expected file, for a diff.
 * - A missing expected file is written (and the test passes) only when `CI` is not `true`.
 * - `MARCO_UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites every expected file: review the diff
 *   before committing it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { openStats } from '../../src/stats/stats-store.js';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
import { runMarco } from '../fixtures/run-marco.js';
import { sharedFile } from '../stats/shared-data.js';
import { golden } from './golden-file.js';

const FILES = [
  ['inegi-geo-catalog', 'geo/cve_nom_estados.csv'],
  ['inegi-homicides-state', 'inegi/mexico-state-month-homicide-rates-2000-2022.csv'],
  ['conapo-population-state', 'conapo/conapo_pob_ent_gender_1950_2070.csv'],
] as const;
const paths = FILES.map(([, file]) => sharedFile(file));

(paths.every(Boolean) ? describe : describe.skip)('golden outputs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-golden-'));
    expect((await runMarco(dir, 'init', '--example')).code).toBe(EXIT.ok);
    for (const [i, [source]] of FILES.entries())
      expect((await runMarco(dir, 'import', source, paths[i]!)).code).toBe(EXIT.ok);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const query = ['--measure', 'homicides', '--geo', 'MX,08', '--from', '2017', '--to', '2020'];

  it('marco stats, as text in both languages and as CSV', async () => {
    const en = await runMarco(dir, 'stats', ...query, '--per', '100000');
    expect(en.code).toBe(EXIT.ok);
    await golden('stats-en.txt', en.stdout);
    const es = await runMarco(dir, '--lang', 'es', 'stats', ...query, '--per', '100000', '--by', 'year');
    await golden('stats-es.txt', es.stdout);
    const csv = await runMarco(dir, 'stats', ...query, '--per', '100000', '--csv');
    await golden('stats.csv', csv.stdout);
  });

  it('marco scorecard of the example workspace, in both languages', async () => {
    const en = await runMarco(dir, 'scorecard');
    expect(en.code).toBe(EXIT.ok);
    await golden('scorecard-en.txt', en.stdout);
    const es = await runMarco(dir, '--lang', 'es', 'scorecard', '--node', 'bicentennial:1');
    await golden('scorecard-es.txt', es.stdout);
  });

  it('marco sources on an empty store: every source with its publisher, licence and parameters', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'marco-golden-empty-'));
    try {
      const en = await runMarco(empty, 'sources');
      expect(en.code).toBe(EXIT.ok);
      await golden('sources-en.txt', en.stdout);
      await golden('sources-es.txt', (await runMarco(empty, '--lang', 'es', 'sources')).stdout);
      await golden('sources.json', (await runMarco(empty, 'sources', '--json')).stdout);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('a program page, rendered in Spanish', async () => {
    const stats = await openStats({ dataDir: dir });
    let records: RecordsStore | undefined;
    try {
      records = await openRecords({ memory: true });
      await loadBuiltins(records, 'test');
      await loadWorkspace(records, await exampleWorkspace(), { actor: 'test', now: clock });
      const res = await createApp({ store: records, stats }).request(
        '/programs/EX-CHIHUAHUA-PREVENTION?lang=es',
      );
      expect(res.status).toBe(200);
      await golden('program-es.html', await res.text());
    } finally {
      stats.close();
      await records?.close();
    }
  });
});
