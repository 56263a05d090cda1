/**
 * Zip decompression as a stream (fflate's `Unzip`): the archive is read in 64 kB chunks and each data
 * entry is inflated straight to its own file, waiting for the disk when it falls behind, so memory holds
 * a few chunks, never the archive or an entry (SESNSP's 133 MB victims CSV, zipped: 39 MB over Node alone
 * at the peak, against 134 MB when the whole entry was one buffer; see docs/data-sources.md). Entries written with a data descriptor
 * (sizes after the data, as `zip -` and many web servers write them) are read too. Each entry's length is
 * checked against the size its header declares, when it declares one.
 * @module
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';

/** One entry of the archive: its name, and where it was written when `wanted` chose it. */
export interface UnzippedEntry {
  name: string;
  path?: string;
}

/**
 * Streams the entries of `file` that `wanted` chooses into `dir` (each under its base name) and lists
 * every entry; throws on a damaged archive or an entry shorter or longer than it says.
 */
export async function unzipToDir(
  file: string,
  dir: string,
  wanted: (name: string) => boolean,
): Promise<UnzippedEntry[]> {
  const entries: UnzippedEntry[] = [];
  const open = new Set<WriteStream>();
  const finished: Promise<void>[] = [];
  let failure: Error | undefined;
  const unzip = new Unzip((entry) => {
    const listed: UnzippedEntry = { name: entry.name };
    entries.push(listed);
    if (entry.name.endsWith('/') || !wanted(entry.name)) return;
    listed.path = path.join(dir, path.basename(entry.name) || 'data.csv');
    const out = createWriteStream(listed.path);
    open.add(out);
    finished.push(
      once(out, 'close').then(() => {
        open.delete(out);
      }),
    );
    let bytes = 0;
    entry.ondata = (error, chunk, final) => {
      if (error) {
        failure ??= error;
        out.destroy();
        return;
      }
      bytes += chunk.length;
      out.write(chunk);
      if (!final) return;
      if (entry.originalSize !== undefined && bytes !== entry.originalSize)
        failure ??= new Error(
          `${entry.name}: ${bytes} bytes, not the ${entry.originalSize} its header declares`,
        );
      out.end();
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
      unzip.push(chunk as Uint8Array);
      if (failure) break;
      // The disk is slower than inflating: wait until each file has written what it holds.
      for (const out of open) if (out.writableNeedDrain) await once(out, 'drain');
    }
    // A truncated or damaged archive throws here ("invalid zip data").
    if (!failure) unzip.push(new Uint8Array(0), true);
  } catch (error) {
    failure ??= error as Error;
  }
  // An entry cut short never gets its last chunk: its file is closed here, not left open.
  if (failure) for (const out of open) out.destroy();
  await Promise.all(finished);
  if (failure) throw failure;
  return entries;
}
