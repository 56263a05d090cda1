/**
 * The catalogue of publisher files `marco fetch` downloads by default (`config/catalogue.json`, built
 * from the shared data's `catalogue.json` by `scripts/build-fetch-catalogue.ts`): each file's address
 * pinned to a commit, its sha256 and size, and the Marco source that imports it. `--catalogue FILE`
 * reads another with the same layout (an organisation's own list), and `--mirror URL` serves every file
 * from a mirror that keeps the catalogue's paths (`URL/inegi/…`), as the tests' loopback server does.
 * @module
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { ValidationError, textIssue } from '../error.js';
import { PACKAGE_ROOT } from '../package.js';

export const CatalogueEntry = z
  .object({
    /** The file's path in the catalogue (and on a mirror): `inegi/mexico-state-…csv`. */
    file: z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, { message: 'validation.schema.relativePath' }),
    /** The source that imports it, or null for a file no source imports (a licence text, say). */
    source: z.string().nullable(),
    /** Its layout, for a source of several whose files are imported in an order (groups, then ties). */
    layout: z.string().optional(),
    url: z.url({ protocol: /^https?$/ }),
    repository: z.string().optional(),
    commit: z.string().optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'validation.schema.sha256' }),
    bytes: z.number().int().positive(),
  })
  .strict();
export type CatalogueEntry = z.infer<typeof CatalogueEntry>;

export const Catalogue = z
  .object({ marco: z.literal('catalogue/1'), files: z.array(CatalogueEntry) })
  .strict();

/** Marco's own catalogue. */
export const DEFAULT_CATALOGUE = path.join(PACKAGE_ROOT, 'config', 'catalogue.json');

/** Reads and checks a catalogue; a bad one is refused with the file and the JSON path of each problem. */
export async function readCatalogue(file = DEFAULT_CATALOGUE): Promise<CatalogueEntry[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ValidationError([
      textIssue(file, 'validation.schema.notJsonFile', { reason: (error as Error).message }),
    ]);
  }
  const parsed = safeParseInput(Catalogue, json);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), file);
  return parsed.data.files;
}

/** The address of an entry: its pinned URL, or its path below `mirror`. */
export function entryUrl(entry: CatalogueEntry, mirror?: string): string {
  if (!mirror) return entry.url;
  const base = mirror.endsWith('/') ? mirror : `${mirror}/`;
  return new URL(entry.file.split('/').map(encodeURIComponent).join('/'), base).toString();
}

/** A companion file (a shapefile's `.dbf`, `.shx`…) travels with its `.shp` and is not imported itself. */
export const isCompanion = (url: string) => /\.(dbf|shx|prj|cpg)$/i.test(new URL(url).pathname);
