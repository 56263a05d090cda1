import { DataError } from '../../src/stats/import-report.js';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Zip, ZipDeflate, zipSync } from 'fflate';
import Bunzip from 'seek-bzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompressToTemp } from '../../src/stats/file-reading.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { reconcile } from '../../src/stats/reconcile.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const VICTIMS = sharedFile('sesnsp/db_victimas_delitos_ent_long.csv.bz2');
const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const options = { version: 'test' };

(VICTIMS && STATE ? describe : describe.skip)('compressed files: bzip2 and zip', () => {
  let dir: string;
  let stats: StatsStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-compressed-'));
    stats = await openStats({ dataDir: dir });
  });
  afterAll(async () => {
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports the SESNSP victims bzip2 file with totals checked against the file', async () => {
    const report = await importFile(stats, sourceById('sesnsp-victims')!, VICTIMS!, options);
    expect(report).toMatchObject({
      status: 'imported',
      rowsRead: 927_360,
      rowsLoaded: 927_360,
      rowsRejected: 0,
    });
    expect(report.decompressSeconds).toBeGreaterThan(0);

    // Independent count: the decompressed text, split by hand (no field in this file holds a comma).
    const text = Bunzip.decode(await readFile(VICTIMS!)).toString('utf8');
    const rows = text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const sum = (subtype: string, year: string) =>
      rows.filter((f) => f[7] === subtype && f[1] === year).reduce((s, f) => s + Number(f[11]), 0);
    const series = async (measure: string, filters?: Record<string, string>) =>
      (
        await querySeries(stats, {
          measure,
          geo: ['MX'],
          by: 'year',
          from: '2019',
          to: '2019',
          ...(filters ? { filters } : {}),
        })
      ).series[0]!.points[0]!.value;
    expect(await series('homicide_victims')).toBe(sum('Homicidio doloso', '2019'));
    expect(await series('femicide_victims')).toBe(sum('Feminicidio', '2019'));
    expect(await series('kidnapping_victims')).toBe(sum('Secuestro', '2019'));
    expect(await series('extortion_victims')).toBe(sum('Extorsión', '2019'));
    expect(await series('crime_victims', { crime_subtype: 'Trata de personas' })).toBe(
      sum('Trata de personas', '2019'),
    );
    const women = rows
      .filter((f) => f[7] === 'Homicidio doloso' && f[1] === '2019' && f[9] === 'Mujer')
      .reduce((s, f) => s + Number(f[11]), 0);
    expect(await series('homicide_victims', { sex: 'Mujer' })).toBe(women);
  });

  it('reconciles INEGI homicides with SESNSP victims by year and state', async () => {
    await importFile(stats, sourceById('inegi-homicides-state')!, STATE!, options);
    const rows = await reconcile(stats, { from: '2019', to: '2019' });
    const inegi = (await sharedLines(STATE!)).slice(1).map((l) => l.split('|'));
    const text = Bunzip.decode(await readFile(VICTIMS!)).toString('utf8');
    const victims = text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const sesnsp = (state: string, subtype: string) =>
      victims
        .filter((f) => f[1] === '2019' && f[3] === state && f[7] === subtype)
        .reduce((s, f) => s + Number(f[11]), 0);
    const cdmx = rows.find((r) => r.geo === '09' && r.year === '2019')!;
    const i09 = inegi.filter((f) => f[0] === '09' && f[1] === '2019').reduce((s, f) => s + Number(f[3]), 0);
    expect(cdmx).toMatchObject({
      inegiHomicides: i09,
      sesnspHomicideVictims: sesnsp('09', 'Homicidio doloso'),
      sesnspFemicideVictims: sesnsp('09', 'Feminicidio'),
    });
    expect(cdmx.gap).toBeCloseTo((cdmx.sesnspTotal! - i09) / i09, 12);
    expect(rows[0]!.geo).toBe('MX');
    expect(rows.filter((r) => r.year === '2019')).toHaveLength(33);
  });

  it('imports a CSV inside a zip file', async () => {
    const zip = path.join(dir, 'state.zip');
    await writeFile(zip, zipSync({ 'mexico-state-month.csv': await readFile(STATE!) }));
    const report = await importFile(stats, sourceById('inegi-homicides-state')!, zip, options);
    expect(report).toMatchObject({ status: 'imported', rowsRead: 8832, rowsRejected: 0 });
  });

  it('streams a zip whose sizes follow the data (a data descriptor), as web servers write them', async () => {
    const zip = path.join(dir, 'streamed.zip');
    const chunks: Uint8Array[] = [];
    const archive = new Zip((error, chunk) => {
      if (error) throw error;
      chunks.push(chunk);
    });
    const entry = new ZipDeflate('state/mexico-state-month.csv');
    archive.add(entry);
    // Fed in 64 kB pieces, as a download arrives: the local header cannot know the sizes.
    const state = await readFile(STATE!);
    for (let at = 0; at < state.length; at += 65_536) entry.push(state.subarray(at, at + 65_536));
    entry.push(new Uint8Array(0), true);
    archive.end();
    await writeFile(zip, Buffer.concat(chunks));
    expect(chunks[0]![6]! & 8).toBe(8);
    const out = await decompressToTemp(zip, 'zip');
    try {
      expect(path.basename(out.path)).toBe('mexico-state-month.csv');
      expect((await readFile(out.path)).equals(state)).toBe(true);
    } finally {
      await rm(path.dirname(out.path), { recursive: true, force: true });
    }
  });

  it('refuses a truncated zip, leaving no temporary file behind', async () => {
    const whole = zipSync({ 'mexico-state-month.csv': await readFile(STATE!) });
    const truncated = path.join(dir, 'truncated.zip');
    await writeFile(truncated, whole.subarray(0, whole.length >> 1));
    const temps = async () =>
      (await readdir(os.tmpdir())).filter((f) => f.startsWith('marco-import-')).sort();
    const before = await temps();
    await expect(importFile(stats, sourceById('inegi-homicides-state')!, truncated, options)).rejects.toThrow(
      DataError,
    );
    expect(await temps()).toEqual(before);
  });

  it('refuses a truncated bzip2 file and a zip without exactly one CSV, changing nothing', async () => {
    const [before] = await stats.all(`select count(*) as n from vintages`);
    const bytes = await readFile(VICTIMS!);
    const truncated = path.join(dir, 'truncated.csv.bz2');
    await writeFile(truncated, bytes.subarray(0, bytes.length >> 1));
    await expect(importFile(stats, sourceById('sesnsp-victims')!, truncated, options)).rejects.toThrow(
      DataError,
    );
    const twoFiles = path.join(dir, 'two.zip');
    await writeFile(twoFiles, zipSync({ 'a.csv': new Uint8Array([97]), 'b.csv': new Uint8Array([98]) }));
    await expect(importFile(stats, sourceById('inegi-homicides-state')!, twoFiles, options)).rejects.toThrow(
      /exactly one .csv file inside, found 2/,
    );
    expect(await stats.all(`select count(*) as n from vintages`)).toEqual([before]);
  });
});
