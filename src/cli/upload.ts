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
import { CliError } from '../error.js';
import type { ImportReport } from '../stats/import-report.js';
import { notAServer, refusal, unreachable, type Via } from './api-client.js';

/** Sends a file to a running server's `POST /api/v1/imports` and returns its report. */
export async function uploadImport(
  via: Via,
  sourceId: string,
  file: string,
  params: Record<string, string>,
  maxRejects: string | undefined,
): Promise<ImportReport> {
  let base: URL;
  try {
    base = new URL('/api/v1/imports', via.server);
  } catch {
    throw notAServer(via.server);
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
        authorization: `Bearer ${via.token}`,
        'accept-language': via.locale,
        'content-type': 'application/octet-stream',
        'content-length': String(info.size),
      },
      body: Readable.toWeb(createReadStream(file)) as never,
      duplex: 'half',
    } as RequestInit);
  } catch (error) {
    throw unreachable(base.origin, error);
  }
  const body = (await response.json().catch(() => null)) as
    (ImportReport & { error?: { code: string; message: string } }) | null;
  if (response.ok && body && !body.error) return body;
  throw refusal(body, response.status, `${file}: `);
}
