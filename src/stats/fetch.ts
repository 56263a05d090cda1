/**
 * Downloads a publisher's file into the data directory, for `marco fetch`: streamed to a `.part` file
 * with progress, retried with exponential back-off on network errors and 5xx/429 answers, resumed with
 * an HTTP `Range` request after a dropped connection (`If-Range` guards against a file that changed in
 * between), refused when it grows past a size limit or arrives as a web page, checked against an
 * expected sha256 when one is given, and recorded with its checksum in `downloads/manifest.json`.
 * Nothing else in Marco reaches the network.
 * @module
 */
import { PACKAGE_ROOT } from '../package.js';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { CliError, EXIT, MarcoError, type Text } from '../error.js';
import { translator } from '../i18n/index.js';

/** A download that cannot succeed as asked: wrong content, too large, checksum mismatch, gave up. */
export class FetchError extends MarcoError {
  readonly code = 'fetch_failed';
  readonly status = 502;
  readonly exitCode = EXIT.failure;
}

export interface FetchOptions {
  url: string;
  /** Directory the file lands in. */
  dir: string;
  /** Largest file accepted, in bytes (default 2 GiB). */
  maxBytes?: number;
  /** Attempts after the first (default 4). */
  retries?: number;
  /** First back-off delay in ms, doubled each retry (default 500). */
  backoffMs?: number;
  /** Expected sha256 (hex); a mismatch deletes the file. */
  sha256?: string;
  /** Told of progress: bytes so far and the total when known. */
  onProgress?: (done: number, total: number | null) => void;
  /** Told before each retry. */
  onRetry?: (attempt: number, reason: Text, delayMs: number) => void;
  /** Milliseconds without data before a connection counts as dropped (default 30 s). */
  idleMs?: number;
}

export interface FetchResult {
  url: string;
  file: string;
  bytes: number;
  sha256: string;
  contentType: string | null;
  attempts: number;
  /** Bytes taken from an earlier partial download instead of the network. */
  resumedFrom: number;
  fetchedAt: string;
}

/** Content types that are never a data file: an error or login page served instead of the file. */
const REFUSED_TYPES = /^(text\/html|application\/xhtml\+xml)/i;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The file name a URL suggests, made safe for the file system. */
export function fileNameFor(url: URL, disposition: string | null): string {
  const fromHeader = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] : undefined;
  const raw = decodeURIComponent(fromHeader ?? url.pathname.split('/').pop() ?? '') || 'download';
  return raw.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '') || 'download';
}

/** A failure worth another attempt; its reason is a catalog text, for the retry line and the last error. */
class Retryable extends Error {
  constructor(readonly text: Text) {
    super(translator('en')(text.key, text.values));
  }
}

/** Downloads `options.url` into `options.dir`; see the module documentation. */
export async function fetchFile(options: FetchOptions): Promise<FetchResult> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new CliError({ key: 'fetch.notUrl', values: { url: JSON.stringify(options.url) } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError({ key: 'fetch.notHttp', values: { url: options.url } });
  const maxBytes = options.maxBytes ?? 2 * 1024 ** 3;
  const retries = options.retries ?? 4;
  const backoff = options.backoffMs ?? 500;
  const idleMs = options.idleMs ?? 30_000;
  await mkdir(options.dir, { recursive: true });

  let name: string | undefined;
  let validator: string | null = null;
  let resumedFrom: number;
  let contentType: string | null;
  for (let attempt = 0; ; attempt++) {
    try {
      // The partial file of this URL, if an earlier attempt (or an earlier run) left one.
      const part = path.join(options.dir, `.${partKey(url)}.part`);
      const have = await stat(part).then(
        (s) => s.size,
        () => 0,
      );
      const headers: Record<string, string> = { 'user-agent': 'marco-fetch' };
      if (have > 0) {
        headers.range = `bytes=${have}-`;
        if (validator) headers['if-range'] = validator;
      }
      const controller = new AbortController();
      let timer = setTimeout(() => controller.abort(), idleMs);
      let response: Response;
      try {
        response = await fetch(url, { headers, signal: controller.signal, redirect: 'follow' });
      } catch (error) {
        clearTimeout(timer);
        throw new Retryable({ key: 'fetch.reason.connection', values: { cause: causeOf(error) } });
      }
      if (response.status === 429 || response.status >= 500)
        throw new Retryable({
          key: 'fetch.reason.status',
          values: { status: String(response.status), text: response.statusText },
        });
      if (response.status === 416 && have > 0) {
        // The partial file is already complete, or the server's file shrank: start again.
        await rm(part, { force: true });
        throw new Retryable({ key: 'fetch.reason.range', values: {} });
      }
      if (!response.ok)
        throw new FetchError({
          key: 'fetch.refused',
          values: { url: String(url), status: String(response.status), text: response.statusText },
        });
      contentType = response.headers.get('content-type');
      if (contentType && REFUSED_TYPES.test(contentType))
        throw new FetchError({ key: 'fetch.webPage', values: { url: String(url), type: contentType } });
      const append = response.status === 206 && have > 0;
      if (!append && have > 0) await rm(part, { force: true });
      resumedFrom = append ? have : 0;
      validator = response.headers.get('etag') ?? response.headers.get('last-modified');
      name ??= fileNameFor(url, response.headers.get('content-disposition'));
      const length = Number(response.headers.get('content-length') ?? NaN);
      const total = Number.isFinite(length) ? length + resumedFrom : null;
      if (total !== null && total > maxBytes)
        throw new FetchError({
          key: 'fetch.tooLarge',
          values: { url: String(url), bytes: total, limit: maxBytes },
        });
      let done = resumedFrom;
      options.onProgress?.(done, total);
      const body = response.body ? Readable.fromWeb(response.body as never) : Readable.from([]);
      body.on('data', (chunk: Buffer) => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(), idleMs);
        done += chunk.length;
        if (done > maxBytes)
          body.destroy(
            new FetchError({ key: 'fetch.passedLimit', values: { url: String(url), limit: maxBytes } }),
          );
        else options.onProgress?.(done, total);
      });
      try {
        await pipeline(body, createWriteStream(part, { flags: append ? 'a' : 'w' }));
      } catch (error) {
        if (error instanceof FetchError) {
          await rm(part, { force: true });
          throw error;
        }
        throw new Retryable({ key: 'fetch.reason.dropped', values: { bytes: done, cause: causeOf(error) } });
      } finally {
        clearTimeout(timer);
      }
      if (total !== null && done !== total)
        throw new Retryable({ key: 'fetch.reason.closed', values: { bytes: done, total } });

      const digest = await sha256Of(part);
      if (options.sha256 && digest !== options.sha256.toLowerCase()) {
        await rm(part, { force: true });
        throw new FetchError({
          key: 'fetch.checksum',
          values: { url: String(url), sha256: digest, expected: options.sha256 },
        });
      }
      const file = path.join(options.dir, name);
      await rename(part, file);
      const result: FetchResult = {
        url: url.toString(),
        file,
        bytes: done,
        sha256: digest,
        contentType,
        attempts: attempt + 1,
        resumedFrom,
        fetchedAt: new Date().toISOString(),
      };
      await recordDownload(options.dir, result);
      return result;
    } catch (error) {
      if (!(error instanceof Retryable)) throw error;
      if (attempt >= retries)
        // The last attempt's reason is itself a catalog text, quoted in the reader's language.
        throw new FetchError({
          key: 'fetch.gaveUp',
          values: { url: String(url), attempts: attempt + 1, reason: error.text },
        });
      const delay = backoff * 2 ** attempt;
      options.onRetry?.(attempt + 1, error.text, delay);
      await sleep(delay);
    }
  }
}

function causeOf(error: unknown): string {
  const e = error as { cause?: { code?: string; message?: string }; message?: string };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}

/** A short, stable name for a URL's partial download. */
function partKey(url: URL): string {
  return createHash('sha256').update(url.toString()).digest('hex').slice(0, 16);
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Appends a download to `manifest.json` in its directory: what came from where, with its checksum. */
async function recordDownload(dir: string, result: FetchResult): Promise<void> {
  const manifest = path.join(dir, 'manifest.json');
  const list = await readFile(manifest, 'utf8').then(
    (text) => JSON.parse(text) as FetchResult[],
    () => [] as FetchResult[],
  );
  list.push(result);
  await writeFile(`${manifest}.tmp`, `${JSON.stringify(list, null, 2)}\n`);
  await rename(`${manifest}.tmp`, manifest);
}

const FetchConfig = z.record(
  z.string(),
  z.object({
    url: z.string().url().nullable(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, { message: 'validation.schema.sha256' })
      .optional(),
    note: z.string().optional(),
  }),
);

/**
 * The default download address of a source: from `fetch.json` in the data directory when it has one,
 * else from the file shipped with Marco (`config/fetch-sources.json`), which lists an address only where
 * it is certain of it.
 */
export async function defaultUrl(
  dataDir: string,
  sourceId: string,
): Promise<{ url: string | null; sha256?: string; note?: string; from: string }> {
  for (const file of [
    path.join(dataDir, 'fetch.json'),
    path.join(PACKAGE_ROOT, 'config', 'fetch-sources.json'),
  ]) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new CliError({ key: 'files.notJson', values: { file, reason: (error as Error).message } });
    }
    const parsed = FetchConfig.safeParse(json);
    if (!parsed.success) throw new CliError({ key: 'fetch.badConfig', values: { file } });
    const entry = parsed.data[sourceId];
    if (entry)
      return {
        url: entry.url,
        ...(entry.sha256 ? { sha256: entry.sha256 } : {}),
        ...(entry.note ? { note: entry.note } : {}),
        from: file,
      };
  }
  return { url: null, from: 'none' };
}
