/**
 * Regenerates the API's documents from the route table: `docs/openapi.json`, and the operations table
 * of `docs/api.md` (between its markers), formatted as Prettier formats the rest of the docs.
 * Run with `npm run docs:openapi`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import prettier from 'prettier';
import { openApiDocument } from '../src/server/openapi.js';
import { operationsTable, withOperationsTable } from '../src/server/openapi-markdown.js';

const doc = openApiDocument() as Parameters<typeof operationsTable>[0];
await writeFile('docs/openapi.json', `${JSON.stringify(doc, null, 2)}\n`);
const markdown = await readFile('docs/api.md', 'utf8');
const updated = withOperationsTable(markdown, operationsTable(doc));
const options = (await prettier.resolveConfig('docs/api.md')) ?? {};
await writeFile('docs/api.md', await prettier.format(updated, { ...options, filepath: 'docs/api.md' }));
console.log('docs/openapi.json and the operations table of docs/api.md are up to date');
