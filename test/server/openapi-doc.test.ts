import { PACKAGE_ROOT } from '../../src/package.js';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/server/app.js';

const FILE = `${PACKAGE_ROOT}docs/openapi.json`;

describe('docs/openapi.json', () => {
  it('is the document the server generates (run `npm run docs:openapi` after changing the API)', async () => {
    const generated = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
    const committed = await readFile(FILE, 'utf8').catch(() => undefined);
    if (committed === undefined && process.env.CI !== 'true') {
      await writeFile(FILE, generated);
      return;
    }
    expect(committed).toBe(generated);
  });
});
