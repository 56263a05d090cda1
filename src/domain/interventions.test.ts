import { describe, expect, it } from 'vitest';
import { interventionIssues as issuesWithTexts, type Intervention } from './interventions.js';
import { translator } from '../i18n/index.js';

/** The problems as path and English message (their catalog texts are tested below). */
const interventionIssues = (...args: Parameters<typeof issuesWithTexts>) =>
  issuesWithTexts(...args).map(({ path, message }) => ({ path, message }));

const VALID: Intervention = {
  id: 'op-michoacan.2006_12',
  type: 'military_operation',
  name: 'Operativo Conjunto Michoacán',
  date: '2006-12-11',
  level: 'state',
  places: ['16'],
  source: 'Presidencia de la República, 11 December 2006',
};

const event = (changes: Partial<Intervention>): Intervention => ({ ...VALID, ...changes });

const ID = (got: string) =>
  `expected an id of lower-case letters, digits, ".", "_" or "-" (at most 80), got ${JSON.stringify(got)}`;
const TYPE = (got: string) =>
  `expected a type such as military_operation or leader_capture, got ${JSON.stringify(got)}`;
const NAME = 'expected a name of 1 to 300 characters';
const SOURCE = 'expected the source of the event (a citation or a link, up to 500 characters)';

describe('interventionIssues', () => {
  it('finds nothing wrong with a valid event', () => {
    expect(interventionIssues(VALID, '[0]')).toEqual([]);
    expect(
      interventionIssues(event({ level: 'municipality', places: ['16053', '09015'] }), 'events.csv:2'),
    ).toEqual([]);
  });

  it.each(['a', '0', 'z9', 'a.b_c-d', 'x'.repeat(80), '9'.repeat(80)])('accepts the id %j', (id) => {
    expect(interventionIssues(event({ id }), '[0]')).toEqual([]);
  });

  it.each(['', 'A', 'aB', '-a', '.a', '_a', 'a b', 'a/b', ' a', 'a ', 'x'.repeat(81), 'é'])(
    'refuses the id %j',
    (id) => {
      expect(interventionIssues(event({ id }), '[1]')).toEqual([{ path: '[1] id', message: ID(id) }]);
    },
  );

  it.each(['a', 'z', 'leader_capture', 'a0_9', 'x'.repeat(40)])('accepts the type %j', (type) => {
    expect(interventionIssues(event({ type }), '[0]')).toEqual([]);
  });

  it.each(['', '0a', '_a', 'Military', 'a-b', 'a.b', 'a b', ' a', 'a ', 'x'.repeat(41)])(
    'refuses the type %j',
    (type) => {
      expect(interventionIssues(event({ type }), '[0]')).toEqual([{ path: '[0] type', message: TYPE(type) }]);
    },
  );

  it('takes a name of 1 to 300 characters', () => {
    expect(interventionIssues(event({ name: 'x' }), '[0]')).toEqual([]);
    expect(interventionIssues(event({ name: 'x'.repeat(300) }), '[0]')).toEqual([]);
    expect(interventionIssues(event({ name: '' }), '[0]')).toEqual([{ path: '[0] name', message: NAME }]);
    expect(interventionIssues(event({ name: 'x'.repeat(301) }), '[0]')).toEqual([
      { path: '[0] name', message: NAME },
    ]);
  });

  it.each(['2020-02-29', '1800-01-01', '2200-12-31', '2006-12-11'])('accepts the date %j', (date) => {
    expect(interventionIssues(event({ date }), '[0]')).toEqual([]);
  });

  it.each([
    '',
    '2019-02-29',
    '2020-02-30',
    '2020-13-01',
    '2020-00-01',
    '2020-1-01',
    '20200101',
    'x2020-01-01',
    '2020-01-01x',
    '2020-01-01T00:00:00Z',
  ])('refuses the date %j', (date) => {
    expect(interventionIssues(event({ date }), '[0]')).toEqual([
      { path: '[0] date', message: `not a date YYYY-MM-DD: ${JSON.stringify(date)}` },
    ]);
  });

  it('refuses another level, without checking the places', () => {
    expect(
      interventionIssues(event({ level: 'country' as Intervention['level'], places: [] }), '[0]'),
    ).toEqual([{ path: '[0] level', message: 'expected state or municipality' }]);
  });

  it.each([
    ['state', [], 2],
    ['state', ['1'], 2],
    ['state', ['160'], 2],
    ['state', ['16', 'x6'], 2],
    ['state', ['16053'], 2],
    ['state', ['a16'], 2],
    ['municipality', [], 5],
    ['municipality', ['16'], 5],
    ['municipality', ['1605'], 5],
    ['municipality', ['160530'], 5],
    ['municipality', ['16053', '1605a'], 5],
  ] as const)('refuses the %s places %j', (level, places, width) => {
    expect(interventionIssues(event({ level, places: [...places] }), '[0]')).toEqual([
      { path: '[0] places', message: `expected ${width}-digit INEGI codes` },
    ]);
  });

  it('accepts several places of the right width', () => {
    expect(interventionIssues(event({ level: 'state', places: ['00', '99', '32'] }), '[0]')).toEqual([]);
    expect(interventionIssues(event({ level: 'municipality', places: ['00000', '99999'] }), '[0]')).toEqual(
      [],
    );
  });

  it('takes a source of 1 to 500 characters', () => {
    expect(interventionIssues(event({ source: 'x' }), '[0]')).toEqual([]);
    expect(interventionIssues(event({ source: 'x'.repeat(500) }), '[0]')).toEqual([]);
    expect(interventionIssues(event({ source: '' }), '[0]')).toEqual([
      { path: '[0] source', message: SOURCE },
    ]);
    expect(interventionIssues(event({ source: 'x'.repeat(501) }), '[0]')).toEqual([
      { path: '[0] source', message: SOURCE },
    ]);
  });

  it('reports every problem, in field order, named as the input names them', () => {
    const bad: Intervention = {
      id: 'Bad Id',
      type: 'Bad',
      name: '',
      date: '2020-02-30',
      level: 'municipality',
      places: ['16'],
      source: '',
    };
    expect(
      interventionIssues(bad, 'interventions.csv:3', { level: 'geo_level', places: 'geo_codes' }),
    ).toEqual([
      { path: 'interventions.csv:3 id', message: ID('Bad Id') },
      { path: 'interventions.csv:3 type', message: TYPE('Bad') },
      { path: 'interventions.csv:3 name', message: NAME },
      { path: 'interventions.csv:3 date', message: 'not a date YYYY-MM-DD: "2020-02-30"' },
      { path: 'interventions.csv:3 geo_codes', message: 'expected 5-digit INEGI codes separated by ;' },
      { path: 'interventions.csv:3 source', message: SOURCE },
    ]);
  });

  it('names a bad level as the input does', () => {
    expect(
      interventionIssues(event({ level: '' as Intervention['level'] }), 'f.csv:2', { level: 'geo_level' }),
    ).toEqual([{ path: 'f.csv:2 geo_level', message: 'expected state or municipality' }]);
  });

  it('locates by the field alone without a `where`, as for CLI flags', () => {
    expect(interventionIssues(event({ date: 'x' }), '', { date: '--date' })).toEqual([
      { path: '--date', message: 'not a date YYYY-MM-DD: "x"' },
    ]);
    expect(interventionIssues(event({ name: '' }), '')).toEqual([{ path: 'name', message: NAME }]);
  });
});

describe('intervention problems in Spanish', () => {
  it('carry catalog texts whose English is the message', () => {
    const bad = issuesWithTexts(
      { ...VALID, date: '2008-02-30', places: ['1'], level: 'municipality' },
      'events.csv:3',
      { places: 'geo_codes' },
    );
    const es = translator('es');
    expect(bad.map((i) => [i.path, es(i.text!.key, i.text!.values)])).toEqual([
      ['events.csv:3 date', 'no es una fecha AAAA-MM-DD: "2008-02-30"'],
      ['events.csv:3 geo_codes', 'se esperaban claves INEGI de 5 dígitos separadas por ;'],
    ]);
    for (const i of bad) expect(translator('en')(i.text!.key, i.text!.values)).toBe(i.message);
  });
});
