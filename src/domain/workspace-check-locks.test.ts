/**
 * Unit tests of workspace-check's exported helpers, of the rules on results (docs/workspace-format.md,
 * "Cross-record rules") and of locked periods ("Locked periods"): "once a period is locked, a load
 * refuses any change to the results and targets of every period that lies within it, whatever that
 * period's code", and re-loading identical records is accepted. Organisations, periods, programs and
 * indicators are covered in workspace-check.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parsePeriod, type Period } from './periods.js';
import {
  checkWorkspace as checkWithTexts,
  disaggregationKey,
  emptyKnown,
  lockedResultFingerprint,
  lockedTargetFingerprint,
  lockingPeriod,
  resolvedValue,
  resultKey,
  type KnownRecords,
} from './workspace-check.js';
import type { Workspace } from './workspace-schema.js';
import {
  indicator,
  issue,
  known,
  program,
  result,
  ws,
  type Indicator,
  type Result,
  type Target,
} from '../../test/fixtures/workspace-check.js';

/** The problems as path and English message (their catalog texts are tested in workspace-check.test.ts). */
const checkWorkspace = (...args: Parameters<typeof checkWithTexts>) =>
  checkWithTexts(...args).map(({ path, message }) => ({ path, message }));

const owner = { country: 'MX', agency: 'SSPC', classification: 'public' };
type Frozen = Parameters<typeof lockedResultFingerprint>[0];
const blank: Frozen = {
  value: 1,
  numerator: null,
  denominator: null,
  comment: null,
  evidence: null,
  ...owner,
};
/**
 * The store: organisations SSPC and INL, indicator IND of program P (factor 100), period 2024 locked,
 * 2023 and 2024-Q1 unlocked, an unparseable locked period, and the given locked records.
 */
const store = (
  results: [string, Partial<Frozen>][] = [],
  targets: [string, Partial<typeof owner> & { value: number }][] = [],
): KnownRecords => ({
  ...emptyKnown(),
  organisations: new Set(['SSPC', 'INL']),
  indicators: new Map([['IND', { program: 'P', disaggregations: ['sex'], factor: 100 }]]),
  periods: new Map([
    ['2023', false],
    ['2024', true],
    ['2024-Q1', false],
    ['junk', true],
  ]),
  lockedResults: new Map(results.map(([key, r]) => [key, lockedResultFingerprint({ ...blank, ...r })])),
  lockedTargets: new Map(targets.map(([key, t]) => [key, lockedTargetFingerprint({ ...owner, ...t })])),
});
/** The issues of `results`, with IND (of program P, with `extra` fields) and periods 2023 and 2024. */
const checkNew = (results: Result[], extra: Partial<Indicator> = {}) =>
  checkWorkspace(
    ws({
      periods: [{ code: '2023' }, { code: '2024' }],
      programs: [program('P', { indicators: [indicator('IND', extra)] })],
      results,
    }),
    known(),
  );
const period = (code: string): Period => parsePeriod(code)!;
const checkResults = (results: Result[], known: KnownRecords, defaults?: Workspace['defaults']) =>
  checkWorkspace(ws({ results }, defaults), known);
const key = (period = '2024', indicator = 'IND') => resultKey(indicator, period, 'MX', '');
const refused = (lock = '2024', i = 0) => [
  {
    path: `results[${i}].period`,
    message: `period ${lock} is locked; results within it cannot be added or edited`,
  },
];

describe('exported helpers', () => {
  it('emptyKnown holds nothing', () => {
    expect(emptyKnown()).toEqual({
      organisations: new Set(),
      programs: new Set(),
      indicators: new Map(),
      nodes: new Set(),
      periods: new Map(),
      lockedResults: new Map(),
      lockedTargets: new Map(),
    });
  });

  it('disaggregationKey: "dimensions sorted", as JSON pairs, and "" for totals', () => {
    expect(disaggregationKey(undefined)).toBe('');
    expect(disaggregationKey({})).toBe('');
    expect(disaggregationKey({ sex: 'f', age: '1' })).toBe('[["age","1"],["sex","f"]]');
    expect(disaggregationKey({ age: '1;sex=f' })).toBe('[["age","1;sex=f"]]');
  });

  it('lockingPeriod: "a lock covers every period inside its dates"', () => {
    const locked = [period('2023'), period('2024')];
    expect(lockingPeriod('2024-Q3', locked)).toBe('2024');
    expect(lockingPeriod('2023', locked)).toBe('2023');
    expect(lockingPeriod('2024/2025', locked)).toBeUndefined();
    expect(lockingPeriod('2025', locked)).toBeUndefined();
    expect(lockingPeriod('not-a-period', locked)).toBeUndefined();
    expect(lockingPeriod('2024', [])).toBeUndefined();
  });

  it('resultKey joins indicator, period, place and disaggregation with |', () => {
    expect(resultKey('IND', '2024', 'MX', '')).toBe('IND|2024|MX|');
    expect(resultKey('A', 'B', 'C', 'D')).toBe('A|B|C|D');
  });

  it('fingerprints list every field a locked period freezes, in order', () => {
    const owner = { country: 'MX', agency: 'SSPC', classification: 'restricted' };
    expect(
      lockedResultFingerprint({
        value: 1,
        numerator: 2,
        denominator: 3,
        comment: 'c',
        evidence: 'e',
        ...owner,
      }),
    ).toBe('[1,2,3,"c","e","MX","SSPC","restricted"]');
    expect(
      lockedResultFingerprint({
        value: null,
        numerator: null,
        denominator: null,
        comment: null,
        evidence: null,
        ...owner,
      }),
    ).toBe('[null,null,null,null,null,"MX","SSPC","restricted"]');
    expect(lockedTargetFingerprint({ value: 5, ...owner })).toBe('[5,"MX","SSPC","restricted"]');
  });

  it.each([
    ['a value as given', { value: 5, numerator: 1, denominator: 2 }, 5],
    ['a zero value as given', { value: 0, numerator: 1, denominator: 2 }, 0],
    [
      'numerator ÷ denominator × factor when value is null',
      { value: null, numerator: 3, denominator: 4 },
      75,
    ],
    ['numerator ÷ denominator × factor when value is missing', { numerator: 1, denominator: 8 }, 12.5],
    ['null with only a numerator', { numerator: 3 }, null],
    ['null with only a denominator', { denominator: 4 }, null],
    ['null with neither', { value: null }, null],
  ])('resolvedValue gives %s', (_name, r, expected) => {
    expect(resolvedValue(r, 100)).toBe(expected);
  });
});

describe('results', () => {
  it('"Duplicate … result (same indicator, period, place, disaggregation)", dimensions sorted', () => {
    const results = [
      result({ disaggregation: { sex: 'f', age: '1' } }),
      result({ disaggregation: { age: '1;sex=f' } }),
      result({ disaggregation: { age: '1', sex: 'f' } }),
      result({ place: '19' }),
      result({ place: '19', value: 2 }),
    ];
    expect(checkNew(results, { disaggregations: ['age', 'sex'] })).toEqual([
      {
        path: 'results[2]',
        message:
          'duplicate result for indicator, period, place and disaggregation "IND|2024|MX|[[\\"age\\",\\"1\\"],[\\"sex\\",\\"f\\"]]" (first at results[0])',
      },
      {
        path: 'results[4]',
        message:
          'duplicate result for indicator, period, place and disaggregation "IND|2024|19|" (first at results[3])',
      },
    ]);
  });

  it("refuses a result's unknown agency", () => {
    expect(checkNew([result({ agency: 'X' })])).toEqual(
      issue('results[0].agency', 'unknown organisation "X"; declare it under organisations'),
    );
  });

  it('"Unknown indicator in a result"; a stored indicator is known', () => {
    const w = ws({ periods: [{ code: '2024' }], results: [result({ indicator: 'NOPE' })] });
    expect(checkWorkspace(w, known())).toEqual(
      issue('results[0].indicator', 'unknown indicator "NOPE"; define it under a program\'s indicators'),
    );
    const stored = new Map([['NOPE', { program: 'P', disaggregations: [], factor: 1 }]]);
    expect(checkWorkspace(w, known({ indicators: stored }))).toEqual([]);
  });

  it('"Disaggregation dimension not declared by the indicator"', () => {
    const results = [result({ disaggregation: { sex: 'f', zone: 'n' } })];
    expect(checkNew(results, { disaggregations: ['age', 'sex'] })).toEqual(
      issue(
        'results[0].disaggregation.zone',
        'indicator IND is not disaggregated by "zone" (it declares age, sex)',
      ),
    );
    expect(checkNew(results)).toEqual([
      { path: 'results[0].disaggregation.sex', message: 'indicator IND is not disaggregated by "sex"' },
      { path: 'results[0].disaggregation.zone', message: 'indicator IND is not disaggregated by "zone"' },
    ]);
  });

  it('"value inconsistent with numerator ÷ denominator × factor"', () => {
    expect(checkNew([result({ value: 20, numerator: 1, denominator: 1 })], { factor: 10 })).toEqual(
      issue('results[0].value', 'value 20 differs from numerator/denominator × factor = 10'),
    );
    expect(checkNew([result({ value: 7.5, numerator: 3, denominator: 4 })], { factor: 10 })).toEqual([]);
    expect(checkNew([result({ value: 0.75, numerator: 3, denominator: 4 })])).toEqual([]);
  });

  it('"to a relative tolerance of 10⁻⁹" (absolute below 1)', () => {
    const zero = (value: number) => [result({ value, numerator: 0, denominator: 1 })];
    expect(checkNew(zero(1e-9))).toEqual([]);
    expect(checkNew(zero(-1e-10))).toEqual([]);
    expect(checkNew(zero(2e-9))).toEqual(
      issue('results[0].value', 'value 2e-9 differs from numerator/denominator × factor = 0'),
    );
    const million = (value: number) => [result({ value, numerator: 1e6, denominator: 1 })];
    expect(checkNew(million(1e6 + 1e-4))).toEqual([]);
    expect(checkNew(million(1e6 - 1e-4))).toEqual([]);
    expect(checkNew(million(1e6 + 0.01))).toEqual(
      issue('results[0].value', 'value 1000000.01 differs from numerator/denominator × factor = 1000000'),
    );
  });

  it('computes a null or missing value from numerator and denominator without comparing', () => {
    const results = [
      result({ value: null, numerator: 1, denominator: 2 }),
      result({ place: '19', value: undefined, numerator: 1, denominator: 2 }),
    ];
    expect(checkNew(results, { factor: 100 })).toEqual([]);
  });

  it('refuses a value that is not a finite number', () => {
    const message = 'the value is not a finite number (check the numerator and denominator)';
    expect(checkNew([result({ value: undefined, numerator: 1, denominator: 0 })])).toEqual(
      issue('results[0].value', message),
    );
    expect(checkNew([result({ value: null })])).toEqual([]);
  });

  it('"`status: locked` in an unlocked period"', () => {
    const message = 'status locked is set by locking the period, not by a result';
    expect(checkNew([result({ status: 'locked' })])).toEqual(issue('results[0].status', message));
    expect(checkNew([result({ status: 'locked', period: '2030' })])).toEqual([
      {
        path: 'results[0].period',
        message: 'period "2030" is not declared; add it under periods (or use a declared one)',
      },
      { path: 'results[0].status', message },
    ]);
    expect(checkNew([result({ status: 'approved' })])).toEqual([]);
  });

  it('"status: locked … declared `locked: true` in the same file" is accepted', () => {
    const w = ws({
      periods: [{ code: '2024', locked: true }],
      programs: [program('P', { indicators: [indicator('IND')] })],
      results: [result({ status: 'locked' })],
    });
    expect(checkWorkspace(w, known())).toEqual([]);
  });
});

describe('locked results: "adding a new result … in the period" and "changing a result\'s value…"', () => {
  it('refuses a new result in a locked period', () => {
    expect(checkResults([result()], store())).toEqual(refused());
  });

  it('"locking 2017 also locks results filed under 2017-Q3": a period within the lock is locked', () => {
    expect(checkResults([result({ period: '2024-Q1' })], store())).toEqual(refused('2024'));
    expect(checkResults([result({ period: '2024-Q1' })], store([[key('2024-Q1'), {}]]))).toEqual([]);
  });

  it('leaves results of unlocked periods alone, and ignores an unparseable lock', () => {
    expect(checkResults([result({ period: '2023' })], store())).toEqual([]);
    expect(checkResults([result({ period: '2023' }), result({ period: 'junk' })], store())).toEqual([]);
  });

  it('"Re-loading identical records is accepted as unchanged"', () => {
    expect(checkResults([result()], store([[key(), {}]]))).toEqual([]);
  });

  it('accepts an identical result that gives every frozen field itself', () => {
    const fields = { value: 50, numerator: 1, denominator: 2, comment: 'c', evidence: 'e' };
    const ownership = { country: 'US', agency: 'INL', classification: 'restricted' } as const;
    const known = store([[key(), { ...fields, ...ownership }]]);
    expect(checkResults([result({ ...fields, ...ownership })], known)).toEqual([]);
  });

  it("computes a locked result's value with the indicator's factor", () => {
    const known = store([[key(), { value: 50, numerator: 1, denominator: 2 }]]);
    expect(checkResults([result({ value: undefined, numerator: 1, denominator: 2 })], known)).toEqual([]);
  });

  it('matches a disaggregated locked result by its sorted disaggregation', () => {
    const known = store([[resultKey('IND', '2024', 'MX', '[["sex","f"]]'), {}]]);
    expect(checkResults([result({ disaggregation: { sex: 'f' } })], known)).toEqual([]);
    expect(checkResults([result({ disaggregation: { sex: 'm' } })], known)).toEqual(refused());
  });

  it.each([
    ['value', { value: 2 }],
    ['numerator and denominator', { value: 1, numerator: 1, denominator: 100 }],
    ['comment', { comment: 'new' }],
    ['evidence', { evidence: 'new' }],
    ['country', { country: 'US' }],
    ['agency', { agency: 'INL' }],
    ['classification', { classification: 'official_use' }],
  ] as const)('refuses a change of %s', (_name, change) => {
    expect(checkResults([result(change)], store([[key(), {}]]))).toEqual(refused());
  });

  it('"including a change that comes from a different defaults"', () => {
    const known = store([[key(), {}]]);
    expect(checkResults([result()], known, { country: 'US', agency: 'SSPC' })).toEqual(refused());
    expect(checkResults([result()], known, { country: 'MX', agency: 'INL' })).toEqual(refused());
    expect(
      checkResults([result()], known, { country: 'MX', agency: 'SSPC', classification: 'restricted' }),
    ).toEqual(refused());
    expect(
      checkResults([result()], known, { country: 'MX', agency: 'SSPC', classification: 'public' }),
    ).toEqual([]);
    const restricted = store([[key(), { classification: 'restricted' }]]);
    expect(
      checkResults([result()], restricted, { country: 'MX', agency: 'SSPC', classification: 'restricted' }),
    ).toEqual([]);
  });

  it('reports an unknown indicator in a locked period, and compares it with factor 1', () => {
    const unknown = {
      path: 'results[0].indicator',
      message: 'unknown indicator "NOPE"; define it under a program\'s indicators',
    };
    const nope = result({ indicator: 'NOPE', value: undefined, numerator: 1, denominator: 2 });
    expect(checkResults([nope], store())).toEqual([unknown, ...refused()]);
    const known = store([[key('2024', 'NOPE'), { value: 0.5, numerator: 1, denominator: 2 }]]);
    expect(checkResults([nope], known)).toEqual([unknown]);
  });
});

describe('"status: locked … is only accepted for a period that is locked"', () => {
  it('accepts it in a locked period and in a period within a lock', () => {
    const known = store([
      [key(), {}],
      [key('2024-Q1'), {}],
    ]);
    const results = [result({ status: 'locked' }), result({ period: '2024-Q1', status: 'locked' })];
    expect(checkResults(results, known)).toEqual([]);
  });

  it('accepts it within a period this file locks, as loading the file locks it (export, then load elsewhere)', () => {
    const w = ws({
      periods: [{ code: '2023', locked: true }, { code: '2023-Q1' }],
      results: [result({ period: '2023-Q1', status: 'locked' })],
    });
    expect(checkWorkspace(w, store())).toEqual([]);
    const open = ws({
      periods: [{ code: '2023' }, { code: '2023-Q1' }],
      results: [result({ period: '2023-Q1', status: 'locked' })],
    });
    expect(checkWorkspace(open, store())).toEqual([
      { path: 'results[0].status', message: 'status locked is set by locking the period, not by a result' },
    ]);
  });

  it('accepts it in a locked period declared again in the file', () => {
    const w = ws({ periods: [{ code: 'junk' }], results: [result({ period: 'junk', status: 'locked' })] });
    expect(checkWorkspace(w, store())).toEqual([]);
  });
});

describe('locked targets: "adding a new … target in the period", "a target\'s value"', () => {
  const path = 'programs[0].indicators[0].targets';
  const checkTargets = (targets: Target[], known: KnownRecords, defaults?: Workspace['defaults']) =>
    checkWorkspace(
      ws(
        {
          programs: [program('P', { indicators: [indicator('IND', { factor: 100, targets })] })],
        },
        defaults,
      ),
      known,
    );
  const refusedTarget = (i = 0, lock = '2024') => ({
    path: `${path}[${i}].period`,
    message: `period ${lock} is locked; targets within it cannot change`,
  });

  it('refuses a new target in a locked period or a period within it', () => {
    expect(checkTargets([{ period: '2024', value: 5 }], store())).toEqual([refusedTarget()]);
    expect(checkTargets([{ period: '2024-Q1', value: 5, place: 'MX' }], store())).toEqual([refusedTarget()]);
  });

  it('leaves targets of unlocked periods alone', () => {
    expect(checkTargets([{ period: '2023', value: 5 }], store())).toEqual([]);
  });

  it('accepts identical targets, with and without a place', () => {
    const known = store(
      [],
      [
        ['IND|2024|', { value: 5 }],
        ['IND|2024|MX', { value: 6 }],
      ],
    );
    const targets = [
      { period: '2024', value: 5 },
      { period: '2024', value: 6, place: 'MX' },
    ];
    expect(checkTargets(targets, known)).toEqual([]);
  });

  it('accepts an identical target that gives its own ownership', () => {
    const ownership = { country: 'US', agency: 'INL', classification: 'official_use' } as const;
    const known = store([], [['IND|2024|', { value: 5, ...ownership }]]);
    expect(checkTargets([{ period: '2024', value: 5, ...ownership }], known)).toEqual([]);
  });

  it.each([
    ['value', { value: 6 }],
    ['country', { country: 'US' }],
    ['agency', { agency: 'INL' }],
    ['classification', { classification: 'restricted' }],
  ] as const)('refuses a change of %s', (_name, change) => {
    const known = store([], [['IND|2024|', { value: 5 }]]);
    expect(checkTargets([{ period: '2024', value: 5, ...change }], known)).toEqual([refusedTarget()]);
  });

  it('refuses a change that comes from different defaults', () => {
    const known = store([], [['IND|2024|', { value: 5 }]]);
    const target = [{ period: '2024', value: 5 }];
    expect(checkTargets(target, known, { country: 'US', agency: 'SSPC' })).toEqual([refusedTarget()]);
    expect(checkTargets(target, known, { country: 'MX', agency: 'INL' })).toEqual([refusedTarget()]);
    const restricted = { country: 'MX', agency: 'SSPC', classification: 'restricted' } as const;
    expect(checkTargets(target, known, restricted)).toEqual([refusedTarget()]);
    const stored = store([], [['IND|2024|', { value: 5, classification: 'restricted' }]]);
    expect(checkTargets(target, stored, restricted)).toEqual([]);
  });
});
