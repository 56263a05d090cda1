/**
 * Unit tests of the cross-record rules of a workspace (docs/workspace-format.md, "Cross-record rules")
 * for organisations, periods, programs and indicators. The helpers, results and locked periods are
 * covered in workspace-check-locks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/index.js';
import { checkWorkspace as checkWithTexts, emptyKnown } from './workspace-check.js';
import type { Workspace } from './workspace-schema.js';
import {
  indicator,
  issue,
  known,
  program,
  result,
  ws,
  type Indicator,
} from '../../test/fixtures/workspace-check.js';

/** The problems as path and English message (their catalog texts are tested in workspace-check.test.ts). */
const checkWorkspace = (...args: Parameters<typeof checkWithTexts>) =>
  checkWithTexts(...args).map(({ path, message }) => ({ path, message }));

const rate = { numerator: { en: 'n', es: 'n' }, denominator: { en: 'd', es: 'd' } };
/** Periods 2023 and 2024 declared, one program P with `indicators`, and `rest`. */
const withIndicators = (indicators: Indicator[], rest: Partial<Workspace> = {}) =>
  ws({ periods: [{ code: '2023' }, { code: '2024' }], programs: [program('P', { indicators })], ...rest });
/** The issues of one indicator IND of program P with `extra` fields. */
const checkIndicator = (extra: Partial<Indicator>, k = known()) =>
  checkWorkspace(withIndicators([indicator('IND', extra)]), k);

describe('a complete valid workspace', () => {
  it('has no issues', () => {
    const full = ws({
      organisations: [
        { code: 'ORG-A', name: { en: 'A', es: 'A' }, kind: 'other', parent: 'SSPC', agency: 'SSPC' },
        { code: 'ORG-B', name: { en: 'B', es: 'B' }, kind: 'other', parent: 'ORG-A' },
      ],
      periods: [
        { code: '2023', locked: true },
        { code: '2024', agency: 'ORG-A' },
      ],
      programs: [
        program('P', {
          agency: 'ORG-A',
          implementing: ['ORG-A', 'SSPC'],
          funding: ['ORG-B'],
          serves: ['bicentennial:1'],
          practices: [
            { practice: 'staff_assigned', state: 'met', agency: 'ORG-A' },
            { practice: 'plan_risks', state: 'met' },
          ],
          risks: ['R1', 'R2'].map((code) => ({
            code,
            description: { en: 'r', es: 'r' },
            likelihood: 'low' as const,
            impact: 'low' as const,
            status: 'open' as const,
            agency: 'ORG-B',
          })),
          lessons: ['L1', 'L2'].map((code) => ({
            code,
            date: '2024-01-01',
            category: 'c',
            lesson: { en: 'l', es: 'l' },
            agency: 'ORG-B',
          })),
          indicators: [
            indicator('IND', {
              agency: 'ORG-A',
              disaggregations: ['sex'],
              baseline: { value: 10, period: '2023' },
              targets: [
                { period: '2023', value: 10, agency: 'ORG-A' },
                { period: '2024', value: 12 },
                { period: '2024', value: 13, place: '19' },
              ],
              lop_target: 20,
            }),
            indicator('IND-RATE', { ...rate, factor: 100, aggregation: 'ratio_of_sums' }),
          ],
        }),
        program('Q', { indicators: [indicator('IND-Q')] }),
      ],
      results: [
        result({ disaggregation: { sex: 'f' }, agency: 'ORG-B' }),
        result({ disaggregation: { sex: 'm' } }),
        result({ status: 'locked', period: '2023' }),
        result({ indicator: 'IND-RATE', value: 50, numerator: 1, denominator: 2, status: 'approved' }),
        result({ indicator: 'IND-RATE', place: '19', value: undefined, numerator: 1, denominator: 4 }),
        result({ indicator: 'IND-Q', period: '2024' }),
      ],
    });
    expect(checkWorkspace(full, known({ nodes: new Set(['bicentennial:1']) }))).toEqual([]);
  });

  it('has no issues with no lists at all', () => {
    expect(checkWorkspace(ws(), known())).toEqual([]);
  });
});

describe('organisations: "codes unique, parents and agencies known"', () => {
  const org = (code: string, extra: { parent?: string; agency?: string } = {}) => ({
    code,
    name: { en: code, es: code },
    kind: 'other' as const,
    ...extra,
  });

  it('refuses a duplicate organisation code, pointing at the first', () => {
    expect(checkWorkspace(ws({ organisations: [org('A'), org('B'), org('A'), org('A')] }), known())).toEqual([
      { path: 'organisations[2]', message: 'duplicate organisation code "A" (first at organisations[0])' },
      { path: 'organisations[3]', message: 'duplicate organisation code "A" (first at organisations[0])' },
    ]);
  });

  it('"defaults.agency must be a known organisation": store, file, or neither', () => {
    const nobody = { country: 'MX' as const, agency: 'NOBODY' };
    expect(checkWorkspace(ws({}, nobody), known())).toEqual(
      issue('defaults.agency', 'unknown organisation "NOBODY"; declare it under organisations'),
    );
    expect(checkWorkspace(ws({}, nobody), known({ organisations: new Set(['NOBODY']) }))).toEqual([]);
    expect(checkWorkspace(ws({ organisations: [org('NOBODY')] }, nobody), emptyKnown())).toEqual([]);
  });

  it('"parent … must be known": from the store or anywhere in the file', () => {
    expect(checkWorkspace(ws({ organisations: [org('A', { parent: 'GHOST' })] }), known())).toEqual(
      issue('organisations[0].parent', 'unknown organisation "GHOST"'),
    );
    expect(checkWorkspace(ws({ organisations: [org('A', { parent: 'B' }), org('B')] }), known())).toEqual([]);
    expect(checkWorkspace(ws({ organisations: [org('A', { parent: 'SSPC' })] }), known())).toEqual([]);
  });

  it('"an organisation cannot be its own parent"', () => {
    expect(checkWorkspace(ws({ organisations: [org('B'), org('A', { parent: 'A' })] }), known())).toEqual(
      issue('organisations[1].parent', 'an organisation cannot be its own parent'),
    );
  });

  it("refuses an organisation's unknown agency", () => {
    expect(checkWorkspace(ws({ organisations: [org('A'), org('B', { agency: 'X' })] }), known())).toEqual(
      issue('organisations[1].agency', 'unknown organisation "X"; declare it under organisations'),
    );
  });
});

describe('periods: "declared once; anything referenced must be declared here or in the store"', () => {
  it('refuses a period declared twice, by its parsed code', () => {
    const periods = [{ code: '2023' }, { code: '2024' }, { code: '2024/2024' }];
    expect(checkWorkspace(ws({ periods }), known())).toEqual(
      issue('periods[2]', 'duplicate period "2024" (first at periods[1])'),
    );
  });

  it('compares unparseable codes as written', () => {
    const periods = [{ code: 'junk' }, { code: 'junk' }];
    expect(checkWorkspace(ws({ periods }), known())).toEqual(
      issue('periods[1]', 'duplicate period "junk" (first at periods[0])'),
    );
  });

  it("refuses a period's unknown agency", () => {
    expect(checkWorkspace(ws({ periods: [{ code: '2024', agency: 'X' }] }), known())).toEqual(
      issue('periods[0].agency', 'unknown organisation "X"; declare it under organisations'),
    );
  });

  it('"`false` on a period that is already locked is an error"', () => {
    const store = known({ periods: new Map([['2024', true]]) });
    expect(checkWorkspace(ws({ periods: [{ code: '2024', locked: false }] }), store)).toEqual(
      issue('periods[0].locked', 'period 2024 is locked; unlocking is not done by loading a file'),
    );
  });

  it.each([
    ['a locked period without locked', true, undefined],
    ['a locked period with locked: true', true, true],
    ['an unlocked period with locked: false', false, false],
    ['a new period with locked: false', undefined, false],
  ])('accepts %s', (_name, stored, locked) => {
    const store = known({ periods: new Map(stored === undefined ? [] : [['2024', stored]]) });
    expect(checkWorkspace(ws({ periods: [{ code: '2024', locked }] }), store)).toEqual([]);
  });

  it('"Targets and results may only use periods that are declared"', () => {
    const w = withIndicators([indicator('IND', { targets: [{ period: '2025', value: 1 }] })], {
      results: [result({ period: '2026' })],
    });
    expect(checkWorkspace(w, known())).toEqual([
      {
        path: 'programs[0].indicators[0].targets[0].period',
        message: 'period "2025" is not declared; add it under periods (or use a declared one)',
      },
      {
        path: 'results[0].period',
        message: 'period "2026" is not declared; add it under periods (or use a declared one)',
      },
    ]);
    const declared = known({
      periods: new Map([
        ['2025', false],
        ['2026', false],
      ]),
    });
    expect(checkWorkspace(w, declared)).toEqual([]);
  });
});

describe('programs: duplicate codes, organisations, nodes, practices, risks and lessons', () => {
  const risk = (code: string, agency?: string) => ({
    code,
    description: { en: 'r', es: 'r' },
    likelihood: 'low' as const,
    impact: 'high' as const,
    status: 'open' as const,
    agency,
  });
  const lesson = (code: string, agency?: string) => ({
    code,
    date: '2024-01-01',
    category: 'c',
    lesson: { en: 'l', es: 'l' },
    agency,
  });

  it('refuses a duplicate program code', () => {
    expect(checkWorkspace(ws({ programs: [program('P'), program('P')] }), known())).toEqual(
      issue('programs[1]', 'duplicate program code "P" (first at programs[0])'),
    );
  });

  it('"Unknown organisation in … agency, implementing or funding"', () => {
    const p = program('P', { agency: 'X', implementing: ['SSPC', 'NOBODY'], funding: ['FUNDER'] });
    expect(checkWorkspace(ws({ programs: [p] }), known())).toEqual([
      { path: 'programs[0].agency', message: 'unknown organisation "X"; declare it under organisations' },
      {
        path: 'programs[0].implementing[1]',
        message: 'unknown organisation "NOBODY"; declare it under organisations',
      },
      {
        path: 'programs[0].funding[0]',
        message: 'unknown organisation "FUNDER"; declare it under organisations',
      },
    ]);
  });

  it('"Unknown framework node in serves"', () => {
    const p = program('P', { serves: ['bicentennial:1', 'bicentennial:9'] });
    const nodes = new Set(['bicentennial:1']);
    expect(checkWorkspace(ws({ programs: [p] }), known({ nodes }))).toEqual(
      issue('programs[0].serves[1]', 'unknown framework node "bicentennial:9"; see `marco framework show`'),
    );
  });

  it('"within a program practices, risks and lessons" are unique', () => {
    const p = program('P', {
      practices: [
        { practice: 'staff_assigned', state: 'met' },
        { practice: 'staff_assigned', state: 'partial' },
      ],
      risks: [risk('R1'), risk('R1')],
      lessons: [lesson('L1'), lesson('L1')],
    });
    expect(checkWorkspace(ws({ programs: [p, program('Q', { risks: [risk('R1')] })] }), known())).toEqual([
      {
        path: 'programs[0].practices[1]',
        message: 'duplicate practice "staff_assigned" (first at programs[0].practices[0])',
      },
      { path: 'programs[0].risks[1]', message: 'duplicate risk code "R1" (first at programs[0].risks[0])' },
      {
        path: 'programs[0].lessons[1]',
        message: 'duplicate lesson code "L1" (first at programs[0].lessons[0])',
      },
    ]);
  });

  it('refuses unknown agencies of practices, risks and lessons', () => {
    const p = program('P', {
      practices: [{ practice: 'staff_assigned', state: 'met', agency: 'X1' }],
      risks: [risk('R1', 'X2')],
      lessons: [lesson('L1', 'X3')],
    });
    const unknown = (code: string) => `unknown organisation "${code}"; declare it under organisations`;
    expect(checkWorkspace(ws({ programs: [p] }), known())).toEqual([
      { path: 'programs[0].practices[0].agency', message: unknown('X1') },
      { path: 'programs[0].risks[0].agency', message: unknown('X2') },
      { path: 'programs[0].lessons[0].agency', message: unknown('X3') },
    ]);
  });
});

describe('indicators', () => {
  const path = 'programs[0].indicators[0]';
  const stored = (extra: { program?: string; factor?: number; lockedComponents?: boolean } = {}) =>
    known({ indicators: new Map([['IND', { program: 'P', disaggregations: [], factor: 1, ...extra }]]) });

  it("refuses an indicator's unknown agency", () => {
    expect(checkIndicator({ agency: 'X' })).toEqual(
      issue(`${path}.agency`, 'unknown organisation "X"; declare it under organisations'),
    );
  });

  it('"Indicator codes are unique across all programs"', () => {
    const w = ws({
      programs: [
        program('P', { indicators: [indicator('A'), indicator('B'), indicator('A')] }),
        program('Q', { indicators: [indicator('B')] }),
      ],
    });
    expect(checkWorkspace(w, known())).toEqual([
      { path: `programs[0].indicators[2].code`, message: `duplicate indicator code "A" (first at ${path})` },
      {
        path: 'programs[1].indicators[0].code',
        message: 'duplicate indicator code "B" (first at programs[0].indicators[1])',
      },
    ]);
  });

  it('refuses moving a stored indicator to another program, and accepts it in its own', () => {
    expect(checkIndicator({}, stored({ program: 'OTHER' }))).toEqual(
      issue(
        `${path}.code`,
        'indicator IND belongs to program OTHER; indicator codes are unique across programs',
      ),
    );
    expect(checkIndicator({}, stored())).toEqual([]);
  });

  it('refuses a new factor when locked results were computed with the stored one', () => {
    expect(checkIndicator({ factor: 100 }, stored({ lockedComponents: true }))).toEqual(
      issue(
        `${path}.factor`,
        'results of IND in locked periods were computed with factor 1; the factor cannot change',
      ),
    );
    expect(checkIndicator({}, stored({ factor: 100, lockedComponents: true }))).toEqual(
      issue(
        `${path}.factor`,
        'results of IND in locked periods were computed with factor 100; the factor cannot change',
      ),
    );
  });

  it.each([
    ['no locked components', { factor: 100 }, { lockedComponents: false }],
    ['locked components not recorded', { factor: 100 }, {}],
    ['the same factor', { factor: 100 }, { factor: 100, lockedComponents: true }],
    ['the default factor 1', {}, { lockedComponents: true }],
  ])('accepts a factor with %s', (_name, extra, store) => {
    expect(checkIndicator(extra, stored(store))).toEqual([]);
  });

  it('"rates are never averaged or added": a denominator needs ratio_of_sums', () => {
    expect(checkIndicator({ ...rate, aggregation: 'mean' })).toEqual(
      issue(
        `${path}.aggregation`,
        'an indicator with a denominator is a rate or ratio: aggregate it with ratio_of_sums (rates are never averaged or added)',
      ),
    );
    expect(checkIndicator({ ...rate, aggregation: 'ratio_of_sums' })).toEqual([]);
  });

  it('"ratio_of_sums needs the indicator to define a numerator and a denominator"', () => {
    const message = 'ratio_of_sums needs the indicator to define a numerator and a denominator';
    expect(checkIndicator({ aggregation: 'ratio_of_sums' })).toEqual(issue(`${path}.aggregation`, message));
    expect(checkIndicator({ aggregation: 'ratio_of_sums', numerator: rate.numerator })).toEqual(
      issue(`${path}.aggregation`, message),
    );
    expect(checkIndicator({ aggregation: 'ratio_of_sums', denominator: rate.denominator })).toEqual(
      issue(`${path}.aggregation`, message),
    );
    expect(checkIndicator({ aggregation: 'sum', numerator: rate.numerator })).toEqual([]);
  });

  it('"required: a baseline value (only a statistics-linked indicator computes it)"', () => {
    expect(checkIndicator({ baseline: { period: '2023' } })).toEqual(
      issue(
        `${path}.baseline.value`,
        'required: a baseline value (only a statistics-linked indicator computes it)',
      ),
    );
    const series = { measure: 'homicides', geo: 'MX' };
    expect(checkIndicator({ baseline: { period: '2023' }, series })).toEqual([]);
    expect(checkIndicator({ baseline: { value: 0, period: '2023' } })).toEqual([]);
  });

  it('"Baseline without a period": required: the period the baseline value refers to', () => {
    expect(checkIndicator({ baseline: { value: 3 } })).toEqual(
      issue(`${path}.baseline.period`, 'required: the period the baseline value refers to'),
    );
  });

  it('"a rate indicator linked to statistics needs per"', () => {
    const rateSheet = { ...rate, aggregation: 'ratio_of_sums' as const };
    const series = { measure: 'homicides', geo: 'MX' };
    expect(checkIndicator({ ...rateSheet, series })).toEqual(
      issue(`${path}.series.per`, 'a rate indicator linked to statistics needs per (for example 100000)'),
    );
    expect(checkIndicator({ ...rateSheet, series: { ...series, per: 100000 } })).toEqual([]);
    expect(checkIndicator({ series })).toEqual([]);
  });

  const wrongWay = (target: number, side: string, better: string) =>
    `target ${target} is ${side} the baseline 20, but ${better} is better: % of target met would reward moving the wrong way; fix the target or the direction`;

  it.each([
    ['increase', 19, wrongWay(19, 'below', 'higher')],
    ['decrease', 21, wrongWay(21, 'above', 'lower')],
  ] as const)(
    'refuses a target and lop_target on the wrong side when %s is better',
    (direction, value, message) => {
      const sheet = { direction, baseline: { value: 20, period: '2023' }, lop_target: value };
      expect(checkIndicator({ ...sheet, targets: [{ period: '2024', value }] })).toEqual([
        { path: `${path}.targets[0].value`, message },
        { path: `${path}.lop_target`, message },
      ]);
    },
  );

  it.each([
    ['increase', 20],
    ['increase', 21],
    ['decrease', 20],
    ['decrease', 19],
  ] as const)('accepts a %s target of %d against a baseline of 20', (direction, value) => {
    const sheet = { direction, baseline: { value: 20, period: '2023' }, lop_target: value };
    expect(checkIndicator({ ...sheet, targets: [{ period: '2024', value }] })).toEqual([]);
  });

  it('compares no target with a missing baseline value', () => {
    const series = { measure: 'homicides', geo: 'MX' };
    const sheet = { lop_target: -5, targets: [{ period: '2024', value: -5 }], series };
    expect(checkIndicator(sheet)).toEqual([]);
    expect(checkIndicator({ ...sheet, baseline: { period: '2023' } })).toEqual([]);
  });

  it('"Duplicate target (same period and place)"', () => {
    const targets = [
      { period: '2024', value: 1 },
      { period: '2024', value: 2, place: 'MX' },
      { period: '2024', value: 3 },
      { period: '2024', value: 4, place: 'MX' },
    ];
    expect(checkIndicator({ targets })).toEqual([
      {
        path: `${path}.targets[2]`,
        message: `duplicate target period and place "2024|" (first at ${path}.targets[0])`,
      },
      {
        path: `${path}.targets[3]`,
        message: `duplicate target period and place "2024|MX" (first at ${path}.targets[1])`,
      },
    ]);
  });

  it("refuses a target's unknown agency", () => {
    expect(checkIndicator({ targets: [{ period: '2024', value: 1, agency: 'X' }] })).toEqual(
      issue(`${path}.targets[0].agency`, 'unknown organisation "X"; declare it under organisations'),
    );
  });
});

describe('problems in both languages', () => {
  it('carry their catalog text, so a Spanish reader reads them in Spanish', () => {
    const org = { code: 'A', name: { en: 'A', es: 'A' }, kind: 'other' as const };
    const w = ws({
      organisations: [org, org],
      periods: [{ code: '2024' }],
      results: [result({ indicator: 'NOPE' })],
    });
    const es = translator('es');
    const found = checkWithTexts(w, known()).map((i) => [i.path, i.text && es(i.text.key, i.text.values)]);
    expect(found).toEqual([
      ['organisations[1]', 'código de organización "A" repetido (el primero en organisations[0])'],
      ['results[0].indicator', 'indicador desconocido "NOPE"; defínalo en los indicadores de un programa'],
    ]);
    // Every problem has one, and its English is the message.
    for (const i of checkWithTexts(w, known()))
      expect(translator('en')(i.text!.key, i.text!.values)).toBe(i.message);
  });
});
