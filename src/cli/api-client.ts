/**
 * The client side of the CLI commands that act through a running server (`--server URL --token T`):
 * one JSON request to the API, and the server's answer, or a CLI error with the server's message and
 * the exit code that matches the HTTP status.
 * @module
 */
import { CliError, EXIT } from '../error.js';
import type { Locale } from '../i18n/index.js';

/** A running server to act through: its address, an API token, and the language its errors come back in. */
export interface Via {
  server: string;
  token: string;
  locale: Locale;
}

/** The CLI error for a server that could not be reached at `origin`. */
export function unreachable(origin: string, error: unknown): CliError {
  return new CliError(
    { key: 'cli.errors.unreachable', values: { origin, reason: (error as Error).message } },
    EXIT.failure,
  );
}

/** The CLI error for a server address that is not one. */
export function notAServer(server: string): CliError {
  return new CliError({ key: 'cli.errors.server', values: { given: JSON.stringify(server) } });
}

/** The server's own error message (in `via.locale`), or the status it answered with. */
export function refusal(
  answer: { error?: { message?: string } } | null,
  status: number,
  prefix = '',
): CliError {
  const message = answer?.error?.message;
  return new CliError(
    message !== undefined
      ? { key: 'cli.errors.serverSaid', values: { prefix, message } }
      : { key: 'cli.errors.serverStatus', values: { prefix, status } },
    exitCodeOf(status),
  );
}

/** The exit code for an HTTP status the server refused with. */
export function exitCodeOf(status: number): number {
  if (status === 401 || status === 403 || status === 409) return EXIT.conflict;
  if (status === 404) return EXIT.notFound;
  return status < 500 ? EXIT.invalid : EXIT.failure;
}

/** Calls `method path` on the server with the token; returns the parsed JSON answer. */
export async function callApi(
  via: Via,
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
): Promise<unknown> {
  let url: URL;
  try {
    url = new URL(`/api/v1${pathname}`, via.server);
  } catch {
    throw notAServer(via.server);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${via.token}`,
        'accept-language': via.locale,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw unreachable(url.origin, error);
  }
  const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (response.ok && answer && !answer.error) return answer;
  throw refusal(answer, response.status);
}
