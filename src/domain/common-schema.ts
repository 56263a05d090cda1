/**
 * Building blocks shared by every input schema: codes, bilingual text, ownership, periods and places.
 * Each schema validates once at the edge and yields both the TypeScript type and the OpenAPI schema.
 * @module
 */
import { z } from 'zod';
import { PERIOD_FORMATS, parsePeriod } from './periods.js';

export const Code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  message:
    'expected a code of letters, digits, ".", "_" or "-" (at most 64 characters, starting with a letter or digit)',
});

// NUL cannot be stored by PostgreSQL and a lone surrogate is not text: both are refused at the edge, and
// text is NFC-normalised so that "é" typed two ways is one value (and reloading a file is a no-op).
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A non-empty, trimmed, NFC-normalised string without NUL or lone surrogates. */
export const Str = z
  .string()
  .trim()
  .min(1, { message: 'expected non-empty text' })
  .max(20_000, { message: 'text longer than 20,000 characters' })
  .refine((value) => !UNSTORABLE.test(value), {
    message: 'text contains a NUL character or a broken Unicode sequence',
  })
  .transform((value) => value.normalize('NFC'));

/** Text that must exist in both languages. */
export const Text = z
  .object({
    en: Str,
    es: Str,
  })
  .strict();
export type Text = z.infer<typeof Text>;

/** Optional text, in either or both languages. */
export const OptionalText = z.object({ en: Str.optional(), es: Str.optional() }).strict();
export type OptionalText = z.infer<typeof OptionalText>;

export const Country = z.enum(['US', 'MX']);
export type Country = z.infer<typeof Country>;

export const Classification = z.enum(['public', 'official_use', 'restricted']);
export type Classification = z.infer<typeof Classification>;

/**
 * Ownership of a record. Omitted fields fall back to the file's `defaults`; `version` is the version the
 * editor last saw: when given, a write to a record that has moved on since is refused as a conflict.
 */
export const ownership = {
  country: Country.optional(),
  agency: Code.optional(),
  classification: Classification.optional(),
  version: z.number().int().min(1).optional(),
};

export const PeriodCode = z.string().refine((value) => parsePeriod(value)?.code === value, {
  message: `expected a period code: ${PERIOD_FORMATS}`,
});

/**
 * A place: `MX` or `US`, an INEGI state (2 digits) or municipality (5 digits) code, or a U.S. state's
 * USPS code.
 */
export const Place = z.string().regex(/^(MX|US|\d{2}|\d{5}|[A-Z]{2})$/, {
  message:
    'expected a place code: MX, US, an INEGI state (09) or municipality (09015) code, or a USPS state code (TX)',
});

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD' })
  .refine(
    (value) =>
      Number(value.slice(0, 4)) >= 1800 &&
      Number(value.slice(0, 4)) <= 2200 &&
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    { message: 'expected a real calendar date between 1800 and 2200' },
  );

/** A reference to a framework node, `FRAMEWORK:NODE` (for example `bicentennial:1.1.1`). */
export const NodeRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*$/, {
  message: 'expected a framework node reference FRAMEWORK:NODE, for example bicentennial:1.1.1',
});

/**
 * Validates `input`, keeping each issue's input value: zod 4 drops it unless asked, and without it a
 * wrong type cannot be told from a missing field.
 */
export function safeParseInput<T extends z.ZodType>(schema: T, input: unknown) {
  return schema.safeParse(input, { reportInput: true });
}

/** Formats a zod issue path as `programs[2].indicators[0].baseline.value`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Turns zod issues into Marco's `{path, message}` issues, with messages a person can act on. */
export function zodIssues(
  error: z.ZodError,
  prefix: readonly PropertyKey[] = [],
): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: describe(issue),
  }));
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `required: expected ${issue.expected}`
        : `expected ${article(issue.expected)}`;
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; check the spelling against docs/workspace-format.md`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
