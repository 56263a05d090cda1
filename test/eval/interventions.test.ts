/**
 * The interventions service: reading an events file as spreadsheets write it (a byte-order mark, CRLF,
 * quoted fields with commas and doubled quotes, blank lines), and adding events to the records store in
 * one transaction, listed in date order with the built-in ones, each problem with its position.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Intervention } from '../../src/domain/interventions.js';
import { ValidationError } from '../../src/error.js';
import {
  addInterventions,
  builtinInterventions,
  evaluationInterventions,
  listInterventions,
  readInterventions,
} from '../../src/eval/interventions.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { countRows, freshStore, STORE_KINDS } from '../records/stores.js';

const HEADER = 'event_id,type,name,date,geo_level,geo_codes,source';

describe('reading an interventions file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-interventions-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a spreadsheet export: BOM, CRLF, quoted fields and blank lines, with each event’s line', async () => {
    const file = path.join(dir, 'events.csv');
    await writeFile(
      file,
      `\uFEFF${HEADER}\r\n` +
        `op-a,military_operation,"Operativo ""Conjunto"", Sinaloa",2007-01-22,state,"25; 10",src a\r\n` +
        '\r\n' +
        `cap-b,leader_capture,Captura,2009-12-16,municipality,17007,"a, b"\r\n`,
    );
    expect(await readInterventions(file)).toEqual([
      {
        id: 'op-a',
        type: 'military_operation',
        name: 'Operativo "Conjunto", Sinaloa',
        date: '2007-01-22',
        level: 'state',
        places: ['25', '10'],
        source: 'src a',
        line: 2,
      },
      {
        id: 'cap-b',
        type: 'leader_capture',
        name: 'Captura',
        date: '2009-12-16',
        level: 'municipality',
        places: ['17007'],
        source: 'a, b',
        line: 4,
      },
    ]);
  });

  it('refuses another header, and a short line, with file:line', async () => {
    const file = path.join(dir, 'other.csv');
    await writeFile(file, 'id,type,name,date,level,codes,source\n');
    const error = (await readInterventions(file).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues).toMatchObject([{ path: `${file}:1`, message: `expected the header ${HEADER}` }]);
    expect(error.messageIn('es')).toContain(`${file}:1: se esperaba el encabezado ${HEADER}`);
    const short = path.join(dir, 'short.csv');
    await writeFile(short, `${HEADER}\nop-a,military_operation\n`);
    const issues = ((await readInterventions(short).catch((e: unknown) => e)) as ValidationError).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.path.startsWith(`${short}:2`))).toBe(true);
  });

  it('ships 18 built-in events, read once', async () => {
    const a = await builtinInterventions();
    expect(a).toHaveLength(18);
    expect(await builtinInterventions()).toBe(a);
  });
});

const event = (id: string, date: string, places = ['19']): Intervention => ({
  id,
  type: 'test_operation',
  name: `Event ${id}`,
  date,
  level: 'state',
  places,
  source: 'test fixture',
});

for (const kind of STORE_KINDS)
  describe(`adding interventions on ${kind}`, () => {
    let store: Awaited<ReturnType<typeof freshStore>>;
    beforeAll(async () => {
      store = await freshStore(kind);
      await loadBuiltins(store, 'test');
    });
    afterAll(() => store?.dispose());
    const owner = { country: 'MX', agency: 'SSPC' } as const;

    it('refuses a batch with any bad event, each problem at its position, and adds nothing', async () => {
      const before = await countRows(store);
      const refused = async (
        events: Intervention[],
        o: { country: 'US' | 'MX'; agency: string } = owner,
        at?: { where: (i: number) => string; names: Partial<Record<keyof Intervention, string>> },
      ) => {
        const error = await addInterventions(store, events, o, { actor: 'test' }, at ?? {}).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
      };
      expect(await refused([])).toEqual(['(root): no interventions to add']);
      expect(
        await refused([
          event('x-1', '2010-01-01'),
          event('x-1', '2010-02-01'),
          event('op-michoacan', '2010-03-01'),
        ]),
      ).toEqual([
        '[1] id: the id "x-1" is already taken; choose another or list them with marco events list',
        '[2] id: the id "op-michoacan" is already taken; choose another or list them with marco events list',
      ]);
      // A file's events: each problem at file:line, under the file's column names.
      const inFile = await refused([event('x-2', '2010-01-01'), event('x-2', '2010-13-01')], owner, {
        where: (i) => `events.csv:${i + 2}`,
        names: { id: 'event_id', date: 'date' },
      });
      expect(inFile).toContain(
        'events.csv:3 event_id: the id "x-2" is already taken; choose another or list them with marco events list',
      );
      expect(inFile.some((i) => i.startsWith('events.csv:3 date:'))).toBe(true);
      expect(await refused([event('x-3', '2010-01-01')], { country: 'MX', agency: 'NOPE' })).toEqual([
        '--agency: unknown organisation "NOPE"',
      ]);
      expect(await countRows(store)).toEqual(before);
    });

    it('adds a batch, listed with the built-in events by date, then id', async () => {
      expect(
        await addInterventions(
          store,
          [event('z-late', '2007-01-22'), event('a-early', '2007-01-22'), event('m-first', '1999-05-01')],
          owner,
          { actor: 'test' },
        ),
      ).toEqual(['z-late', 'a-early', 'm-first']);
      const listed = await listInterventions(store);
      expect(listed).toHaveLength(21);
      const order = listed.map((e) => `${e.date} ${e.id}`);
      expect(order).toEqual([...order].sort());
      expect(listed[0]).toMatchObject({ id: 'm-first', country: 'MX', agency: 'SSPC' });
      const sameDay = listed.filter((e) => e.date === '2007-01-22').map((e) => e.id);
      expect(sameDay).toEqual(['a-early', 'op-triangulo-dorado', 'z-late']);
      expect(listed.find((e) => e.id === 'op-triangulo-dorado')).toMatchObject({
        added_by: 'built-in',
        country: null,
        agency: null,
      });
      const forEvaluation = await evaluationInterventions(store);
      expect(forEvaluation[0]).toEqual({
        id: 'm-first',
        type: 'test_operation',
        name: 'Event m-first',
        date: '1999-05-01',
        level: 'state',
        places: ['19'],
        source: 'test fixture',
      });
    });
  });
