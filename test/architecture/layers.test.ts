/**
 * The layer rules of `.dependency-cruiser.cjs` bite: a tree with an upward import, an import between
 * the two stores and a cycle is refused, naming each rule. (`npm test` runs the same rules over `src/`
 * as `npm run lint:layers`, before the tests.)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/package.js';

const run = promisify(execFile);
const DEPCRUISE = path.join(PACKAGE_ROOT, 'node_modules/.bin/depcruise');

describe('layer rules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-layers-'));
    await copyFile(
      path.join(PACKAGE_ROOT, '.dependency-cruiser.cjs'),
      path.join(dir, '.dependency-cruiser.cjs'),
    );
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
    );
    const files: Record<string, string> = {
      'src/error.ts': 'export class MarcoError extends Error {}\n',
      'src/domain/period.ts': "import { MarcoError } from '../error.js';\nexport const p = MarcoError;\n",
      // Allowed: a store importing the domain.
      'src/records/ok.ts': "import { p } from '../domain/period.js';\nexport const ok = p;\n",
      // Refused: the records store importing the statistics store, and the domain importing a service.
      'src/records/scorecard.ts': "import { series } from '../stats/series.js';\nexport const s = series;\n",
      'src/stats/series.ts': 'export const series = 1;\n',
      'src/domain/rate.ts': "import { card } from '../indicators/card.js';\nexport const r = card;\n",
      'src/indicators/card.ts': 'export const card = 1;\n',
      // Refused: pages importing the server, and a cycle.
      'src/web/page.ts': "import { app } from '../server/app.js';\nexport const page = app;\n",
      'src/server/app.ts': 'export const app = 1;\n',
      'src/stats/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/stats/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuse upward imports, imports between the stores and cycles, and allow downward ones', async () => {
    const failure = await run(DEPCRUISE, ['src', '--config', '.dependency-cruiser.cjs'], { cwd: dir }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBeGreaterThan(0);
    const out = failure!.stdout;
    expect(out).toContain('records-imports-up: src/records/scorecard.ts → src/stats/series.ts');
    expect(out).toContain('core-imports-up: src/domain/rate.ts → src/indicators/card.ts');
    expect(out).toContain('web-imports-server-or-cli: src/web/page.ts → src/server/app.ts');
    expect(out).toMatch(/no-circular: src\/stats\/(a|b)\.ts/);
    expect(out).not.toContain('src/records/ok.ts');
  });

  it('hold for Marco’s own source tree', async () => {
    const { stdout } = await run(DEPCRUISE, ['src', '--config', '.dependency-cruiser.cjs'], {
      cwd: PACKAGE_ROOT,
    });
    expect(stdout).toContain('no dependency violations found');
  });
});

describe('the documentation', () => {
  it('names only source files that exist', async () => {
    const files = [
      path.join(PACKAGE_ROOT, 'README.md'),
      ...(await readdir(path.join(PACKAGE_ROOT, 'docs')))
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join(PACKAGE_ROOT, 'docs', f)),
    ];
    const missing: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/\b(?:src|test|bench)\/[\w./-]+\.(?:ts|json)\b/g))
        if (!existsSync(path.join(PACKAGE_ROOT, m[0]))) missing.push(`${path.basename(file)}: ${m[0]}`);
    }
    expect(files.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});
