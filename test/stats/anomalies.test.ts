/**
 * Anomaly detection on the real state homicide file, checked against a median/MAD computed here from the
 * raw lines, through the library, the CLI and the API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMarco } from '../fixtures/run-marco.js';
import { EXIT } from '../../src/error.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { findAnomalies, scoreSeries } from '../../src/stats/anomalies.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile, sharedLines } from './shared-data.js';

const STATE = sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv');
const STATES = sharedFile('geo/cve_nom_estados.csv');

describe('the trailing median/MAD score', () => {
  const months = (values: number[], start = 2020) =>
    values.map((value, i) => ({
      period: `${start + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
      value,
    }));

  it('scores a month against the median and MAD of the months before it', () => {
    const points = months([10, 12, 11, 13, 9, 10, 12, 11, 10, 12, 11, 13, 40]);
    const [last] = scoreSeries(points, 12);
    // Window median 11; deviations 1,1,0,2,2,1,1,0,1,1,0,2 → MAD 1 → scale max(1.4826, √11 ≈ 3.317, 1).
    expect(last!.expected).toBe(11);
    expect(last!.scale).toBeCloseTo(Math.sqrt(11), 12);
    expect(last!.z).toBeCloseTo((40 - 11) / Math.sqrt(11), 12);
  });

  it('keeps a flat run of small counts from flagging every change, and skips broken windows', () => {
    const flat = scoreSeries(months([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]), 12);
    expect(flat[0]!.scale).toBe(1);
    expect(flat[0]!.z).toBe(2);
    const gap = months([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    gap.splice(6, 1); // a missing month: no 12-month window is unbroken before the end
    expect(scoreSeries(gap, 12)).toHaveLength(0);
  });
});

(STATE && STATES ? describe : describe.skip)('anomalies on the real state homicide file', () => {
  let dir: string;
  let stats: StatsStore;
  let records: RecordsStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-anomalies-'));
    stats = await openStats({ dataDir: dir });
    await importFile(stats, sourceById('inegi-geo-catalog')!, STATES!, { version: 'test' });
    await importFile(stats, sourceById('inegi-homicides-state')!, STATE!, { version: 'test' });
    records = await openRecords({ memory: true });
  });
  afterAll(async () => {
    stats?.close();
    await records?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('flags Chihuahua’s 2008 surge with the z-score recomputed from the file', async () => {
    const rows = (await sharedLines(STATE!))
      .slice(1)
      .map((l) => l.split('|'))
      .filter((f) => f[0] === '08')
      .map((f) => ({ y: Number(f[1]), m: Number(f[2]), v: Number(f[3]) }))
      .sort((a, b) => a.y - b.y || a.m - b.m);
    const at = rows.findIndex((r) => r.y === 2008 && r.m === 5);
    const window = rows.slice(at - 12, at).map((r) => r.v);
    const med = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return (s[5]! + s[6]!) / 2;
    };
    const expected = med(window);
    const mad = med(window.map((v) => Math.abs(v - expected)));
    const z = (rows[at]!.v - expected) / Math.max(1.4826 * mad, Math.sqrt(expected), 1);

    const result = await findAnomalies(stats, {
      measure: 'homicides',
      geo: ['08'],
      from: '2008',
      to: '2008',
    });
    const may = result.anomalies.find((a) => a.period === '2008-05')!;
    expect(may).toMatchObject({
      geo: '08',
      name: 'Chihuahua',
      value: rows[at]!.v,
      expected,
      direction: 'spike',
    });
    expect(may.z).toBeCloseTo(z, 9);
    expect(z).toBeGreaterThan(10);
    expect(result.examined).toEqual({ places: 1, months: 12 });
    // Every flagged month passes both the threshold and the minimum count; the strongest come first.
    expect(result.anomalies.every((a) => Math.abs(a.z) >= 3.5 && Math.max(a.value, a.expected) >= 10)).toBe(
      true,
    );
    expect(result.anomalies.map((a) => Math.abs(a.z))).toEqual(
      [...result.anomalies.map((a) => Math.abs(a.z))].sort((a, b) => b - a),
    );
    // A higher threshold flags fewer months.
    const strict = await findAnomalies(stats, {
      measure: 'homicides',
      geo: ['08'],
      from: '2008',
      to: '2008',
      threshold: 10,
    });
    expect(strict.anomalies.length).toBeLessThan(result.anomalies.length);
    expect(strict.anomalies.length).toBeGreaterThan(0);
  });

  it('is served at GET /api/v1/anomalies and by `marco anomalies`, refusing bad parameters', async () => {
    const app = createApp({ store: records, stats });
    const ok = await app.request('/api/v1/anomalies?measure=homicides&level=state&from=2008&to=2008');
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as {
      examined: { places: number };
      anomalies: { geo: string; period: string }[];
    };
    expect(body.examined.places).toBe(32);
    expect(body.anomalies).toContainEqual(expect.objectContaining({ geo: '08', period: '2008-05' }));
    // Every refused query parameter is a 400 naming it, whether the schema or the detector refuses it.
    const statuses = [];
    for (const bad of ['window=2', 'window=x', 'threshold=-1', 'min_count=a', 'by=month']) {
      const res = await app.request(`/api/v1/anomalies?measure=homicides&geo=08&${bad}`);
      const body = (await res.json()) as { error: { details?: { issues?: { path: string }[] } } };
      statuses.push([bad, res.status, body.error.details?.issues?.[0]?.path]);
    }
    expect(statuses).toEqual([
      ['window=2', 400, 'window'],
      ['window=x', 400, 'window'],
      ['threshold=-1', 400, 'threshold'],
      ['min_count=a', 400, 'min_count'],
      ['by=month', 400, 'query'],
    ]);
    const unknown = await app.request('/api/v1/anomalies?measure=nothing&geo=08');
    expect(unknown.status).toBe(404);

    stats.close();
    try {
      const { code, stdout } = await runMarco(
        dir,
        'anomalies',
        '--measure',
        'homicides',
        '--geo',
        '08',
        '--from',
        '2008',
        '--to',
        '2008',
        '--csv',
      );
      expect(code).toBe(EXIT.ok);
      const [header, ...lines] = stdout.trim().split('\n');
      expect(header).toBe('geo,name,period,value,expected,scale,z,direction,lower,upper,quiet_baseline');
      expect(lines.some((l) => l.startsWith('08,Chihuahua,2008-05,'))).toBe(true);
      const bad = (
        await runMarco(dir, 'anomalies', '--measure', 'homicides', '--geo', '08', '--window', '1.5')
      ).code;
      expect(bad).toBe(EXIT.invalid);
    } finally {
      stats = await openStats({ dataDir: dir });
    }
  });
});

const MUNICIPAL = sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');

(MUNICIPAL ? describe : describe.skip)('anomalies after months of none', () => {
  let dir: string;
  let stats: StatsStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-anomalies-quiet-'));
    stats = await openStats({ dataDir: dir });
    await importFile(stats, sourceById('inegi-homicides-municipal')!, MUNICIPAL!, { version: 'test' });
  }, 120_000);
  afterAll(async () => {
    stats?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('marks San Fernando’s August 2010 against a median of 0 as a quiet baseline, and says "usually none" rather than quote z', async () => {
    // The file's own months of San Fernando (28035), August 2009 to August 2010.
    const lines = (await sharedLines(MUNICIPAL!)).map((l) => l.split('|')).filter((f) => f[0] === '28035');
    const month = (y: number, m: number) =>
      Number(lines.find((f) => f[1] === String(y) && f[2] === String(m))![3]);
    const before = Array.from({ length: 12 }, (_, i) => month(i < 5 ? 2009 : 2010, ((7 + i) % 12) + 1));
    const sorted = [...before].sort((a, b) => a - b);
    expect((sorted[5]! + sorted[6]!) / 2).toBe(0);
    const result = await findAnomalies(stats, {
      measure: 'homicides',
      geo: ['28035'],
      from: '2010-08',
      to: '2010-08',
    });
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({
      period: '2010-08',
      value: month(2010, 8),
      expected: 0,
      scale: 1,
      z: month(2010, 8),
      quietBaseline: true,
    });
    // A month scored against a real spread is not quiet: Chihuahua-style surges keep their z.
    const spread = await findAnomalies(stats, {
      measure: 'homicides',
      geo: ['08037'],
      from: '2008',
      to: '2010',
    });
    expect(spread.anomalies.length).toBeGreaterThan(0);
    for (const a of spread.anomalies) expect(a.quietBaseline).toBe(a.expected < 1 && a.scale === 1);
    expect(spread.anomalies.some((a) => !a.quietBaseline)).toBe(true);

    const r = await runMarco(
      dir,
      'anomalies',
      '--measure',
      'homicides',
      '--geo',
      '28035',
      '--from',
      '2010-08',
      '--to',
      '2010-08',
    );
    expect(r.stdout).toContain('2010-08: 64, usually none (median 0 of the 12 months before; ↑ spike)');
    expect(r.stdout).not.toContain('z = 64');
  });
});
