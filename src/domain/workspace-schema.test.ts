import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { translator } from '../i18n/index.js';
import { safeParseInput, zodIssues } from './common-schema.js';
import {
  Aggregation,
  Baseline,
  Defaults,
  Direction,
  Frequency,
  Indicator,
  IndicatorLevel,
  Level3,
  Lesson,
  Organisation,
  OrganisationKind,
  PeriodDeclaration,
  Practice,
  PracticeKey,
  PracticeState,
  Program,
  ProgramStatus,
  Result,
  ResultStatus,
  Risk,
  RiskStatus,
  SeriesLink,
  Target,
  WORKSPACE_FORMAT,
  Workspace,
} from './workspace-schema.js';

function check(schema: z.ZodType, input: unknown): { data: unknown } | { issues: unknown } {
  const parsed = safeParseInput(schema, input);
  return parsed.success
    ? { data: parsed.data }
    : { issues: zodIssues(parsed.error).map(({ path, message }) => ({ path, message })) };
}

const refused = (path: string, message: string) => ({ issues: [{ path, message }] });
const text = (en: string, es: string) => ({ en, es });
const OWNER = { country: 'MX', agency: 'SSPC', classification: 'official_use', version: 3 };

/** An indicator reference sheet with every field the schema knows. */
const FULL_INDICATOR = {
  code: 'PREV-NL-RATE',
  name: text('Homicide rate', 'Tasa de homicidios'),
  definition: text('Homicides per 100,000 people', 'Homicidios por cada 100,000 personas'),
  level: 'impact',
  unit: text('per 100,000', 'por 100,000'),
  numerator: text('Homicides', 'Homicidios'),
  denominator: text('Population', 'Población'),
  factor: 100_000,
  direction: 'decrease',
  disaggregations: ['sex', 'age_group'],
  source: 'INEGI',
  method: 'Vital statistics',
  frequency: 'annual',
  responsible: 'SSPC',
  baseline: { value: 29.5, period: '2018', source: 'INEGI 2018' },
  targets: [{ period: '2024', value: 20, place: '19', ...OWNER }],
  lop_target: 18,
  aggregation: 'ratio_of_sums',
  quality_notes: 'Registered deaths',
  series: { measure: 'homicides', geo: '19', per: 100_000, filters: { sex: 'female' }, source: 'inegi' },
  ...OWNER,
};

const FULL_PROGRAM = {
  code: 'PREV-NL',
  title: text('Violence prevention', 'Prevención de la violencia'),
  description: { en: 'Community work' },
  implementing: ['SSPC'],
  funding: ['INL'],
  start: '2020-01-01',
  end: '2024-12-31',
  status: 'active',
  serves: ['bicentennial:1.1.1'],
  locations: ['19', '19039', 'MX'],
  indicators: [FULL_INDICATOR],
  practices: [
    {
      practice: 'plan_risks',
      state: 'partial',
      evidence: 'Risk register',
      date: '2023-05-01',
      note: 'To be updated',
      ...OWNER,
    },
  ],
  risks: [
    {
      code: 'R1',
      description: text('Staff turnover', 'Rotación de personal'),
      likelihood: 'high',
      impact: 'medium',
      mitigation: 'Training',
      owner: 'Program manager',
      status: 'open',
      ...OWNER,
    },
  ],
  lessons: [
    {
      code: 'L1',
      date: '2023-06-30',
      category: 'Implementation',
      lesson: text('Start early', 'Empezar temprano'),
      action: 'Plan ahead',
      ...OWNER,
    },
  ],
  ...OWNER,
};

const FULL_WORKSPACE = {
  marco: 'workspace/1',
  title: 'Test workspace',
  note: 'For tests',
  defaults: { country: 'US', agency: 'INL', classification: 'public' },
  organisations: [
    { code: 'SSPC', name: text('Security', 'Seguridad'), kind: 'government', parent: 'GOBMX', ...OWNER },
  ],
  periods: [{ code: '2024', locked: true, ...OWNER }],
  programs: [FULL_PROGRAM],
  results: [
    {
      indicator: 'PREV-NL-RATE',
      period: '2024',
      place: '19',
      disaggregation: { sex: 'female' },
      value: 21.3,
      numerator: 1200,
      denominator: 5_600_000,
      comment: 'Preliminary',
      evidence: 'INEGI release',
      status: 'submitted',
      ...OWNER,
    },
  ],
};

describe('Workspace', () => {
  it('accepts a file that uses every field, unchanged', () => {
    expect(WORKSPACE_FORMAT).toBe('workspace/1');
    expect(check(Workspace, FULL_WORKSPACE)).toEqual({ data: FULL_WORKSPACE });
  });

  it('needs only the format and the defaults', () => {
    const minimal = { marco: 'workspace/1', defaults: { country: 'MX', agency: 'SSPC' } };
    expect(check(Workspace, minimal)).toEqual({ data: minimal });
  });

  it('normalises text in nested records', () => {
    const parsed = check(Workspace, {
      ...FULL_WORKSPACE,
      programs: [{ ...FULL_PROGRAM, title: text('  Prevenc\u0301  ', ' Cafe\u0301 ') }],
    });
    expect(parsed).toEqual({
      data: { ...FULL_WORKSPACE, programs: [{ ...FULL_PROGRAM, title: text('Prevenć', 'Café') }] },
    });
  });

  it('refuses another format, a missing default and an unknown key, each located', () => {
    expect(
      check(Workspace, { marco: 'workspace/2', defaults: { country: 'US' }, colour: 'red', results: {} }),
    ).toEqual({
      issues: [
        { path: 'marco', message: 'expected one of "workspace/1"' },
        { path: 'defaults.agency', message: 'required: expected string' },
        { path: 'results', message: 'expected an array' },
        {
          path: '',
          message: 'unknown field "colour"; check the spelling against docs/workspace-format.md',
        },
      ],
    });
  });

  it('locates problems deep in a program', () => {
    const bad = {
      ...FULL_WORKSPACE,
      programs: [
        FULL_PROGRAM,
        FULL_PROGRAM,
        {
          ...FULL_PROGRAM,
          indicators: [{ ...FULL_INDICATOR, baseline: { value: 'twelve' }, targets: [{ value: 1 }] }],
        },
      ],
    };
    expect(check(Workspace, bad)).toEqual({
      issues: [
        { path: 'programs[2].indicators[0].baseline.value', message: 'expected a number' },
        { path: 'programs[2].indicators[0].targets[0].period', message: 'required: expected string' },
      ],
    });
  });
});

describe('Defaults', () => {
  it('needs a country and an agency', () => {
    expect(check(Defaults, { country: 'US', agency: 'INL' })).toEqual({
      data: { country: 'US', agency: 'INL' },
    });
    expect(check(Defaults, { agency: 'INL' })).toEqual(refused('country', 'expected one of "US", "MX"'));
    expect(check(Defaults, { country: 'MX', agency: 'SSPC', classification: 'secret' })).toEqual(
      refused('classification', 'expected one of "public", "official_use", "restricted"'),
    );
    expect(check(Defaults, { country: 'MX', agency: 'SSPC', version: 1 })).toEqual(
      refused('', 'unknown field "version"; check the spelling against docs/workspace-format.md'),
    );
  });
});

describe('enumerations', () => {
  it.each([
    [IndicatorLevel, ['input', 'activity', 'output', 'outcome', 'impact']],
    [Direction, ['increase', 'decrease']],
    [Aggregation, ['sum', 'latest', 'mean', 'ratio_of_sums']],
    [Frequency, ['monthly', 'quarterly', 'semiannual', 'annual', 'once']],
    [ProgramStatus, ['planned', 'active', 'suspended', 'closed']],
    [ResultStatus, ['draft', 'submitted', 'approved', 'locked']],
    [
      PracticeKey,
      [
        'staff_assigned',
        'plan_goals_objectives',
        'plan_risks',
        'indicators_baselines_targets',
        'performance_data_tracked',
        'partner_data_verified',
        'corrective_actions',
        'closeout_evaluation',
      ],
    ],
    [PracticeState, ['met', 'partial', 'not_met', 'not_applicable', 'not_assessed']],
    [Level3, ['low', 'medium', 'high']],
    [RiskStatus, ['open', 'mitigated', 'closed']],
    [OrganisationKind, ['government', 'implementer', 'multilateral', 'other']],
  ] as const)('%# lists exactly %j', (schema, values) => {
    expect(schema.options).toEqual(values);
    for (const value of values) expect(check(schema, value)).toEqual({ data: value });
    expect(check(schema, 'unknown')).toEqual(
      refused('', `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`),
    );
  });
});

describe('records', () => {
  it('checks an organisation', () => {
    const org = { code: 'INL', name: text('INL', 'INL'), kind: 'government' };
    expect(check(Organisation, org)).toEqual({ data: org });
    expect(check(Organisation, { ...org, kind: 'ngo' })).toEqual(
      refused('kind', 'expected one of "government", "implementer", "multilateral", "other"'),
    );
  });

  it('checks a period declaration', () => {
    expect(check(PeriodDeclaration, { code: 'FY2017' })).toEqual({ data: { code: 'FY2017' } });
    expect(check(PeriodDeclaration, { code: '2017', locked: 'yes' })).toEqual(
      refused('locked', 'expected a boolean'),
    );
  });

  it('takes an empty baseline, for a statistics-linked indicator', () => {
    expect(check(Baseline, {})).toEqual({ data: {} });
    expect(check(Baseline, { period: '2017-13' })).toEqual({
      issues: [{ path: 'period', message: expect.stringMatching(/^expected a period code: YYYY/) }],
    });
  });

  it('checks a target', () => {
    expect(check(Target, { period: '2024', value: 0 })).toEqual({ data: { period: '2024', value: 0 } });
    expect(check(Target, { period: '2024', value: 1, place: 'tx' })).toEqual({
      issues: [{ path: 'place', message: expect.stringMatching(/^expected a place code/) }],
    });
  });

  it('checks an indicator factor, which must be positive', () => {
    expect(check(Indicator, { ...FULL_INDICATOR, factor: 0 })).toEqual(
      refused('factor', 'expected more than 0'),
    );
  });

  it('checks a practice date, a risk level and a lesson date', () => {
    const practice = { practice: 'staff_assigned', state: 'met' };
    expect(check(Practice, practice)).toEqual({ data: practice });
    expect(check(Practice, { ...practice, date: '2023-02-30' })).toEqual(
      refused('date', 'expected a real calendar date between 1800 and 2200'),
    );
    const risk = FULL_PROGRAM.risks[0]!;
    expect(check(Risk, { ...risk, likelihood: 'extreme' })).toEqual(
      refused('likelihood', 'expected one of "low", "medium", "high"'),
    );
    const lesson = FULL_PROGRAM.lessons[0]!;
    expect(check(Lesson, { ...lesson, date: undefined })).toEqual(
      refused('date', 'required: expected string'),
    );
  });
});

describe('SeriesLink', () => {
  const link = { measure: 'homicides', geo: 'MX' };

  it.each(['homicides', 'a', '0', 'z_9', 'victims_per_capita'])('accepts the measure %j', (measure) => {
    expect(check(SeriesLink, { ...link, measure })).toEqual({ data: { ...link, measure } });
  });

  it.each(['', 'Homicides', 'a-b', 'a.b', ' a', 'a ', 'a b', 'é'])('refuses the measure %j', (measure) => {
    expect(check(SeriesLink, { ...link, measure })).toEqual(
      refused('measure', 'expected a measure id such as homicides'),
    );
  });

  it('checks the place, the divisor and the filters', () => {
    expect(check(SeriesLink, { ...link, geo: 'Mexico' })).toEqual({
      issues: [{ path: 'geo', message: expect.stringMatching(/^expected a place code/) }],
    });
    expect(check(SeriesLink, { ...link, per: 0 })).toEqual(refused('per', 'expected more than 0'));
    expect(check(SeriesLink, { ...link, filters: { 'a b': 'x', sex: ' ' } })).toEqual({
      issues: [
        { path: 'filters.a b', message: 'Invalid key in record' },
        { path: 'filters.sex', message: 'expected non-empty text' },
      ],
    });
  });
});

describe('Program', () => {
  const program = { code: 'P', title: text('P', 'P'), status: 'planned' };

  it.each([
    [{}, 'neither date'],
    [{ start: '2020-01-01' }, 'a start only'],
    [{ end: '2020-01-01' }, 'an end only'],
    [{ start: '2020-01-01', end: '2020-01-01' }, 'the same day'],
    [{ start: '2019-12-31', end: '2020-01-01' }, 'an end after the start'],
  ])('accepts %j (%s)', (dates, _what) => {
    expect(check(Program, { ...program, ...dates })).toEqual({ data: { ...program, ...dates } });
  });

  it('refuses an end before the start, at the end', () => {
    expect(check(Program, { ...program, start: '2020-01-02', end: '2020-01-01' })).toEqual(
      refused('end', 'end is before start'),
    );
  });

  it('does not compare dates of a program that is otherwise invalid', () => {
    expect(check(Program, { ...program, status: 'x', start: '2020-01-02', end: '2020-01-01' })).toEqual(
      refused('status', 'expected one of "planned", "active", "suspended", "closed"'),
    );
  });

  it('checks the node references and places it lists', () => {
    expect(check(Program, { ...program, serves: ['bicentennial'], locations: ['19', 'x'] })).toEqual({
      issues: [
        { path: 'serves[0]', message: expect.stringMatching(/^expected a framework node reference/) },
        { path: 'locations[1]', message: expect.stringMatching(/^expected a place code/) },
      ],
    });
  });
});

describe('Result', () => {
  const base = { indicator: 'I', period: '2017', place: 'MX' };
  const NEEDS_VALUE = { path: 'value', message: 'a result needs a value, or a numerator and a denominator' };
  const BOTH = { path: 'denominator', message: 'give both numerator and denominator, or neither' };

  it.each([
    [{ value: 0 }],
    [{ value: -2.5 }],
    [{ numerator: 3, denominator: 4 }],
    [{ value: null, numerator: 0, denominator: 1 }],
    [{ value: 1, numerator: 3, denominator: 4 }],
  ])('accepts %j', (fields) => {
    expect(check(Result, { ...base, ...fields })).toEqual({ data: { ...base, ...fields } });
  });

  it.each([
    [{}, [NEEDS_VALUE]],
    [{ value: null }, [NEEDS_VALUE]],
    [{ numerator: 1 }, [NEEDS_VALUE, BOTH]],
    [{ value: null, denominator: 2 }, [NEEDS_VALUE, BOTH]],
    [{ value: 1, denominator: 2 }, [BOTH]],
    [{ value: 1, numerator: 2 }, [BOTH]],
  ])('refuses %j', (fields, issues) => {
    expect(check(Result, { ...base, ...fields })).toEqual({ issues });
  });

  it('refuses a denominator of zero, and a disaggregation key that is not a code', () => {
    expect(check(Result, { ...base, numerator: 1, denominator: 0 })).toEqual(
      refused('denominator', 'expected more than 0'),
    );
    expect(check(Result, { ...base, value: 1, disaggregation: { '-x': 'a' } })).toEqual(
      refused('disaggregation.-x', 'Invalid key in record'),
    );
    expect(check(Result, { ...base, value: 1, status: 'final' })).toEqual(
      refused('status', 'expected one of "draft", "submitted", "approved", "locked"'),
    );
  });
});

describe('problems of a result in Spanish', () => {
  it('give the rules of value, numerator and denominator in the reader’s language', () => {
    const parsed = safeParseInput(Result, { indicator: 'X', period: '2020', place: 'MX', numerator: 2 });
    expect(parsed.success).toBe(false);
    const es = translator('es');
    expect(zodIssues(parsed.error!).map((i) => i.text && es(i.text.key, i.text.values))).toEqual([
      'un resultado necesita un valor, o un numerador y un denominador',
      'dé numerador y denominador, o ninguno de los dos',
    ]);
  });
});
