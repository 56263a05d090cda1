/**
 * No server path in an answer: an error's message or details that name a file under the server's
 * temporary directory, working directory, package or home directory name it by its file name alone. The
 * routes already report uploads by the name the client gave; this is the net under every error answer.
 * @module
 */
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from './package.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Longest roots first, so a path under the package inside the home directory loses the whole prefix.
const ROOTS = [
  ...new Set([os.tmpdir(), process.cwd(), PACKAGE_ROOT, os.homedir()].map((r) => path.resolve(r))),
]
  .filter((r) => r !== path.parse(r).root)
  .sort((a, b) => b.length - a.length);
const PATHS = new RegExp(`(?:${ROOTS.map(escape).join('|')})(?:/[^\\s"'\`,;:)\\]}]*)?`, 'g');

/** `text` with every server path replaced by its last component (`…/marco-upload-x/f.csv` → `f.csv`). */
export function withoutServerPaths(text: string): string {
  return text.replace(PATHS, (found) => path.basename(found) || '.');
}

/** The same JSON value with every string scrubbed of server paths. */
export function detailsWithoutServerPaths(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
    typeof v === 'string' ? withoutServerPaths(v) : v,
  );
}
