/**
 * What every form post of the pages shares: the form read and its CSRF token checked, numbers parsed as
 * people type them, and a refusal (a MarcoError from the same rules as the API) shown on the page, each
 * field's issue beside its field and anything else above the form, in the reader's language, with the
 * status the API would give.
 * @module
 */
import type { z } from 'zod';
import { csrfToken, sameToken } from '../accounts/sessions.js';
import { DecimalText, safeParseInput, zodIssues } from '../domain/common-schema.js';
import { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from '../domain/evidence-files.js';
import type { MarcoError } from '../error.js';
import { textIn, ValidationError, type Issue } from '../error.js';
import { translator, type Locale, type Translate } from '../i18n/index.js';
import type { UploadedFile } from '../monitoring/evidence.js';
import type { PageContext } from './page-route.js';
import { formRefused, readForm } from './session/routes.js';

/** A record's id in a page's path: a positive integer of at most 10 digits, as the API's id parameters take. */
export const RECORD_ID = /^[1-9]\d{0,9}$/;

/** The statuses a refused form is answered with. */
export type RefusedStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422;

/** The status a page answers a refusal with: the error's own, when it is one a form can get. */
export function pageStatus(error: MarcoError): RefusedStatus {
  const status = error.status as number;
  return ([400, 403, 404, 409, 413, 415, 422] as const).find((s) => s === status) ?? 400;
}

/**
 * The notice of what a post just did, from the query its redirect carries (`?done=…`), validated by
 * `schema`; undefined when the query says nothing or says it wrong.
 */
export function doneNotice<T>(
  ctx: PageContext,
  schema: z.ZodType<T>,
  text: (t: Translate, done: T) => string,
): { kind: 'done'; text: string } | undefined {
  const done = safeParseInput(schema, ctx.c.req.query());
  return done.success ? { kind: 'done', text: text(translator(ctx.reader.locale), done.data) } : undefined;
}

/** Who writes and when, for a post of the signed-in official. */
export const writeOptions = (ctx: PageContext) => ({
  actor: (ctx.reader.viewer as { user: string }).user,
  ...(ctx.now ? { now: ctx.now } : {}),
});

/** The posted form, or the response that refuses it (not a form, no session, a wrong CSRF token). */
export async function checkedForm(ctx: PageContext): Promise<Record<string, string> | Response> {
  const form = await readForm(ctx.c);
  if (!form || !ctx.session || !sameToken(csrfToken(ctx.session), form._csrf))
    return formRefused(ctx.c, ctx.reader);
  return form;
}

/** The largest form with files: as many evidence files as one post takes, at their largest, and the fields. */
export const EVIDENCE_FORM_BYTES = MAX_EVIDENCE_FILES * MAX_EVIDENCE_BYTES + 256 * 1024;

/** A form with files: its text fields, and each file chosen (an empty file input sends none). */
export interface Upload {
  form: Record<string, string>;
  files: UploadedFile[];
}

/** A form whose fields may repeat (check boxes, files): its first values, and every value of each field. */
export interface RepeatedForm {
  form: Record<string, string>;
  all: Record<string, (string | File)[]>;
}

/**
 * The posted form with every value of each field, or the response that refuses it (not a form, no
 * session, a wrong CSRF token).
 */
export async function checkedRepeatedForm(ctx: PageContext): Promise<RepeatedForm | Response> {
  const type = ctx.c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type) || !ctx.session)
    return formRefused(ctx.c, ctx.reader);
  const body = await ctx.c.req.parseBody({ all: true });
  const form: Record<string, string> = {};
  const all: Record<string, (string | File)[]> = {};
  for (const [key, value] of Object.entries(body)) {
    all[key] = ([] as (string | File)[]).concat(value as string | File | (string | File)[]);
    const first = all[key][0];
    if (typeof first === 'string') form[key] = first;
  }
  if (!sameToken(csrfToken(ctx.session), form._csrf)) return formRefused(ctx.c, ctx.reader);
  return { form, all };
}

/**
 * The posted multipart form with its files (the field `name`), or the response that refuses it (not a
 * form, no session, a wrong CSRF token). The token is checked before any file is inspected or stored.
 */
export async function checkedUpload(ctx: PageContext, name: string): Promise<Upload | Response> {
  const posted = await checkedRepeatedForm(ctx);
  if (posted instanceof Response) return posted;
  const files: UploadedFile[] = [];
  for (const f of posted.all[name] ?? [])
    if (f instanceof File && (f.name !== '' || f.size > 0))
      files.push({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
  return { form: posted.form, files };
}

/** An issue in the reader's language: its catalog text when it has one. */
export const issueText = (t: Translate, issue: Issue): string =>
  issue.text ? textIn(t, issue.text) : issue.message;

/**
 * The form's number fields among `names`, parsed as typed (blank is null, a field not sent is left out),
 * and the error of each that is not a number.
 */
export function formNumbers(
  t: Translate,
  form: Record<string, string>,
  names: readonly string[],
): { numbers: Record<string, number | null>; errors: Record<string, string> } {
  const numbers: Record<string, number | null> = {};
  const errors: Record<string, string> = {};
  for (const name of names) {
    if (form[name] === undefined) continue;
    const parsed = safeParseInput(DecimalText, form[name]);
    if (parsed.success) numbers[name] = parsed.data;
    else errors[name] = issueText(t, zodIssues(parsed.error)[0]!);
  }
  return { numbers, errors };
}

/** A refusal as a form shows it. */
export interface Refusal {
  /** What is not one field's (a locked period, a stale version, a right), already translated. */
  alert?: string;
  /** Each field's issue, by field name, already translated. */
  errors: Record<string, string>;
}

/**
 * `error` as the form shows it: each issue at one of `fields` goes beside that field; when any issue has
 * no field on the form, or the error is not a validation, the whole message goes on top as well.
 */
export function refusal(t: Translate, locale: Locale, error: MarcoError, fields: readonly string[]): Refusal {
  if (error instanceof ValidationError) {
    const errors = Object.fromEntries(error.issues.map((i) => [i.path, issueText(t, i)]));
    const unplaced = error.issues.filter((i) => !fields.includes(i.path));
    return unplaced.length > 0 ? { alert: error.messageIn(locale), errors } : { errors };
  }
  return { alert: error.messageIn(locale), errors: {} };
}
