/**
 * Commander's usage errors in the reader's language. Commander writes its errors in English and has no
 * message hook, only an output hook; each of its messages has one fixed shape (commander 14), so the
 * shape is matched here and the catalog text `cli.usage.*` written instead. A message of a shape not
 * listed (a later commander) passes through unchanged rather than being lost.
 * @module
 */
import type { Translate } from '../i18n/index.js';

interface Shape {
  pattern: RegExp;
  key: string;
  values: (match: RegExpMatchArray) => Record<string, string | number>;
}

const SHAPES: Shape[] = [
  {
    pattern: /^error: unknown option '(.+)'$/,
    key: 'cli.usage.unknownOption',
    values: (m) => ({ flag: m[1]! }),
  },
  {
    pattern: /^error: unknown command '(.+)'$/,
    key: 'cli.usage.unknownCommand',
    values: (m) => ({ name: m[1]! }),
  },
  {
    pattern: /^error: missing required argument '(.+)'$/,
    key: 'cli.usage.missingArgument',
    values: (m) => ({ name: m[1]! }),
  },
  {
    pattern: /^error: option '(.+)' argument missing$/,
    key: 'cli.usage.optionMissingArgument',
    values: (m) => ({ flags: m[1]! }),
  },
  {
    pattern: /^error: required option '(.+)' not specified$/,
    key: 'cli.usage.missingOption',
    values: (m) => ({ flags: m[1]! }),
  },
  {
    pattern: /^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    key: 'cli.usage.excessArguments',
    values: (m) => ({ command: m[1] ?? 'marco', expected: Number(m[2]), got: Number(m[3]) }),
  },
  {
    pattern: /^error: option '(.+)' cannot be used with option '(.+)'$/,
    key: 'cli.usage.conflictingOption',
    values: (m) => ({ flags: m[1]!, other: m[2]! }),
  },
  {
    pattern: /^error: option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/,
    key: 'cli.usage.invalidChoice',
    values: (m) => ({ flags: m[1]!, value: m[2]!, choices: m[3]! }),
  },
  {
    pattern: /^error: option '(.+)' argument '(.*)' is invalid\.$/,
    key: 'cli.usage.invalidOptionValue',
    values: (m) => ({ flags: m[1]!, value: m[2]! }),
  },
];

/** Commander's "(Did you mean …?)" line. */
const SUGGESTION = /^\(Did you mean (?:one of )?(.+)\?\)$/;

/** `text` (one error Commander is about to write) in the reader's language. */
export function commanderErrorIn(text: string, t: Translate): string {
  const trailing = text.endsWith('\n') ? '\n' : '';
  const lines = text.replace(/\n$/, '').split('\n');
  const translated = lines.map((line) => {
    const suggestion = SUGGESTION.exec(line);
    if (suggestion) return t('cli.usage.didYouMean', { candidates: suggestion[1]! });
    for (const shape of SHAPES) {
      const match = line.match(shape.pattern);
      if (match) return t(shape.key, shape.values(match));
    }
    return line;
  });
  return `${translated.join('\n')}${trailing}`;
}
