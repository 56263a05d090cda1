/**
 * Every refusal of the API as an RFC 9457 problem (`application/problem+json`): `type` (a URN naming
 * Marco's error code, listed in docs/api.md), `title` (what kind of problem, in the reader's language),
 * `status`, `detail` (what went wrong and how to fix it, in the reader's language) and `instance` (the
 * request's path), with Marco's own members beside them: `code`, and for a refused input its `issues`
 * (each with its JSON path). The members clients read before problems, `error: {code, message,
 * details}`, stay in the same answer. A 401 says how to authenticate (`WWW-Authenticate: Bearer`).
 * @module
 */
import type { Context } from 'hono';
import { translator } from '../i18n/index.js';
import { localeOf } from '../web/locale.js';

export const PROBLEM_TYPE = 'application/problem+json';

/** The URN of an error code: `urn:marco:problem:not_found`. */
export const problemType = (code: string) => `urn:marco:problem:${code}`;

/** The problem's parts that vary: the code, the message already in the reader's language, its details. */
export interface ProblemInput {
  code: string;
  message: string;
  details?: unknown;
}

/** The answer to a refused request, as a problem. */
export function problem(
  c: Context,
  status: number,
  input: ProblemInput,
  headers: Record<string, string> = {},
) {
  const t = translator(localeOf(c));
  const titleKey = `http.problem.${input.code}`;
  const title = t(titleKey);
  const issues = (input.details as { issues?: unknown } | undefined)?.issues;
  const body = {
    type: problemType(input.code),
    title: title === titleKey ? t('http.problem.other', { status }) : title,
    status,
    detail: input.message,
    instance: new URL(c.req.url).pathname,
    code: input.code,
    ...(Array.isArray(issues) ? { issues } : {}),
    error: {
      code: input.code,
      message: input.message,
      ...(input.details === undefined ? {} : { details: input.details }),
    },
  };
  // Through the context, so the headers set before (Retry-After, security headers) go with it.
  return c.body(JSON.stringify(body), status as never, {
    'content-type': `${PROBLEM_TYPE}; charset=UTF-8`,
    ...(status === 401 ? { 'www-authenticate': 'Bearer realm="marco"' } : {}),
    ...headers,
  });
}
