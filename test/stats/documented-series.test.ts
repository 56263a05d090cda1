/**
 * The documented series ship as built-in documented figures: every row of the shipped table is imported
 * beside the documented figures, with its qualifier, confidence, address and note; figures of one
 * measure, place and period are grouped, and those that disagree (extraditions in 2008: 85 by the U.S.
 * Embassy, 95 by AP) are a conflict shown side by side, never averaged; multi-year totals are marked;
 * the claim checks keep only what Marco can compute; the figures page shows them in English and
 * Spanish; a row with an unknown qualifier is rejected with its line; and a rollback removes them.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { BUILTIN_FIGURES, BUILTIN_SERIES, checkClaims, ensureFigures } from '../../src/stats/claims.js';
import { documentedSeriesGroups } from '../../src/stats/documented-groups.js';
import { importFile } from '../../src/stats/importer.js';
import { rollbackVintage } from '../../src/stats/rollback.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The data rows of a shipped CSV, counted independently of the importer (quoted line breaks aside). */
async function dataRows(file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  let rows = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) rows++;
  }
  return rows - 1;
}

describe('documented series', () => {
  let stats: StatsStore;
  let records: RecordsStore;
  let dir: string;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    records = await openRecords({ memory: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-series-'));
  }, 60_000);
  afterAll(async () => {
    stats?.close();
    await records?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports both built-in tables once, every row with its qualifier and confidence', async () => {
    const reports = await ensureFigures(stats, 'test');
    expect(reports.map((r) => [r.source, r.rowsRejected])).toEqual([
      ['documented-figures', 0],
      ['documented-series', 0],
    ]);
    expect(reports[1]!.rowsLoaded).toBe(await dataRows(BUILTIN_SERIES));
    expect(reports[1]!.rowsLoaded).toBe(116);
    expect(await ensureFigures(stats, 'test')).toEqual([]);
    const [row] = await stats.all<{ qualifier: string; confidence: string; url: string; note: string }>(
      `select qualifier, confidence, url, note from figures where figure_id = 'merida-mx-request-fy2008-supplemental'`,
    );
    expect(row).toMatchObject({ qualifier: 'exact', confidence: 'primary' });
    expect(row!.url).toMatch(/^https:\/\/www\.everycrsreport\.com\//);
    expect(row!.note).toMatch(/^account=Total;/);
  });

  it('groups figures and keeps conflicts side by side, marking multi-year totals', async () => {
    const groups = await documentedSeriesGroups(stats);
    expect(groups.reduce((n, g) => n + g.figures.length, 0)).toBe(116);
    const extraditions2008 = groups.find(
      (g) => g.measure === 'extraditions_mx_to_us' && g.geo === 'MX' && g.period === '2008',
    )!;
    expect(extraditions2008.conflict).toBe(true);
    expect(extraditions2008.figures.map((f) => f.value).sort()).toEqual([85, 95]);
    expect(groups.filter((g) => g.conflict).length).toBeGreaterThanOrEqual(3);
    const ranges = groups.flatMap((g) => g.figures).filter((f) => f.period.includes('/'));
    expect(ranges.length).toBeGreaterThan(5);
    expect(ranges.every((f) => f.cumulative)).toBe(true);
  });

  it('keeps only what Marco can compute among the claims', async () => {
    const checks = await checkClaims(stats);
    expect(checks).toHaveLength(await dataRows(BUILTIN_FIGURES));
    expect(checks.some((c) => c.measure === 'extraditions_mx_to_us')).toBe(false);
  });

  it('shows them on the figures page in English and Spanish', async () => {
    const app = createApp({ store: records, stats, limits: false });
    const en = await (await app.request('/figures?lang=en')).text();
    expect(en).toContain('Documented series');
    expect(en).toMatch(/2 figures that disagree/);
    expect(en).toContain('secondary source');
    const es = await (await app.request('/figures?lang=es')).text();
    expect(es).toContain('Series documentadas');
    expect(es).toMatch(/2 cifras que no coinciden/);
    expect(es).toContain('nunca promediadas');
  });

  it('rejects a row with an unknown qualifier with its line, and a rollback removes the series', async () => {
    const file = path.join(dir, 'series.csv');
    const text = await readFile(BUILTIN_SERIES, 'utf8');
    const first = text.split('\n')[1]!;
    const bad = first
      .replace('merida-mx-request-fy2008-supplemental', 'test-row')
      .replace(',exact,primary,', ',roughly,primary,');
    await writeFile(file, `${text.trimEnd()}\n${bad}\n`);
    const report = await importFile(stats, sourceById('documented-series')!, file, { version: 'test' });
    expect(report.rowsRejected).toBe(1);
    expect(report.rejects[0]).toMatchObject({ line: 118, column: 'qualifier', value: 'roughly' });
    // Rolling the new import back puts the built-in rows back; rolling the built-in one back removes them.
    await rollbackVintage(stats, report.vintage!, 'tester');
    expect((await documentedSeriesGroups(stats)).reduce((n, g) => n + g.figures.length, 0)).toBe(116);
    const builtin = (
      await stats.all<{ id: number }>(
        `select id from vintages where source = 'documented-series' and origin = 'built-in'`,
      )
    )[0]!;
    await rollbackVintage(stats, builtin.id, 'tester');
    expect(await documentedSeriesGroups(stats)).toEqual([]);
  });
});

describe('documented series links', () => {
  it('links only web addresses, never a javascript: address from an imported file', async () => {
    const { seriesSection } = await import('../../src/web/figures-series.js');
    const figure = (url: string) => ({
      figure: `f-${url.length}`,
      measure: 'extraditions_mx_to_us',
      geo: 'MX',
      period: '2008',
      value: 85,
      value_text: '85',
      unit: 'persons',
      qualifier: 'exact',
      confidence: 'primary',
      statement: 'A statement',
      citation: 'A citation',
      url,
      note: null,
      cumulative: false,
    });
    const out = String(
      seriesSection(
        [
          {
            measure: 'extraditions_mx_to_us',
            geo: 'MX',
            period: '2008',
            conflict: true,
            figures: [figure('javascript:alert(1)'), figure('https://example.org/report')],
          },
        ],
        'en',
      ),
    );
    expect(out).toContain('href="https://example.org/report"');
    expect(out).not.toContain('javascript:');
  });
});
