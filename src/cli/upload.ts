/**
 * The client side of `marco import --server URL`: the file goes to a running server's
 * `POST /api/v1/imports`, and the server's answer becomes the import report or a CLI error with the exit
 * code that matches the HTTP status.
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CliError, EXIT } from '../error.js';
import type { ImportReport } from '../stats/import-report.js';
import { exitCodeOf } from './api-client.js';

/** Sends a file to a running server's `POST /api/v1/imports` and returns its report. */
export async function uploadImport(
  server: string,
  token: string,
  sourceId: string,
  file: string,
  params: Record<string, string>,
  maxRejects: string | undefined,
): Promise<ImportReport> {
  let base: URL;
  try {
    base = new URL('/api/v1/imports', server);
  } catch {
    throw new CliError(
      `--server ${JSON.stringify(server)}: expected the server's address, such as http://127.0.0.1:8080`,
    );
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new CliError({ key: 'files.noSuchFile', values: { file } });
  base.searchParams.set('source', sourceId);
  base.searchParams.set('file_name', path.basename(file).replace(/[^\w.-]+/g, '_'));
  if (maxRejects !== undefined) base.searchParams.set('max_rejects', maxRejects);
  const pairs = Object.entries(params).map(([k, v]) => `${k}:${v}`);
  if (pairs.length) base.searchParams.set('param', pairs.join(','));
  let response: Response;
  try {
    response = await fetch(base, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/octet-stream',
        'content-length': String(info.size),
      },
      body: Readable.toWeb(createReadStream(file)) as never,
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    throw new CliError(
      `${base.origin}: cannot reach the server (${(error as Error).message}); is \`marco serve\` running there?`,
      EXIT.failure,
    );
  }
  const body = (await response.json().catch(() => null)) as
    (ImportReport & { error?: { code: string; message: string } }) | null;
  if (response.ok && body && !body.error) return body;
  const message = body?.error?.message ?? `the server answered ${response.status}`;
  throw new CliError(`${file}: ${message}`, exitCodeOf(response.status));
}
