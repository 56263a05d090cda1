/**
 * Which source a file belongs to, recognised by its content: a layout's header line (after
 * decompression), or a boundaries file by its first bytes. `marco import-dir` and the import itself use
 * the same test.
 * @module
 */
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { isShapefile, looksLikeGeoJson } from './boundary-files.js';
import { bunzip2Head } from './decompress/bzip2.js';
import { decompressToTemp, firstLine, headerLine, sniff } from './file-reading.js';
import { DataError } from './import-report.js';
import { normaliseHeader, type Source, type SourceLayout } from './source.js';

/**
 * Which layout of `source` a header line belongs to, if any. A layout with further columns (`rest`) comes
 * back with the file's own header.
 */
export function matchLayout(source: Source, header: string): SourceLayout | undefined {
  for (const layout of source.layouts) {
    const columns = header.split(layout.delimiter).map((c) => normaliseHeader(c.replace(/^"|"$/g, '')));
    const fixed = layout.header.every((c, i) => c === columns[i]);
    if (!fixed) continue;
    if (!layout.rest && columns.length === layout.header.length) return layout;
    const rest = columns.slice(layout.header.length);
    if (layout.rest && rest.length > 0 && rest.every((c) => layout.rest!.test(c)))
      return { ...layout, header: columns };
  }
  return undefined;
}

/** The file's layout by its header line, or a refusal that shows the header against each layout. */
export function layoutOf(source: Source, file: string, header: string): SourceLayout {
  const layout = matchLayout(source, header);
  if (layout) return layout;
  // Each layout on its own line under the first: the reader's language has no word to translate here.
  throw new DataError({
    key: 'imports.headerMismatch',
    values: {
      file,
      source: source.id,
      found: header.slice(0, 300),
      expected: source.layouts
        .map((l) => l.header.join(l.delimiter) + (l.rest ? `${l.delimiter}…` : ''))
        .join('\n            '),
    },
  });
}

/**
 * Which source and layout a file belongs to, recognised by its header line (after decompression), or
 * undefined when no source's layout matches.
 */
export async function recogniseFile(
  file: string,
  sources: readonly Source[],
): Promise<{ source: Source; layout: SourceLayout } | undefined> {
  // Map boundaries: a shapefile by its first bytes, TopoJSON or GeoJSON by its `type`.
  const boundaries = sources.find((s) => s.kind === 'boundaries');
  if (boundaries) {
    const handle = await open(file, 'r');
    let head: Buffer;
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    const kind = isShapefile(head)
      ? 'shapefile'
      : looksLikeGeoJson(head.toString('utf8'))
        ? 'json'
        : undefined;
    if (kind) return { source: boundaries, layout: { name: kind, delimiter: '', header: [] } };
  }
  const compression = await sniff(file);
  let readable = file;
  // A bzip2 file's header is in its first block: only that block is decompressed.
  const head = compression === 'bzip2' ? bunzip2Head(await readFile(file)) : undefined;
  if (compression === 'bzip2' && !head) return undefined;
  if (compression === 'zip') {
    try {
      readable = (await decompressToTemp(file, compression)).path;
    } catch {
      return undefined;
    }
  }
  try {
    const header = head
      ? headerLine(head)
      : await firstLine(readable, readable === file ? compression : 'none');
    for (const source of sources) {
      const layout = matchLayout(source, header);
      if (layout) return { source, layout };
    }
    return undefined;
  } finally {
    if (readable !== file) await rm(path.dirname(readable), { recursive: true, force: true });
  }
}
