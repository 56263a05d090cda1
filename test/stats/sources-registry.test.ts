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
});
