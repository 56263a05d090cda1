/**
 * Network files that are wrong are refused whole, with where and why, and change nothing: an edge to an
 * unknown node, a duplicate node, a negative weight, a wrong header, a group in an unknown state, a ties
 * file before any groups file, and a ties file whose name says neither alliances nor rivalries. A right
 * file replaces the one of its kind, gzip-compressed or in Latin-1 alike, and re-importing it is a no-op.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MarcoError } from '../../src/error.js';
import { importFile } from '../../src/stats/importer.js';
import { readNetwork } from '../../src/stats/networks/network-read.js';
import { rollbackVintage } from '../../src/stats/rollback.js';
import { recogniseFile } from '../../src/stats/recognise.js';
import { SOURCES, sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';

const source = sourceById('bacrim-network')!;
const BOM = '\uFEFF';
const GROUPS = `${BOM}Node,Group,State,ShortName\r
N1,Cártel Uno,Ciudad de México,Uno\r
N2,Banda Dos,Guerrero,Dos\r
N3,Grupo Tres,Michoacán,Tres\r
N4,Los Cuatro,Veracruz,Cuatro\r
`;
const ALLIANCES = `${BOM}Edge,Node,Group,RNode,RGroup,weight\r
R1,N1,Cártel Uno,N2,Banda Dos,2\r
R2,N2,Banda Dos,N1,Cártel Uno,2\r
R3,N3,Grupo Tres,N4,Los Cuatro,1\r
`;

describe('network imports', () => {
  let dir: string;
  let stats: StatsStore;
  const file = async (name: string, text: string | Buffer) => {
    const f = path.join(dir, name);
    await writeFile(f, text);
    return f;
  };
  const refusal = async (f: string, params?: Record<string, string>) => {
    const error = await importFile(stats, source, f, { version: 'test', ...(params ? { params } : {}) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MarcoError);
    return { en: (error as MarcoError).messageIn('en'), es: (error as MarcoError).messageIn('es') };
  };
  const snapshot = async () => ({
    vintages: await stats.all('select id, layout, replaced_by from vintages order by id'),
    network: await readNetwork(stats),
  });

  beforeEach(async () => {
    dir ??= await mkdtemp(path.join(os.tmpdir(), 'marco-network-import-'));
    stats?.close();
    stats = await openStats({ memory: true });
  });
  afterAll(async () => {
    stats.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('recognises both kinds of file by their header, and imports groups then alliances', async () => {
    const groups = await file('Net_Nodes.csv', GROUPS);
    const ties = await file('Net_Alliances.csv', ALLIANCES);
    expect((await recogniseFile(groups, SOURCES))?.layout.name).toBe('groups');
    expect((await recogniseFile(ties, SOURCES))?.source.id).toBe('bacrim-network');
    const g = await importFile(stats, source, groups, { version: 'test' });
    const t = await importFile(stats, source, ties, { version: 'test' });
    expect([g.layout, g.rowsLoaded, t.layout, t.rowsLoaded]).toEqual(['groups', 4, 'alliances', 3]);
    const net = await readNetwork(stats);
    expect(net.groups.map((x) => x.state)).toEqual(['09', '12', '16', '30']);
    expect(net.ties.map((x) => x.edge)).toEqual(['R1', 'R2', 'R3']);
    // The same file again changes nothing.
    expect((await importFile(stats, source, ties, { version: 'test' })).status).toBe('unchanged');
  });

  it('refuses a ties file with an edge to an unknown node, at its line and column, and keeps the network', async () => {
    await importFile(stats, source, await file('Net_Nodes.csv', GROUPS), { version: 'test' });
    await importFile(stats, source, await file('Net_Alliances.csv', ALLIANCES), { version: 'test' });
    const before = await snapshot();
    const bad = await file('Net2_Alliances.csv', `${ALLIANCES}R4,N1,Cártel Uno,N9,Nadie,3\r\n`);
    const { en, es } = await refusal(bad);
    expect(en).toContain(`${bad}:5 RNode="N9": not a group of the network in force`);
    expect(en).toContain('nothing was imported');
    expect(es).toContain('no es un grupo de la red vigente');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a duplicate node and a group in an unknown state, with the nearest states', async () => {
    const bad = await file(
      'Bad_Nodes.csv',
      `${GROUPS}N2,Banda Dos Bis,Guerrero,Dos\r\nN5,Cinco,Chihuahuaa,Cinco\r\n`,
    );
    const { en, es } = await refusal(bad);
    expect(en).toContain('2 of 6 rows are wrong');
    expect(en).toContain(`${bad}:6 Node="N2": a node id given twice; first at line 3`);
    expect(en).toMatch(/:7 State="Chihuahuaa": not a Mexican state Marco knows; nearest: Chihuahua/);
    expect(es).toContain('un identificador de nodo repetido; aparece antes en la línea 3');
    expect(es).toContain('no es un estado de México que Marco conozca; los más cercanos: Chihuahua');
    expect(await snapshot()).toEqual({
      vintages: [],
      network: { groups: [], ties: [], vintages: [], orphanTies: 0 },
    });
  });

  it('refuses a negative weight and a weight that is not a number', async () => {
    await importFile(stats, source, await file('Net_Nodes.csv', GROUPS), { version: 'test' });
    const before = await snapshot();
    const bad = await file(
      'Net_Rivals.csv',
      `${BOM}Edge,Node,Group,RNode,RGroup,weight\r\nE1,N1,Cártel Uno,N3,Grupo Tres,-2\r\nE2,N2,Banda Dos,N3,Grupo Tres,mucho\r\n`,
    );
    const { en } = await refusal(bad);
    expect(en).toContain(`${bad}:2 weight="-2": a negative weight`);
    expect(en).toContain(`${bad}:3 weight="mucho": not a weight`);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a wrong header, ties before groups, and a ties file of no known kind', async () => {
    const header = await refusal(await file('Net_Nodes.csv', `${BOM}Node,Grupo,Estado\r\nN1,Uno,Colima\r\n`));
    expect(header.en).toContain('Node,Grupo,Estado');
    expect(header.en).toContain('node,group,state,shortname');
    const early = await refusal(await file('Net_Alliances.csv', ALLIANCES));
    expect(early.en).toContain('import the groups file (Node,Group,State,ShortName) first');
    await importFile(stats, source, await file('Net_Nodes.csv', GROUPS), { version: 'test' });
    const unnamed = await refusal(await file('ties-2021.csv', ALLIANCES));
    expect(unnamed.en).toContain('--param ties=alliance or --param ties=rivalry');
    expect(unnamed.es).toContain('--param ties=alliance o --param ties=rivalry');
    const wrongKind = await refusal(path.join(dir, 'ties-2021.csv'), { ties: 'both' });
    expect(wrongKind.en).toContain('--param ties=both: expected alliance, rivalry or auto');
    expect(wrongKind.es).toContain('--param ties=both: se esperaba alliance, rivalry o auto');
    const named = await importFile(stats, source, path.join(dir, 'ties-2021.csv'), {
      version: 'test',
      params: { ties: 'rivalry' },
    });
    expect(named.layout).toBe('rivalries');
    expect(await stats.all('select count(*)::int as n from vintages')).toEqual([{ n: 2 }]);
  });

  it('refuses a file that is not CSV at the line it breaks, and keeps nothing', async () => {
    const broken = await file('Broken_Nodes.csv', `${GROUPS}N5,"Cinco sin cerrar,Colima,Cinco\r\n`);
    const { en, es } = await refusal(broken);
    expect(en).toContain(`${broken}:`);
    expect(en).toContain('cannot be read as groups');
    expect(es).not.toContain('cannot be read');
    expect(await stats.all('select count(*)::int as n from vintages')).toEqual([{ n: 0 }]);
  });

  it('replaces the groups in force, gzip-compressed or Latin-1 alike', async () => {
    await importFile(stats, source, await file('Net_Nodes.csv', GROUPS), { version: 'test' });
    const latin = Buffer.from(
      GROUPS.replace(BOM, '').replace('N4,Los Cuatro', 'N4,Los Cuatro Nuevo'),
      'latin1',
    );
    const second = await importFile(stats, source, await file('Net2_Nodes.csv.gz', gzipSync(latin)), {
      version: 'test',
    });
    expect(second.replaced).toEqual([1]);
    const net = await readNetwork(stats);
    expect(net.groups.map((g) => g.name)).toEqual([
      'Cártel Uno',
      'Banda Dos',
      'Grupo Tres',
      'Los Cuatro Nuevo',
    ]);
    expect(net.vintages.map((v) => v.layout)).toEqual(['groups']);
  });

  it('rolls back a groups file: the one it replaced is in force again, and a replaced one waits', async () => {
    await importFile(stats, source, await file('Net_Nodes.csv', GROUPS), { version: 'test' });
    const newer = GROUPS.replace('N4,Los Cuatro,Veracruz', 'N4,Los Cuatro,Coahuila');
    const second = await importFile(stats, source, await file('Net3_Nodes.csv', newer), { version: 'test' });
    expect((await readNetwork(stats)).groups.map((g) => g.state)).toEqual(['09', '12', '16', '05']);
    const early = await rollbackVintage(stats, 1, 'test').then(
      () => undefined,
      (e: unknown) => e as MarcoError,
    );
    expect(early?.messageIn('en')).toContain(String(second.vintage));
    const report = await rollbackVintage(stats, second.vintage, 'test');
    expect(report.reinstated).toEqual([{ vintage: 1, table: 'network_groups', rows: 4 }]);
    const net = await readNetwork(stats);
    expect(net.groups.map((g) => g.state)).toEqual(['09', '12', '16', '30']);
    expect(net.vintages.map((v) => v.id)).toEqual([1]);
  });
});
