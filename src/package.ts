/**
 * Where Marco's package lives and which version it is: read once, for the CLI, the server, the importers
 * (each vintage records the version that imported it) and the built-in files.
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root (with a trailing slash), from both `src/` and `dist/`. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The version in `package.json`. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
