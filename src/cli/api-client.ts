/**
 * The client side of the CLI commands that act through a running server (`--server URL --token T`):
 * one JSON request to the API, and the server's answer, or a CLI error with the server's message and
 * the exit code that matches the HTTP status.
 * @module
 */
import { CliError, EXIT } from '../error.js';

/** The exit code for an HTTP status the server refused with. */
export function exitCodeOf(status: number): number {
  if (status === 401 || status === 403 || status === 409) return EXIT.conflict;
  if (status === 404) return EXIT.notFound;
  return status < 500 ? EXIT.invalid : EXIT.failure;
}

/** Calls `method path` on the server with the token; returns the parsed JSON answer. */
export async function callApi(
  server: string,
  token: string,
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
): Promise<unknown> {
  let url: URL;
  try {
    url = new URL(`/api/v1${pathname}`, server);
  } catch {
    throw new CliError(
      `--server ${JSON.stringify(server)}: expected the server's address, such as http://127.0.0.1:8080`,
    );
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new CliError(
      `${url.origin}: cannot reach the server (${(error as Error).message}); is \`marco serve\` running there?`,
      EXIT.failure,
    );
  }
  const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (response.ok && answer && !answer.error) return answer;
  throw new CliError(
    answer?.error?.message ?? `the server answered ${response.status}`,
    exitCodeOf(response.status),
  );
}
