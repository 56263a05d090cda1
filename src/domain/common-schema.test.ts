import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translator } from '../i18n/index.js';
import {
  Classification,
  Code,
  Country,
  IsoDate,
  NodeRef,
  OptionalText,
  PeriodCode,
  Place,
  Str,
  Text,
  formatPath,
  ownership,
  safeParseInput,
  zodIssues,
} from './common-schema.js';

/** The parsed value, or the `{path, message}` issues (English), of `input` against `schema`. */
function check(schema: z.ZodType, input: unknown): { data: unknown } | { issues: unknown } {
  const parsed = safeParseInput(schema, input);
  return parsed.success
    ? { data: parsed.data }
    : { issues: zodIssues(parsed.error).map(({ path, message }) => ({ path, message })) };
}

describe('issues in the reader’s language', () => {
  it('carry a catalog text for shared schemas and zod’s own checks, whose English is the message', () => {
    const es = translator('es');
    const texts = (schema: z.ZodType, input: unknown) => {
      const parsed = safeParseInput(schema, input);
      return parsed.success
        ? []
        : zodIssues(parsed.error).map((i) => [i.path, i.text && es(i.text.key, i.text.values)]);
    };
    expect(texts(Place, '9')).toEqual([
      ['', expect.stringMatching(/^se esperaba un código de lugar: MX, US/)],
    ]);
    expect(texts(z.object({ a: z.number() }).strict(), { a: 'x', b: 1 })).toEqual([
      ['a', 'se esperaba un número'],
      ['', 'campo desconocido "b"; revise la ortografía en docs/workspace-format.md'],
    ]);
    for (const [schema, input] of [
      [Code, '-a'],
      [PeriodCode, '2019-13'],
      [IsoDate, '2019-02-30'],
      [Country, 'CA'],
    ] as const) {
      const parsed = safeParseInput(schema, input);
      expect(parsed.success).toBe(false);
      for (const issue of zodIssues(parsed.error!)) {
        expect(issue.text, String(input)).toBeDefined();
        expect(translator('en')(issue.text!.key, issue.text!.values)).toBe(issue.message);
        expect(es(issue.text!.key, issue.text!.values)).not.toBe(issue.message);
      }
    }
  });
});

const refused = (message: string, path = '') => ({ issues: [{ path, message }] });

const CODE =
  'expected a code of letters, digits, ".", "_" or "-" (at most 64 characters, starting with a letter or digit)';
const UNSTORABLE = 'text contains a NUL character or a broken Unicode sequence';
const PERIOD =
  'expected a period code: YYYY (calendar year), FYYYYY (U.S. federal fiscal year, October–September), YYYY-H1/H2, YYYY-Q1…Q4, YYYY-MM, or FROM/TO of two different ones, with years from 1800 to 2200';
const PLACE =
  'expected a place code: MX, US, an INEGI state (09) or municipality (09015) code, or a USPS state code (TX)';
const DATE_SHAPE = 'expected a date as YYYY-MM-DD';
const REAL_DATE = 'expected a real calendar date between 1800 and 2200';
const NODE_REF = 'expected a framework node reference FRAMEWORK:NODE, for example bicentennial:1.1.1';

describe('Code', () => {
  it.each([
    'a',
    'Z',
    '0',
    '9',
    'A',
    'z',
    'INL',
    'bicentennial',
    'EX-ACA.v2_x',
    'a0',
    'aZ',
    'a9',
    'x-',
    'x.',
    'x_',
  ])('accepts %j', (value) => {
    expect(check(Code, value)).toEqual({ data: value });
  });

  it('accepts 64 characters and refuses 65', () => {
    expect(check(Code, 'a'.repeat(64))).toEqual({ data: 'a'.repeat(64) });
    expect(check(Code, 'A' + '9'.repeat(63))).toEqual({ data: 'A' + '9'.repeat(63) });
    expect(check(Code, 'a'.repeat(65))).toEqual(refused(CODE));
  });

  it.each(['', '-a', '.a', '_a', 'a b', ' a', 'a ', 'a:b', 'é', 'a/b', 'a!', '!a'])('refuses %j', (value) => {
    expect(check(Code, value)).toEqual(refused(CODE));
  });

  it('refuses a number, and says "required" when nothing is given', () => {
    expect(check(Code, 12)).toEqual(refused('expected a string'));
    expect(check(Code, undefined)).toEqual(refused('required: expected string'));
  });
});

describe('Str', () => {
  it('trims and NFC-normalises text', () => {
    expect(check(Str, '  caf\u0065\u0301 \n')).toEqual({ data: 'caf\u00e9' });
    expect(check(Str, 'Ñ')).toEqual({ data: 'Ñ' });
  });

  it('refuses empty or blank text', () => {
    expect(check(Str, '')).toEqual(refused('expected non-empty text'));
    expect(check(Str, ' \t\n ')).toEqual(refused('expected non-empty text'));
  });

  it('accepts 20,000 characters (after trimming) and refuses 20,001', () => {
    expect(check(Str, 'x'.repeat(20_000))).toEqual({ data: 'x'.repeat(20_000) });
    expect(check(Str, ` ${'x'.repeat(20_000)} `)).toEqual({ data: 'x'.repeat(20_000) });
    expect(check(Str, 'x'.repeat(20_001))).toEqual(refused('text longer than 20,000 characters'));
    expect(check(Str, 'x')).toEqual({ data: 'x' });
    expect(check(Str, 'xy')).toEqual({ data: 'xy' });
  });

  it.each([
    ['a NUL', 'a\u0000b'],
    ['a lone high surrogate at the end', 'a\uD800'],
    ['the last high surrogate alone', 'a\uDBFFb'],
    ['a high surrogate before a non-surrogate', '\uD83Dx'],
    ['two high surrogates', '\uD83D\uD83D'],
    ['a lone low surrogate at the start', '\uDC00a'],
    ['the last low surrogate alone', 'a\uDFFF'],
    ['a low surrogate after a non-surrogate', 'x\uDE00'],
    ['two low surrogates', '\uDE00\uDE00'],
  ])('refuses %s', (_what, value) => {
    expect(check(Str, value)).toEqual(refused(UNSTORABLE));
  });

  it.each(['\uD800\uDC00', '\uDBFF\uDFFF', 'hola 😀 adiós', 'a\u0001b', '\uD7FF\uE000'])(
    'accepts %j, surrogate pairs included',
    (value) => {
      expect(check(Str, value)).toEqual({ data: value });
    },
  );
});

describe('Text and OptionalText', () => {
  it('needs both languages, normalised', () => {
    expect(check(Text, { en: ' Public Health ', es: 'Salud pu\u0301blica' })).toEqual({
      data: { en: 'Public Health', es: 'Salud pública' },
    });
    expect(check(Text, { en: 'Only English' })).toEqual(refused('required: expected string', 'es'));
    expect(check(Text, { es: 'Solo' })).toEqual(refused('required: expected string', 'en'));
    expect(check(Text, 'text')).toEqual(refused('expected an object'));
  });

  it('refuses unknown languages, with one or several names', () => {
    expect(check(Text, { en: 'a', es: 'b', fr: 'c' })).toEqual(
      refused('unknown field "fr"; check the spelling against docs/workspace-format.md'),
    );
    expect(check(Text, { en: 'a', es: 'b', fr: 'c', de: 1 })).toEqual(
      refused('unknown fields "fr", "de"; check the spelling against docs/workspace-format.md'),
    );
  });

  it('takes either language, or none, but nothing else', () => {
    expect(check(OptionalText, {})).toEqual({ data: {} });
    expect(check(OptionalText, { en: ' a ' })).toEqual({ data: { en: 'a' } });
    expect(check(OptionalText, { es: 'b' })).toEqual({ data: { es: 'b' } });
    expect(check(OptionalText, { en: '' })).toEqual(refused('expected non-empty text', 'en'));
    expect(check(OptionalText, { pt: 'c' })).toEqual(
      refused('unknown field "pt"; check the spelling against docs/workspace-format.md'),
    );
  });
});

describe('Country, Classification and ownership', () => {
  it('lists the countries and classifications', () => {
    expect(check(Country, 'US')).toEqual({ data: 'US' });
    expect(check(Country, 'MX')).toEqual({ data: 'MX' });
    expect(check(Country, 'CA')).toEqual(refused('expected one of "US", "MX"'));
    for (const value of ['public', 'official_use', 'restricted'])
      expect(check(Classification, value)).toEqual({ data: value });
    expect(check(Classification, 'secret')).toEqual(
      refused('expected one of "public", "official_use", "restricted"'),
    );
  });

  const Owned = z.object(ownership).strict();

  it('takes every ownership field, all optional', () => {
    const full = { country: 'MX', agency: 'SSPC', classification: 'restricted', version: 1 };
    expect(check(Owned, full)).toEqual({ data: full });
    expect(check(Owned, { version: 2 })).toEqual({ data: { version: 2 } });
    expect(check(Owned, {})).toEqual({ data: {} });
  });

  it('refuses a bad owner or a version below 1 or not whole', () => {
    expect(check(Owned, { country: 'CA' })).toEqual(refused('expected one of "US", "MX"', 'country'));
    expect(check(Owned, { agency: '-x' })).toEqual(refused(CODE, 'agency'));
    expect(check(Owned, { classification: 'x' })).toEqual(
      refused('expected one of "public", "official_use", "restricted"', 'classification'),
    );
    expect(check(Owned, { version: 0 })).toEqual(refused('expected 1 or more', 'version'));
    expect(check(Owned, { version: 1.5 })).toEqual(refused('expected an int', 'version'));
    expect(check(Owned, { version: '1' })).toEqual(refused('expected a number', 'version'));
  });
});

describe('PeriodCode', () => {
  it.each(['2017', 'FY2017', '2016-H2', '2016-Q4', '2016-08', '2016-08/2018-01', '1800', '2200'])(
    'accepts %j',
    (value) => {
      expect(check(PeriodCode, value)).toEqual({ data: value });
    },
  );

  it.each(['', '1799', '2201', '2017-13', ' 2017', '2017 ', '2017/2017', '2018/2017', 'x2017', '2017x'])(
    'refuses %j',
    (value) => {
      expect(check(PeriodCode, value)).toEqual(refused(PERIOD));
    },
  );
});

describe('Place', () => {
  it.each(['MX', 'US', '09', '00', '99', '09015', '12345', 'TX', 'AZ', 'ZA'])('accepts %j', (value) => {
    expect(check(Place, value)).toEqual({ data: value });
  });

  it.each(['', '9', '090', '0901', '090155', 'T', 'TXA', 'tx', 'Tx', 'mx', ' TX', 'TX ', 'x09', '09x', '0a'])(
    'refuses %j',
    (value) => {
      expect(check(Place, value)).toEqual(refused(PLACE));
    },
  );
});

describe('IsoDate', () => {
  it.each(['2020-02-29', '1800-01-01', '2200-12-31', '2016-08-08', '1999-12-31', '2000-01-09'])(
    'accepts %j',
    (value) => {
      expect(check(IsoDate, value)).toEqual({ data: value });
    },
  );

  it.each(['2019-02-29', '2020-02-30', '2020-13-01', '2020-00-10', '2020-04-31', '1799-12-31', '2201-01-01'])(
    'refuses %j, which is not a real date in range',
    (value) => {
      expect(check(IsoDate, value)).toEqual(refused(REAL_DATE));
    },
  );

  it.each([
    '20200229',
    '2020-2-29',
    '2020-02-9',
    'x2020-02-29',
    '2020-02-29x',
    ' 2020-02-29',
    '2020-02-29T00:00',
  ])('refuses %j, which has the wrong shape', (value) => {
    expect(check(IsoDate, value)).toEqual({
      issues: [
        { path: '', message: DATE_SHAPE },
        { path: '', message: REAL_DATE },
      ],
    });
  });

  it('refuses an out-of-range year of the right shape with one issue', () => {
    expect(check(IsoDate, '0999-01-01')).toEqual(refused(REAL_DATE));
    expect(check(IsoDate, '9999-01-01')).toEqual(refused(REAL_DATE));
  });
});

describe('NodeRef', () => {
  it.each(['bicentennial:1.1.1', 'a:b', 'Z:0', '9:A', 'merida:pillar-2', 'x_y.z-1:A_b.C-9'])(
    'accepts %j',
    (value) => {
      expect(check(NodeRef, value)).toEqual({ data: value });
    },
  );

  it.each([
    '',
    'a',
    'a:',
    ':a',
    '.a:b',
    'a:.b',
    '-a:b',
    'a:_b',
    'a:b c',
    ' a:b',
    'a:b ',
    'a:b:c',
    'a b:c',
    'a::b',
  ])('refuses %j', (value) => {
    expect(check(NodeRef, value)).toEqual(refused(NODE_REF));
  });
});

describe('formatPath', () => {
  it('writes keys with dots and indices in brackets', () => {
    expect(formatPath(['programs', 2, 'indicators', 0, 'baseline', 'value'])).toBe(
      'programs[2].indicators[0].baseline.value',
    );
    expect(formatPath(['title', 'es'])).toBe('title.es');
    expect(formatPath(['a'])).toBe('a');
    expect(formatPath([0])).toBe('[0]');
    expect(formatPath([3, 'places', 1])).toBe('[3].places[1]');
    expect(formatPath([0, 1])).toBe('[0][1]');
    expect(formatPath([Symbol('s'), 'x'])).toBe('Symbol(s).x');
    expect(formatPath([])).toBe('');
  });
});

describe('zodIssues', () => {
  const Doc = z.object({ a: z.array(z.number()), b: z.object({ c: Code }).strict() }).strict();

  it('locates each issue, under an optional prefix', () => {
    const parsed = safeParseInput(Doc, { a: [1, 'x'], b: { c: '?', d: 1 } });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(zodIssues(parsed.error).map(({ path, message }) => ({ path, message }))).toEqual([
      { path: 'a[1]', message: 'expected a number' },
      { path: 'b.c', message: CODE },
      {
        path: 'b',
        message: 'unknown field "d"; check the spelling against docs/workspace-format.md',
      },
    ]);
    expect(zodIssues(parsed.error, ['programs', 2]).map((i) => i.path)).toEqual([
      'programs[2].a[1]',
      'programs[2].b.c',
      'programs[2].b',
    ]);
  });

  it.each([
    [z.object({ x: z.string() }), { x: 1 }, 'expected a string'],
    [z.object({ x: z.number() }), { x: 'one' }, 'expected a number'],
    [z.object({ x: z.boolean() }), { x: 'yes' }, 'expected a boolean'],
    [z.object({ x: z.array(z.string()) }), { x: null }, 'expected an array'],
    [z.object({ x: z.object({}) }), { x: 3 }, 'expected an object'],
    [z.object({ x: z.number().int() }), { x: 1.5 }, 'expected an int'],
    [z.object({ x: z.undefined() }), { x: 1 }, 'expected an undefined'],
    [z.object({ x: z.number() }), {}, 'required: expected number'],
    [z.object({ x: z.object({}) }), {}, 'required: expected object'],
    [z.object({ x: z.literal('workspace/1') }), { x: 'w' }, 'expected one of "workspace/1"'],
    [z.object({ x: z.enum(['a', 'b']) }), { x: 'c' }, 'expected one of "a", "b"'],
    [z.object({ x: z.literal(3) }), { x: 4 }, 'expected one of 3'],
    [z.object({ x: z.number().min(2) }), { x: 1 }, 'expected 2 or more'],
    [z.object({ x: z.string().refine(() => false, { message: 'custom' }) }), { x: 'a' }, 'custom'],
  ])('describes %#: %j as %j', (schema, input, message) => {
    expect(check(schema, input)).toEqual({ issues: [{ path: 'x', message }] });
  });

  it('uses "an" before every vowel, and "a" otherwise', () => {
    const issue = (expected: string) =>
      ({ code: 'invalid_type', expected, input: 0, path: [], message: '' }) as z.core.$ZodIssue;
    const error = new z.ZodError(['array', 'enum', 'int', 'object', 'undefined', 'string', 'yes'].map(issue));
    expect(zodIssues(error).map((i) => i.message)).toEqual([
      'expected an array',
      'expected an enum',
      'expected an int',
      'expected an object',
      'expected an undefined',
      'expected a string',
      'expected a yes',
    ]);
  });
});

describe('safeParseInput', () => {
  it('keeps the input of each issue', () => {
    const parsed = safeParseInput(z.object({ x: z.number(), y: z.number() }), { x: 'one' });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(parsed.error.issues.map((i) => [i.path, i.input])).toEqual([
      [['x'], 'one'],
      [['y'], undefined],
    ]);
  });

  it('returns the parsed data on success', () => {
    expect(safeParseInput(Str, ' a ')).toEqual({ success: true, data: 'a' });
  });
});
