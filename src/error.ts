/**
 * The few typed errors Marco raises. Each says what was wrong, where, and what to do; the CLI maps them
 * to exit codes and the HTTP API to statuses with a `{error: {code, message, details}}` body.
 * @module
 */

import { translator, type Locale } from './i18n/index.js';

/**
 * A message with an EN/ES text in the catalogs: its key and the values it interpolates. A value may
 * itself be a catalog text (a reason quoted inside a sentence), translated into the same language.
 */
export interface Text {
  key: string;
  values?: Record<string, string | number | Text>;
}

/** `text` in the language of `t`, with any values that are texts translated first. */
export function textIn(t: (key: string, values?: Record<string, unknown>) => string, text: Text): string {
  const values = Object.fromEntries(
    Object.entries(text.values ?? {}).map(([k, v]) => [k, typeof v === 'object' ? textIn(t, v) : v]),
  );
  return t(text.key, values);
}

/** One problem in an input, located by a JSON path (`programs[2].indicators[0].baseline.value`). */
export interface Issue {
  path: string;
  message: string;
  /** `file:line:column` when the input came from a file. */
  location?: string;
  /** The message's catalog text, when it has one: shown in the reader's language. */
  text?: Text;
}

/**
 * An issue whose message has a catalog text: `message` is its English (for logs and the API's
 * `message`), and surfaces show `text` in the reader's language.
 */
export function textIssue(
  path: string,
  key: string,
  values: Record<string, string | number | Text> = {},
): Issue {
  return { path, message: textIn(translator('en'), { key, values }), text: { key, values } };
}

/** Exit codes of the `marco` CLI (documented in the README). */
export const EXIT = { ok: 0, failure: 1, invalid: 2, conflict: 3, notFound: 4, tampered: 5 } as const;

export abstract class MarcoError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  abstract readonly exitCode: number;
  /** The message's catalog text, when it has one: surfaces show it in the reader's language. */
  readonly text: Text | undefined;
  /** `message` is English; a catalog {@link Text} is translated, in English here and per reader later. */
  constructor(message: string | Text) {
    super(typeof message === 'string' ? message : textIn(translator('en'), message));
    this.text = typeof message === 'string' ? undefined : message;
  }
  details(): unknown {
    return undefined;
  }
  /** The message in `locale`: the catalog text when there is one, else the English message. */
  messageIn(locale: Locale): string {
    return this.text ? textIn(translator(locale), this.text) : this.message;
  }
}

/** The inputs Marco names in a validation error's first line, and their catalog texts. */
const SOURCE_LABELS: Record<string, string> = {
  'request body': 'validation.source.body',
  'series query': 'validation.source.seriesQuery',
  'anomaly query': 'validation.source.anomalyQuery',
  'boundaries query': 'validation.source.boundariesQuery',
  'evaluation specification': 'validation.source.evaluationSpec',
  evaluation: 'validation.source.evaluation',
  'panel specification': 'validation.source.panelSpec',
  'interventions file': 'validation.source.interventionsFile',
  interventions: 'validation.source.interventions',
};

/** Input that failed validation. Nothing was written. */
export class ValidationError extends MarcoError {
  readonly code = 'invalid_input';
  /** 422 for a body or document that fails validation; 400 for a query's parameters, as documented. */
  readonly status: number;
  readonly exitCode = EXIT.invalid;
  /**
   * `kind` says what the input was for: a `write` (the message adds that nothing was written), a
   * `query`, which writes nothing anyway, or a `file` read to make something (a report template).
   */
  constructor(
    readonly issues: Issue[],
    readonly source?: string,
    kind: 'write' | 'query' | 'file' = 'write',
  ) {
    const where = source ? `${source}: ` : '';
    const lines = issues
      .slice(0, 50)
      .map((i) => `  ${i.path || '(root)'}${i.location ? ` (${i.location})` : ''}: ${i.message}`);
    if (issues.length > 50) lines.push(`  … and ${issues.length - 50} more`);
    const count = `${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}`;
    super(
      `${where}${kind === 'write' ? `${count}; nothing was written` : `${count} in the ${kind}`}\n${lines.join('\n')}`,
    );
    this.status = kind === 'query' ? 400 : 422;
    this.kind = kind;
  }
  private readonly kind: 'write' | 'query' | 'file';
  /** In `locale`: the count and each issue that has a catalog text are translated. */
  override messageIn(locale: Locale): string {
    if (locale === 'en' && !this.issues.some((i) => i.text)) return this.message;
    const t = translator(locale);
    // A file is named as it is; what Marco calls an input (`request body`) is said in the reader's words.
    const label = this.source === undefined ? undefined : SOURCE_LABELS[this.source];
    const where = this.source ? `${label ? t(label) : this.source}: ` : '';
    const lines = this.issues
      .slice(0, 50)
      .map(
        (i) =>
          `  ${i.path || '(root)'}${i.location ? ` (${i.location})` : ''}: ${i.text ? textIn(t, i.text) : i.message}`,
      );
    if (this.issues.length > 50) lines.push(`  ${t('validation.more', { count: this.issues.length - 50 })}`);
    const count = t(`validation.${this.kind}`, {
      count: this.issues.length,
    });
    return `${where}${count}\n${lines.join('\n')}`;
  }
  override details() {
    return { issues: this.issues, ...(this.source ? { source: this.source } : {}) };
  }
}

/** A write based on a stale version of a record: someone else changed it first. */
export class ConflictError extends MarcoError {
  readonly code = 'conflict';
  readonly status = 409;
  readonly exitCode = EXIT.conflict;
  constructor(
    readonly entity: string,
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
    message?: Text,
  ) {
    super(
      message ?? {
        key: 'conflict.changed',
        values: { entity: entity.replaceAll(' ', '_'), key, expected, actual },
      },
    );
  }

  /** Two writers created the same record at the same moment; the other one won. */
  static created(entity: string, key: string): ConflictError {
    return new ConflictError(entity, key, 0, 1, {
      key: 'conflict.created',
      values: { entity: entity.replaceAll(' ', '_'), key },
    });
  }
  override details() {
    return {
      entity: this.entity,
      key: this.key,
      expectedVersion: this.expected,
      currentVersion: this.actual,
    };
  }
}

/** A write refused by a rule of the records (a locked period, a forbidden status change). */
export class RefusedError extends MarcoError {
  readonly code = 'refused';
  readonly status = 409;
  readonly exitCode = EXIT.conflict;
  constructor(
    message: string | Text,
    readonly reason: string,
  ) {
    super(message);
  }
  override details() {
    return { reason: this.reason };
  }
}

/** A write the caller is not allowed to make (another country's record, approving one's own result). */
export class ForbiddenError extends MarcoError {
  readonly code = 'forbidden';
  readonly status = 403;
  readonly exitCode = EXIT.conflict;
  constructor(message: string | Text) {
    super(message);
  }
}

/** An HTTP-level refusal that no other error names: no credentials, a wrong media type, a body too large. */
export class HttpError extends MarcoError {
  readonly exitCode = EXIT.failure;
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 406 | 409 | 410 | 412 | 413 | 415 | 422 | 500 | 503,
    readonly code: string,
    message: string | Text,
    private readonly extra?: unknown,
  ) {
    super(message);
  }
  override details() {
    return this.extra;
  }
}

export class NotFoundError extends MarcoError {
  readonly code = 'not_found';
  readonly status = 404;
  readonly exitCode = EXIT.notFound;
  /** What to do next: a catalog key under `notFound.hint`, or an English text. */
  private readonly hint: string | Text;
  constructor(
    readonly entity: string,
    readonly key: string,
    hint: string | Text = { key: 'notFound.hint.list' },
  ) {
    const hintIn = (locale: Locale) =>
      typeof hint === 'string' ? hint : translator(locale)(hint.key, hint.values);
    super({
      key: 'notFound.message',
      values: { entity: entity.replaceAll(' ', '_'), key: JSON.stringify(key), hint: hintIn('en') },
    });
    this.hint = hint;
  }
  override messageIn(locale: Locale): string {
    const hint =
      typeof this.hint === 'string' ? this.hint : translator(locale)(this.hint.key, this.hint.values);
    return translator(locale)('notFound.message', {
      entity: this.entity.replaceAll(' ', '_'),
      key: JSON.stringify(this.key),
      hint,
    });
  }
  override details() {
    return { entity: this.entity, key: this.key };
  }
}

/** A command-line usage error (unknown option value, unreadable file). */
export class CliError extends MarcoError {
  readonly code = 'cli_error';
  readonly status = 400;
  constructor(
    message: string | Text,
    readonly exitCode: number = EXIT.invalid,
  ) {
    super(message);
  }
}
