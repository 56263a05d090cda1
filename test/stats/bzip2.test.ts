/**
 * bzip2 on several cores (`src/stats/decompress/`): the block map of real SESNSP files, byte-exact output
 * against seek-bzip's own one-pass decoding, files of several streams, damage found, and line numbers
 * kept by row order (`Source.linesByOrder`) on the whole 927,360-row victims file.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Bunzip from 'seek-bzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bunzip2Head, bunzip2ToFile } from '../../src/stats/decompress/bzip2.js';
import { bzip2Streams, findMagic } from '../../src/stats/decompress/bzip2-blocks.js';
import { DataError } from '../../src/stats/import-report.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats } from '../../src/stats/stats-store.js';
import { sharedFile } from './shared-data.js';

const VICTIMS = sharedFile('sesnsp/db_victimas_delitos_ent_long.csv.bz2');
const WOMEN = sharedFile('sesnsp/db_incidencia_ent_nac_year_x100khab_mujeres.csv.bz2');
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

(VICTIMS && WOMEN ? describe : describe.skip)('bzip2 on several cores', () => {
  let dir: string;
  let victims: Buffer;
  let women: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-bzip2-'));
    victims = await readFile(VICTIMS!);
    women = await readFile(WOMEN!);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('maps every block of a real file without decompressing it, the stream CRC agreeing', () => {
    const streams = bzip2Streams(victims)!;
    expect(streams).toHaveLength(1);
    // 133 MB of CSV in blocks of at most 900 kB before bzip2's first run-length step.
    expect(streams[0]!.blocks.length).toBeGreaterThanOrEqual(140);
    expect(streams[0]!.blocks[0]).toBe(32);
    expect(streams[0]!.end).toBe(victims.length);
    // The magic is found at every bit offset: a copy shifted by 3 bits has its blocks 3 bits later.
    const shifted = Buffer.alloc(victims.length + 1);
    for (let i = 0; i < victims.length; i++) {
      shifted[i] = (shifted[i]! | (victims[i]! >> 3)) & 0xff;
      shifted[i + 1] = (victims[i]! << 5) & 0xff;
    }
    const magic = 0x314159265359;
    expect(findMagic(shifted, magic)).toEqual(findMagic(victims, magic).map((b) => b + 3));
  });

  it('decompresses byte for byte as seek-bzip does in one pass, in a child process that reports its peak', async () => {
    const out = path.join(dir, 'victims.csv');
    const peak = await bunzip2ToFile(VICTIMS!, out);
    expect(peak).toBeGreaterThan(20);
    const written = await readFile(out);
    expect(written.length).toBe(132_828_795);
    expect(sha(written)).toBe(sha(Bunzip.decode(victims)));
  });

  it('reads every stream of a file written by a parallel compressor (streams one after another)', async () => {
    const file = path.join(dir, 'two-streams.csv.bz2');
    const bytes = Buffer.concat([women, victims]);
    await writeFile(file, bytes);
    expect(bzip2Streams(bytes)).toHaveLength(2);
    const out = path.join(dir, 'two-streams.csv');
    await bunzip2ToFile(file, out);
    const expected = Buffer.concat([Bunzip.decode(women), Bunzip.decode(victims)]);
    expect(sha(await readFile(out))).toBe(sha(expected));
  });

  it('reads a header from the first block alone', () => {
    const head = Buffer.from(bunzip2Head(victims)!).toString('utf8');
    expect(head.split('\n')[0]).toBe(
      'date_year_month,n_year,n_month,cve_ent,nombre_estado,bien_juridico_afectado,tipo_de_delito,subtipo_de_delito,modalidad,genero,rango_de_edad,n_victimas',
    );
    expect(bunzip2Head(Buffer.from('BZh9 not bzip2'))).toBeUndefined();
  });

  it('refuses a file with one damaged block, whether the damage hides a block or corrupts its data', async () => {
    const streams = bzip2Streams(victims)!;
    const middle = streams[0]!.blocks[70]!;
    // A byte inside block 70's data: its CRC fails in a worker.
    const data = Buffer.from(victims);
    data[(middle >> 3) + 5000]! ^= 0x40;
    const file = path.join(dir, 'damaged.csv.bz2');
    await writeFile(file, data);
    const out = path.join(dir, 'damaged.csv');
    await expect(bunzip2ToFile(file, out)).rejects.toThrow(/CRC|data|error/i);
    // A byte of block 70's magic: the map no longer adds up, and the one-pass decoder names the damage.
    const hidden = Buffer.from(victims);
    hidden[(middle >> 3) + 2]! ^= 0x01;
    expect(bzip2Streams(hidden)).toBeUndefined();
    const hiddenFile = path.join(dir, 'hidden.csv.bz2');
    await writeFile(hiddenFile, hidden);
    await expect(bunzip2ToFile(hiddenFile, out)).rejects.toThrow();
    // Through the importer: a DataError, and nothing written.
    const stats = await openStats({ memory: true });
    try {
      await expect(
        importFile(stats, sourceById('sesnsp-victims')!, file, { version: 'test' }),
      ).rejects.toThrow(DataError);
      expect(await stats.all(`select count(*) as n from vintages`)).toEqual([{ n: 0 }]);
    } finally {
      stats.close();
    }
  });

  it('numbers lines by row order across the whole file: a damaged line near the end is reported at its own line', async () => {
    const lines = Bunzip.decode(victims).toString('utf8').split('\n');
    // Line 900,001 of the file (index 900,000; the header is line 1), and one more in the first rows.
    const fields = lines[900_000]!.split(',');
    fields[11] = 'n/d';
    lines[900_000] = fields.join(',');
    const early = lines[1]!.split(',');
    early[2] = '13';
    lines[1] = early.join(',');
    const file = path.join(dir, 'victims-two-bad.csv');
    await writeFile(file, lines.join('\n'));
    const stats = await openStats({ memory: true });
    try {
      const report = await importFile(stats, sourceById('sesnsp-victims')!, file, {
        version: 'test',
        maxRejectShare: 0.5,
      });
      expect(report.rowsRejected).toBe(2);
      expect(report.rejects.map((r) => [r.line, r.column, r.value])).toEqual([
        [2, 'n_month', '13'],
        [900_001, 'n_victimas', 'n/d'],
      ]);
      expect(await stats.all(`select line, "column" from rejects order by line`)).toEqual([
        { line: 2, column: 'n_month' },
        { line: 900_001, column: 'n_victimas' },
      ]);
    } finally {
      stats.close();
    }
  });
});
