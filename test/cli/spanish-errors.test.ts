/**
 * Under `--lang es`, every kind of CLI error comes out in Spanish: Commander's usage errors, flag and
 * configuration errors, errors from the importers (a refused file, its rejected rows' reasons, a boundary
 * file that is not one), the records stores' conflicts and the not-found hints. Each case runs the real
 * command and checks that stderr holds the Spanish catalog text, with the values the command was given,
 * and not the English one; the exit code says the command failed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { EXIT, textIssue, ValidationError } from '../../src/error.js';
import { translator } from '../../src/i18n/index.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';
import { marco } from './flags.js';

const es = translator('es');
const en = translator('en');

/** Asserts that `stderr` says `key` with `values` in Spanish, and not in English. */
function saysInSpanish(stderr: string, key: string, values: Record<string, string | number> = {}) {
  const spanish = es(key, values);
  const english = en(key, values);
  expect(spanish, `${key} has the same text in both catalogs`).not.toBe(english);
  expect(stderr, `expected the Spanish text of ${key}`).toContain(spanish);
  expect(stderr).not.toContain(english);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'marco-es-errors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('Commander usage errors under --lang es', () => {
  it('an unknown command, with the suggestion', async () => {
    const r = await marco(dir, '--lang', 'es', 'impor');
    expect(r.code).toBe(EXIT.invalid);
    saysInSpanish(r.stderr, 'cli.usage.unknownCommand', { name: 'impor' });
    expect(r.stderr).toContain(es('cli.usage.didYouMean', { candidates: 'import' }));
    expect(r.stderr).toContain(`${es('cli.help.usage')} marco ${es('cli.help.optionsArg')}`);
    expect(r.stderr).not.toMatch(/Did you mean|\[options\]/);
  });

  it('an unknown option, a missing argument, too many arguments and an option without its value', async () => {
    const unknown = await marco(dir, '--lang', 'es', 'sources', '--jsn');
    expect(unknown.code).toBe(EXIT.invalid);
    saysInSpanish(unknown.stderr, 'cli.usage.unknownOption', { flag: '--jsn' });
    expect(unknown.stderr).toContain(es('cli.usage.didYouMean', { candidates: '--json' }));

    const missing = await marco(dir, '--lang', 'es', 'load');
    expect(missing.code).toBe(EXIT.invalid);
    saysInSpanish(missing.stderr, 'cli.usage.missingArgument', { name: 'file' });

    const excess = await marco(dir, '--lang', 'es', 'load', 'a.json', 'b.json');
    expect(excess.code).toBe(EXIT.invalid);
    saysInSpanish(excess.stderr, 'cli.usage.excessArguments', { command: 'load', expected: 1, got: 2 });

    const choice = await marco(dir, '--lang', 'es', 'anomalies', '--measure', 'homicides', '--level', 'city');
    expect(choice.code).toBe(EXIT.invalid);
    saysInSpanish(choice.stderr, 'cli.usage.invalidChoice', {
      flags: '--level <level>',
      value: 'city',
      choices: 'state, municipality',
    });
    expect(choice.stderr).not.toMatch(/Allowed choices|\(choices:|default:/);

    const value = await marco(dir, '--lang', 'es', 'fetch', '--sha256');
    expect(value.code).toBe(EXIT.invalid);
    saysInSpanish(value.stderr, 'cli.usage.optionMissingArgument', { flags: '--sha256 <hex>' });
  });
});

describe('flag and configuration errors under --lang es', () => {
  const cases: [string, string[], string, Record<string, string | number>][] = [
    ['an empty --data-dir', ['--data-dir', '', 'sources'], 'config.dataDir', {}],
    ['a bad --as', ['--as', 'a b', 'sources'], 'config.actor', { given: '"a b"' }],
    [
      'a parameter a source does not take',
      ['import', 'inegi-boundaries', 'x.zip', '--param', 'nope=1'],
      'imports.param.unknown',
      { source: 'inegi-boundaries', name: '"nope"', known: 'keep' },
    ],
    [
      'a parameter out of range',
      ['import', 'inegi-boundaries', 'x.zip', '--param', 'keep=2'],
      'imports.param.share',
      { param: 'keep', value: '2' },
    ],
    [
      'a parameter of a source that takes none',
      ['import', 'inegi-homicides-state', 'x.csv', '--param', 'keep=2'],
      'imports.param.none',
      { source: 'inegi-homicides-state', name: '"keep"' },
    ],
    [
      'a --max-rejects above 1',
      ['import', 'inegi-homicides-state', 'x.csv', '--max-rejects', '2'],
      'cli.errors.share',
      { flag: '--max-rejects', given: '"2"' },
    ],
    [
      'a --green above 10',
      ['scorecard', '--green', '20'],
      'cli.errors.threshold',
      { flag: '--green', given: '"20"' },
    ],
    [
      'amber above green',
      ['scorecard', '--green', '0.5', '--amber', '0.8'],
      'cli.errors.amberAboveGreen',
      { amber: 0.8, green: 0.5 },
    ],
    [
      'a --retries above its maximum',
      ['fetch', 'inegi-homicides-state', '--retries', '99'],
      'cli.errors.count',
      { flag: '--retries', given: '"99"', max: 20 },
    ],
    [
      'a short --sha256',
      ['fetch', 'inegi-homicides-state', '--sha256', 'ab'],
      'cli.errors.sha256',
      { given: '"ab"' },
    ],
    [
      'a --url that is not http',
      ['fetch', 'inegi-homicides-state', '--url', 'ftp://example.org/x.csv'],
      'fetch.notHttp',
      { url: 'ftp://example.org/x.csv' },
    ],
    [
      'an evaluation id that is not one',
      ['evaluations', 'show', 'abc'],
      'cli.errors.evaluationId',
      { given: '"abc"' },
    ],
    [
      'a --server that is not an address',
      ['token', 'list', '--server', 'not a url', '--token', 't'],
      'cli.errors.server',
      { given: '"not a url"' },
    ],
    [
      'a directory that is not there',
      ['import-dir', '/nonexistent/marco-es'],
      'files.notADirectory',
      { dir: '/nonexistent/marco-es' },
    ],
  ];
  for (const [what, args, key, values] of cases) {
    it(what, async () => {
      const r = await marco(dir, '--lang', 'es', ...args);
      expect(r.code, r.stderr).toBe(EXIT.invalid);
      saysInSpanish(r.stderr, key, values);
    });
  }

  it('a DATABASE_URL that is not a PostgreSQL address', async () => {
    let stderr = '';
    const code = await main(['node', 'marco', '--lang', 'es', '--data-dir', dir, 'sources'], {
      stdout: () => undefined,
      stderr: (t) => void (stderr += t),
      env: { DATABASE_URL: 'mysql://root@db/x', MARCO_USER: 'tester' } as NodeJS.ProcessEnv,
    });
    expect(code).toBe(EXIT.invalid);
    saysInSpanish(stderr, 'config.databaseUrl', { url: 'mysql://root@db/x' });
  });

  it('a server that cannot be reached', async () => {
    const r = await marco(
      dir,
      '--lang',
      'es',
      'token',
      'list',
      '--server',
      'http://127.0.0.1:9',
      '--token',
      't',
    );
    expect(r.code).toBe(EXIT.failure);
    expect(r.stderr).toContain('http://127.0.0.1:9: no se puede contactar con el servidor (');
    expect(r.stderr).not.toContain('cannot reach the server');
  });

  it('a vintage that does not exist, with the hint', async () => {
    const r = await marco(dir, '--lang', 'es', 'vintages', 'rollback', '999');
    expect(r.code).toBe(EXIT.notFound);
    saysInSpanish(r.stderr, 'notFound.message', {
      entity: 'vintage',
      key: '"999"',
      hint: es('notFound.hint.vintages'),
    });
  });
});

describe('importer errors under --lang es', () => {
  it('a file with too many rejected rows lists each row with its reason in Spanish', async (context) => {
    const state = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
    if (!state) return context.skip();
    const [header, ...rows] = await sharedLines(state);
    // Ten real rows: two with a month of 13, one with a negative count.
    const bad = rows.slice(0, 10).map((line, i) => {
      const cells = line.split('|');
      if (i < 2) cells[2] = '13';
      if (i === 2) cells[3] = '-4';
      return cells.join('|');
    });
    const file = path.join(dir, 'bad-state.csv');
    await writeFile(file, `${[header, ...bad].join('\n')}\n`);
    const r = await marco(dir, '--lang', 'es', 'import', 'inegi-homicides-state', file);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toContain(`${file}: 3 de 10 filas rechazadas`);
    expect(r.stderr).toContain(`${file}:2 month="13": ${es('imports.reject.monthRange')}`);
    expect(r.stderr).toContain(`${file}:3 month="13": ${es('imports.reject.monthRange')}`);
    expect(r.stderr).toContain(`${file}:4 homicides="-4": ${es('imports.reject.negativeCount')}`);
    expect(r.stderr).not.toMatch(/month must be|negative count|rows rejected|nothing was imported/);

    // The same rows under a limit that allows them: the report's reject lines are in Spanish too.
    const allowed = await marco(
      dir,
      '--lang',
      'es',
      'import',
      'inegi-homicides-state',
      file,
      '--max-rejects',
      '0.5',
    );
    expect(allowed.code, allowed.stderr).toBe(EXIT.ok);
    expect(allowed.stdout).toContain(es('imports.reject.monthRange'));
    expect(allowed.stdout).not.toContain('month must be');
  });

  it('a zip file that holds two CSV files', async () => {
    const file = path.join(dir, 'two.zip');
    await writeFile(file, zipSync({ 'a.csv': strToU8('x\n1\n'), 'b.csv': strToU8('x\n2\n') }));
    const r = await marco(dir, '--lang', 'es', 'import', 'inegi-homicides-state', file);
    expect(r.code).toBe(EXIT.invalid);
    saysInSpanish(r.stderr, 'imports.zipEntries', { file, count: 2, found: 'a.csv, b.csv' });
    // In English, the words the data-sources guide quotes.
    const en = await marco(dir, 'import', 'inegi-homicides-state', file);
    expect(en.stderr).toContain(
      `${file}: the zip file cannot be decompressed (expected exactly one .csv file inside, found 2 (a.csv, b.csv)); it may be truncated or damaged`,
    );
  });

  it('a boundaries file that is JSON but not a boundary collection', async () => {
    const file = path.join(dir, 'not-boundaries.json');
    await writeFile(file, '{"type": "Feature"}');
    const r = await marco(dir, '--lang', 'es', 'import', 'inegi-boundaries', file);
    expect(r.code).toBe(EXIT.invalid);
    saysInSpanish(r.stderr, 'imports.boundaries.notCollection', { file });
  });

  it('a boundaries file whose every feature is refused names each reason in Spanish', async () => {
    const file = path.join(dir, 'bad-boundaries.json');
    const square = [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ];
    await writeFile(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'sin clave' },
            geometry: { type: 'Polygon', coordinates: square },
          },
          { type: 'Feature', properties: { CVEGEO: '09' }, geometry: { type: 'Point', coordinates: [0, 0] } },
        ],
      }),
    );
    const r = await marco(dir, '--lang', 'es', 'import', 'inegi-boundaries', file);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toContain(`${file}: 2 de 2 elementos rechazados`);
    expect(r.stderr).toContain(`elemento 1 (attributes)=null: ${es('imports.reject.noCodeAttribute')}`);
    expect(r.stderr).toContain(`elemento 2 (geometry)="Point": ${es('imports.reject.notPolygon')}`);
    expect(r.stderr).not.toMatch(/feature \d|not a polygon|no INEGI code/);
  });
});

describe('validation errors under --lang es', () => {
  it("zod's own bounds and the input's name come from the catalog", async () => {
    const r = await marco(
      dir,
      '--lang',
      'es',
      'anomalies',
      '--measure',
      'homicides',
      '--level',
      'state',
      '--window',
      '2',
    );
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toContain(es('validation.query', { count: 1 }));
    expect(r.stderr).toContain(`--window: ${es('validation.schema.min.number', { limit: 3 })}`);
    expect(r.stderr).not.toMatch(/Too small|\bproblems?\b/);
    // The input a problem is in (an API body, a query) is named in the reader's language too.
    const body = new ValidationError(
      [textIssue('version', 'validation.schema.min.number', { limit: 1 })],
      'request body',
    );
    expect(body.messageIn('es')).toBe(
      `${es('validation.source.body')}: ${es('validation.write', { count: 1 })}\n  version: ${es('validation.schema.min.number', { limit: 1 })}`,
    );
    expect(body.message).toMatch(/^request body: 1 problem; nothing was written/);
  });
});

describe('records errors under --lang es', () => {
  it('a load based on a stale version is a conflict told in Spanish', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'marco-es-conflict-'));
    try {
      expect((await marco(work, 'init', '--example')).code).toBe(EXIT.ok);
      const file = path.join(work, 'export.yaml');
      await writeFile(file, (await marco(work, 'export')).stdout);
      const doc = parse(await readFile(file, 'utf8')) as {
        programs: { code: string; title: { en: string } }[];
      };
      const edit = async (title: string) => {
        const copy = structuredClone(doc);
        copy.programs.find((p) => p.code === 'EX-CORRECTIONS')!.title.en = title;
        const out = path.join(work, `${title}.json`);
        await writeFile(out, JSON.stringify(copy));
        return out;
      };
      expect((await marco(work, 'load', await edit('First edit'))).code).toBe(EXIT.ok);
      const second = await marco(work, '--lang', 'es', 'load', await edit('Second edit'));
      expect(second.code).toBe(EXIT.conflict);
      expect(second.stderr).toContain(
        'otra persona cambió el programa EX-CORRECTIONS (usted editó la versión',
      );
      expect(second.stderr).not.toContain('was changed by someone else');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
