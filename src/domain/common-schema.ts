/**
 * Building blocks shared by every input schema: codes, bilingual text, ownership, periods and places.
 * Each schema validates once at the edge and yields both the TypeScript type and the OpenAPI schema.
 * @module
 */
import { z } from 'zod';
import { textIssue, type Issue } from '../error.js';
import { parsePeriod } from './periods.js';

// Messages of the shared schemas are catalog keys (`validation.schema.*`): `zodIssues` gives each issue
// its English message and its text for the reader's language.
export const Code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  message: 'validation.schema.code',
});

// NUL cannot be stored by PostgreSQL and a lone surrogate is not text: both are refused at the edge, and
// text is NFC-normalised so that "é" typed two ways is one value (and reloading a file is a no-op).
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A non-empty, trimmed, NFC-normalised string without NUL or lone surrogates. */
export const Str = z
  .string()
  .trim()
  .min(1, { message: 'validation.schema.empty' })
  .max(20_000, { message: 'validation.schema.tooLong' })
  .refine((value) => !UNSTORABLE.test(value), { message: 'validation.schema.unstorable' })
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
  message: 'validation.schema.period',
});

/**
 * A place: `MX` or `US`, an INEGI state (2 digits) or municipality (5 digits) code, or a U.S. state's
 * USPS code.
 */
/** A saved evaluation run's id: a positive whole number, as a path segment or a flag gives it. */
export const EvaluationId = z.string().regex(/^[1-9]\d{0,9}$/, { message: 'validation.schema.evaluationId' });

export const Place = z.string().regex(/^(MX|US|\d{2}|\d{5}|[A-Z]{2})$/, {
  message: 'validation.schema.place',
});

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.schema.date' })
  .refine(
    (value) =>
      Number(value.slice(0, 4)) >= 1800 &&
      Number(value.slice(0, 4)) <= 2200 &&
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    { message: 'validation.schema.realDate' },
  );

/** A reference to a framework node, `FRAMEWORK:NODE` (for example `bicentennial:1.1.1`). */
export const NodeRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*$/, {
  message: 'validation.schema.nodeRef',
});

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A number as a person types it in a form field: blank is none (null), anything else must be a plain
 * decimal number (`12.5`, `-3`, `1e6`); `12,5`, `twelve` or `0x10` are refused with what was typed.
 */
export const DecimalText = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    if (text !== '' && !DECIMAL.test(text))
      ctx.addIssue({ code: 'custom', message: 'validation.schema.decimal', params: { given: text } });
  })
  .transform((text) => (text === '' ? null : Number(text)));

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

/**
 * Turns zod issues into Marco's issues, with messages a person can act on: the English `message`, and
 * the catalog `text` that gives it in the reader's language (a schema's own message is a catalog key
 * when it starts with `validation.`; other custom messages stay as written).
 */
export function zodIssues(
  error: z.ZodError,
  prefix: readonly PropertyKey[] = [],
  /** The document an unknown field is checked against: the workspace format unless said. */
  docs = 'docs/workspace-format.md',
): Issue[] {
  return error.issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    const text = describe(issue, docs);
    return text ? textIssue(path, text.key, text.values) : { path, message: issue.message };
  });
}

function describe(issue: z.core.$ZodIssue, docs: string): Text_ | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return {
        key:
          issue.input === undefined
            ? 'validation.schema.required'
            : // English needs "an" before a vowel: two messages, alike in Spanish.
              /^[aeiou]/.test(issue.expected)
              ? 'validation.schema.typeAn'
              : 'validation.schema.type',
        values: { expected: issue.expected },
      };
    case 'unrecognized_keys':
      return {
        key: issue.keys.length === 1 ? 'validation.schema.unknownField' : 'validation.schema.unknownFields',
        values: { keys: issue.keys.map((k) => JSON.stringify(k)).join(', '), docs },
      };
    case 'invalid_value':
      return {
        key: 'validation.schema.oneOf',
        values: { values: issue.values.map((v) => JSON.stringify(v)).join(', ') },
      };
    default:
      break;
  }
  // A schema's own message: a catalog key, whose values a refinement passes as `params`.
  if (/^validation\.schema\.\w+$/.test(issue.message))
    return {
      key: issue.message,
      values: (issue.code === 'custom' ? (issue.params as Record<string, string | number>) : undefined) ?? {},
    };
  // Another message a schema wrote itself stays as written; zod's own ("Too small: …", "Invalid …") are
  // replaced by the catalog's.
  if (!/^(Too (small|big)|Invalid)\b/.test(issue.message)) return undefined;
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      return bound(issue);
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? { key: 'validation.schema.pattern', values: { pattern: String(issue.pattern) } }
        : { key: 'validation.schema.format', values: { format: issue.format } };
    case 'invalid_union':
      return { key: 'validation.schema.union', values: {} };
    case 'not_multiple_of':
      return { key: 'validation.schema.multipleOf', values: { divisor: Number(issue.divisor) } };
    default:
      return undefined;
  }
}

type Text_ = { key: string; values: Record<string, string | number> };

/** A minimum or maximum that zod checked: of a number, a text's length or a list's length. */
function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): Text_ {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const what =
    issue.origin === 'string'
      ? 'string'
      : issue.origin === 'array' || issue.origin === 'set'
        ? 'array'
        : 'number';
  const strict = what === 'number' && !issue.inclusive ? 'Strict' : '';
  return { key: `validation.schema.${small ? 'min' : 'max'}${strict}.${what}`, values: { limit } };
}
