/**
 * The registry of statistics sources as users read it (`marco sources --json` on an empty store): every
 * source's id, titles, publisher, licence, attribution, landing page, measures, kind, layouts and
 * parameters, compared with the golden file `test/golden/output/sources.json` that the golden test
 * writes from the CLI. Fast, so mutation testing runs it for every change to a source's definition.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/package.js';
import { sourceCatalogue } from '../../src/stats/catalogue.js';
import { resolveParams } from '../../src/stats/importer.js';
import { SOURCES, sourceById } from '../../src/stats/sources/index.js';
import { openStats } from '../../src/stats/stats-store.js';

describe('the statistics sources', () => {
  it('are what marco sources lists, field by field', async () => {
    const stats = await openStats({ memory: true });
    try {
      const golden = JSON.parse(await readFile(`${PACKAGE_ROOT}test/golden/output/sources.json`, 'utf8'));
      expect(JSON.parse(JSON.stringify(await sourceCatalogue(stats)))).toEqual(golden);
    } finally {
      stats.close();
    }
  });

  it('are found by id, and only by id', () => {
    expect(SOURCES.length).toBeGreaterThan(10);
    for (const source of SOURCES) expect(sourceById(source.id)).toBe(source);
    expect(new Set(SOURCES.map((s) => s.id)).size).toBe(SOURCES.length);
    expect(sourceById('nothing')).toBeUndefined();
  });

  it('name their typed dimension columns with lower-case identifiers, each once, on observations sources only', () => {
    const typed = SOURCES.filter((s) => s.dimensions);
    expect(typed.map((s) => s.id)).toContain('sesnsp-victims');
    for (const source of typed) {
      expect(source.kind).toBe('observations');
      // Constants may still hold what every row shares, but never a dimension.
      for (const column of Object.keys(source.constant ?? {}))
        expect(['measure', 'geo_level', 'granularity']).toContain(column);
      for (const name of source.dimensions!) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(new Set(source.dimensions).size).toBe(source.dimensions!.length);
    }
  });

  it('take parameters by name, each checked against its pattern, with the default when not given', () => {
    const boundaries = sourceById('inegi-boundaries')!;
    expect(resolveParams(boundaries, {})).toEqual({ keep: '0.15' });
    for (const keep of ['0.15', '.5', '0.05', '0.100', '1', '1.', '1.0', '1.000', '0.000001'])
      expect(resolveParams(boundaries, { keep }), keep).toEqual({ keep });
    for (const keep of ['0', '0.0', '.', '00.5', '1.5', '1.01', '2', 'x0.5', '0.5x', '-0.5', ' 0.5', ''])
      expect(() => resolveParams(boundaries, { keep }), keep).toThrow(
        `--param keep=${keep}: expected a share above 0 and at most 1, such as 0.15`,
      );
    expect(() => resolveParams(boundaries, { simplify: '0.5' })).toThrow(
      'inegi-boundaries has no parameter "simplify"; it takes keep',
    );
    expect(() => resolveParams(sourceById('inegi-homicides-state')!, { keep: '0.5' })).toThrow(
      'inegi-homicides-state has no parameter "keep"; it takes none',
    );
  });
});
