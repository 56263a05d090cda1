/**
 * Reading publisher files as they come: plain, gzip, bzip2 or zip, UTF-8 or Latin-1, with or without a
 * BOM. DuckDB reads plain and gzip files itself; these helpers recognise the compression, read the header
 * line, check a gzip stream to its end, decompress the rest to a temporary file, and hash the bytes.
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { bunzip2ToFile } from './decompress/bzip2.js';
import { unzipToDir } from './decompress/unzip.js';
import { DataError } from './import-report.js';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'zip';

/** The compression of a file, from its first bytes (never from its name). */
export async function sniff(file: string): Promise<Compression> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    const b = buffer.subarray(0, bytesRead);
    if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (b.toString('latin1', 0, 3) === 'BZh') return 'bzip2';
    if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
    return 'none';
  } finally {
    await handle.close();
  }
}

/** The file's SHA-256; a shapefile's `.dbf` attributes are hashed with its `.shp`, as one vintage. */
export async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  if (/\.shp$/i.test(file)) {
    const dbf = file.replace(/\.shp$/i, '.dbf');
    const other = file.replace(/\.shp$/i, '.DBF');
    for (const candidate of [dbf, other])
      if (
        await stat(candidate).then(
          (s) => s.isFile(),
          () => false,
        )
      ) {
        for await (const chunk of createReadStream(candidate)) hash.update(chunk as Buffer);
        break;
      }
  }
  return hash.digest('hex');
}

/**
 * Decompresses a gzip file to nowhere: DuckDB reads a truncated gzip stream up to the damage without
 * complaint, so the whole stream is checked before an import may commit. Returns the damage, or null.
 */
export async function verifyGzip(file: string): Promise<string | null> {
  try {
    const gunzip = createReadStream(file).pipe(createGunzip());
    for await (const _chunk of gunzip) {
      // Each chunk is discarded: only the end of the stream (or an error) matters.
    }
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The first line of a plain or gzip file, without its BOM. */
export async function firstLine(file: string, compression: Compression): Promise<string> {
  const raw = createReadStream(file, { highWaterMark: 64 * 1024 });
  const stream = compression === 'gzip' ? raw.pipe(createGunzip()) : raw;
  let bytes = Buffer.alloc(0);
  try {
    for await (const chunk of stream) {
      bytes = Buffer.concat([bytes, chunk as Buffer]);
      const end = bytes.indexOf(0x0a);
      if (end >= 0) {
        bytes = bytes.subarray(0, end);
        break;
      }
      if (bytes.length > 1_000_000) break;
    }
  } catch {
    // A damaged stream: the header is whatever was read; DuckDB reports the damage later.
  } finally {
    raw.destroy();
  }
  return headerLine(bytes);
}

/**
 * The first line of some bytes, without its BOM or a trailing CR: UTF-8 when it is valid, else Latin-1
 * (older publisher files).
 */
export function headerLine(data: Uint8Array): string {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const end = buffer.indexOf(0x0a);
  const bytes = end >= 0 ? buffer.subarray(0, end) : buffer.subarray(0, 1_000_000);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  return text.replace(/^\uFEFF/, '').replace(/\r$/, '');
}

/**
 * Decompresses a bzip2 file, or the single CSV inside a zip file, into a new temporary directory; the
 * caller removes that directory. `peakMb`: the peak memory of the process that decompressed a large
 * bzip2 file on several cores (see `decompress/bzip2.ts`), null when it was this one.
 */
export async function decompressToTemp(
  file: string,
  compression: 'bzip2' | 'zip',
): Promise<{ path: string; peakMb: number | null }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-import-'));
  const named = (entry: string) => path.join(dir, path.basename(entry) || 'data.csv');
  try {
    if (compression === 'bzip2') {
      // Every stream of the file (parallel compressors write several), on every core.
      const out = named(path.basename(file).replace(/\.bz2$/i, ''));
      const peakMb = await bunzip2ToFile(file, out);
      return { path: out, peakMb };
    }
    // Every CSV, text or TSV entry is streamed to a file; an archive must hold exactly one.
    const isData = (n: string) => /\.(csv|txt|tsv)$/i.test(n) && !n.startsWith('__MACOSX');
    const entries = (await unzipToDir(file, dir, isData)).filter(
      (e) => !e.name.endsWith('/') && !e.name.startsWith('__MACOSX'),
    );
    const data = entries.filter((e) => e.path !== undefined);
    if (data.length !== 1)
      throw new DataError({
        key: 'imports.zipEntries',
        values: { file, count: data.length, found: entries.map((e) => e.name).join(', ') || '—' },
      });
    const out = data[0]!.path!;
    return { path: out, peakMb: null };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (error instanceof DataError) throw error;
    throw new DataError({
      key: 'imports.cannotDecompress',
      values: { file, compression, reason: (error as Error).message },
    });
  }
}
