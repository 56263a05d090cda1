/**
 * Place codes checked against the geography spine where records are written: a workspace's results,
 * targets and linked series, and interventions (library, API and CLI), each unknown code refused at its
 * path or file line with the nearest codes the INEGI catalogue knows, in English and Spanish; a level the
 * spine holds nothing of is checked by format only.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeChecker } from '../../src/domain/place-check.js';
import { EXIT, ValidationError } from '../../src/error.js';
import { addInterventions } from '../../src/eval/interventions.js';
import { translator } from '../../src/i18n/index.js';
import { readInputDocument } from '../../src/domain/input-document.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsMetadata, type StatsStore } from '../../src/stats/stats-store.js';
import { runMarco } from '../fixtures/run-marco.js';
import { clock } from '../fixtures/workspace.js';
import { sharedFile } from '../stats/shared-data.js';
import { STORE_KINDS, countRows, freshStore } from './stores.js';

const STATES = sharedFile('geo/cve_nom_estados.csv');
const MUNICIPALITIES = sharedFile('geo/cve_nom_municipios.csv');

const WORKSPACE = (place: string, target: string, geo: string) => `marco: workspace/1
defaults:
  country: MX
  agency: SSPC
programs:
  - code: TEST-PLACES
    title: { en: Places, es: Lugares }
    status: active
    indicators:
      - code: TEST-PLACES-1
        name: { en: Homicides, es: Homicidios }
        definition: { en: Counted, es: Contado }
        level: outcome
        unit: { en: deaths, es: defunciones }
        direction: decrease
        source: INEGI
        frequency: annual
        responsible: Test owner
        aggregation: sum
        series: { measure: homicides, geo: '${geo}' }
        targets:
          - { period: '2020', value: 1, place: '${target}' }
results:
  - indicator: TEST-PLACES-1
    period: '2020'
    place: '${place}'
    value: 3
`;

(STATES && MUNICIPALITIES ? describe : describe.skip)('place codes against the geography spine', () => {
  let stats: StatsStore;
  let places: StatsMetadata['places'];
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    for (const file of [STATES!, MUNICIPALITIES!])
      await importFile(stats, sourceById('inegi-geo-catalog')!, file, { version: 'test' });
    places = (await stats.metadata()).places;
  });
  afterAll(() => stats?.close());

  it('names the nearest known codes of the same level, a municipality’s from its own state', () => {
    const check = placeChecker(places);
    expect(check('08037', 'x')).toBeUndefined();
    expect(check('TX', 'x')).toBeUndefined();
    // Chihuahua's municipalities end at 08067.
    const juarez = check('08068', 'results[0].place')!;
    expect(juarez.path).toBe('results[0].place');
    expect(juarez.message).toMatch(
      /^no place "08068" in the geography catalogue; nearest codes: 08067 Valle de Zaragoza, 08066 Uruachi, /,
    );
    // Every suggestion is a municipality of Chihuahua.
    const near = (juarez.text!.values as { near: string }).near.split(', ').map((n) => n.slice(0, 5));
    expect(near).toHaveLength(5);
    for (const code of near) expect(code.startsWith('08') && places.get(code)?.level).toBe('municipality');
    expect(translator('es')(juarez.text!.key, juarez.text!.values)).toContain(
      'no hay ningún lugar "08068" en el catálogo geográfico; códigos más cercanos: 08067 Valle de Zaragoza',
    );
    expect(check('33', 'x')!.message).toContain('nearest codes: 32 Zacatecas');
    // A spine without municipalities checks them by format only.
    const statesOnly = new Map([...places].filter(([, p]) => p.level !== 'municipality'));
    expect(placeChecker(statesOnly)('08068', 'x')).toBeUndefined();
  });

  describe.each(STORE_KINDS)('in a workspace on %s', (kind) => {
    let store: Awaited<ReturnType<typeof freshStore>>;
    beforeAll(async () => {
      store = await freshStore(kind);
      await loadBuiltins(store, 'test');
      // The example workspace's own places are all in the catalogue.
      const doc = await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE);
      await loadWorkspace(store, doc.data, { actor: 'alice', now: clock, locate: doc.locate, places });
    });
    afterAll(() => store?.dispose());

    it('refuses a result, a target and a linked series at unknown places, located in the file, writing nothing', async () => {
      const before = await countRows(store);
      const doc = readInputDocument(WORKSPACE('08068', '33', '08099'), 'bad.yaml');
      const error = await loadWorkspace(store, doc.data, {
        actor: 'mallory',
        now: clock,
        source: 'bad.yaml',
        locate: doc.locate,
        places,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      const issues = (error as ValidationError).issues;
      expect(issues.map((i) => i.path).sort()).toEqual([
        'programs[0].indicators[0].series.geo',
        'programs[0].indicators[0].targets[0].place',
        'results[0].place',
      ]);
      const result = issues.find((i) => i.path === 'results[0].place')!;
      expect(result.location).toMatch(/^bad\.yaml:\d+:\d+$/);
      expect(result.message).toContain('nearest codes: 08067 Valle de Zaragoza');
      expect(await countRows(store)).toEqual(before);
      // The same file at known places is accepted (a dry run writes nothing).
      const good = readInputDocument(WORKSPACE('08037', '08', 'MX'), 'good.yaml');
      await loadWorkspace(store, good.data, { actor: 'alice', now: clock, dryRun: true, places });
      // Without a spine, places are checked by format only.
      await loadWorkspace(store, doc.data, { actor: 'alice', now: clock, dryRun: true });
      expect(await countRows(store)).toEqual(before);
    });

    it('refuses interventions at unknown places, each at its own position', async () => {
      const before = await countRows(store);
      const event = (id: string, level: 'state' | 'municipality', codes: string[]) => ({
        id,
        type: 'military_operation',
        name: 'Test',
        date: '2010-01-01',
        level,
        places: codes,
        source: 'a test',
      });
      const error = await addInterventions(
        store,
        [event('ok-1', 'state', ['08']), event('bad-2', 'municipality', ['08037', '08068'])],
        { country: 'MX', agency: 'SSPC' },
        { actor: 'test' },
        { places },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => [i.path, i.message.slice(0, 62)])).toEqual([
        ['[1] places', 'no place "08068" in the geography catalogue; nearest codes: 08'],
      ]);
      expect(await countRows(store)).toEqual(before);
    });
  });

  it('refuses an unknown place in marco events import with its file line, in Spanish too', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-places-'));
    try {
      const onDisk = await openStats({ dataDir: dir });
      await importFile(onDisk, sourceById('inegi-geo-catalog')!, MUNICIPALITIES!, { version: 'test' });
      await importFile(onDisk, sourceById('inegi-geo-catalog')!, STATES!, { version: 'test' });
      onDisk.close();
      const file = path.join(dir, 'events.csv');
      await writeFile(
        file,
        'event_id,type,name,date,geo_level,geo_codes,source\n' +
          'op-juarez,military_operation,Operativo Conjunto Chihuahua,2008-03-28,municipality,08037,DOF\n' +
          'op-typo,military_operation,Typo,2008-03-28,municipality,08068,DOF\n',
      );
      for (const [lang, words] of [
        [
          'en',
          `${file}:3 geo_codes: no place "08068" in the geography catalogue; nearest codes: 08067 Valle de Zaragoza`,
        ],
        ['es', `${file}:3 geo_codes: no hay ningún lugar "08068" en el catálogo geográfico`],
      ] as const) {
        const r = await runMarco(
          dir,
          '--lang',
          lang,
          'events',
          'import',
          file,
          '--country',
          'MX',
          '--agency',
          'SSPC',
        );
        expect(r.code).toBe(EXIT.invalid);
        expect(r.stderr).toContain(words);
      }
      const list = await runMarco(dir, 'events', 'list', '--json', '--type', 'military_operation');
      expect(JSON.parse(list.stdout).some((e: { id: string }) => e.id === 'op-juarez')).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
