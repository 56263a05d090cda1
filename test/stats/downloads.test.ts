/**
 * Series downloads are analysis-ready: the CSV of `GET /api/v1/series.csv` reads back in R
 * (`read.csv` with `colClasses` from the codebook) and in DuckDB (`read_csv` with the codebook's types)
 * with the values of the JSON answer, `geo` keeping its leading zero; the Excel form starts with a
 * byte-order mark and ends lines with CRLF; the download's data package validates against the
 * Frictionless profiles (Frictionless's own `datapackage` library) and its Table Schema casts every row;
 * the store's data package does too; and the DCAT catalogue names every file in force by its SHA-256.
 * On the starter snapshot (state homicides, CONAPO state population).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Package, Resource } from 'datapackage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { createApp } from '../../src/server/app.js';
import { R_CLASSES, SERIES_COLUMNS } from '../../src/stats/downloads/series-columns.js';
import { ensureStarter } from '../../src/stats/starter.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { haveR } from '../fixtures/have-r.js';

const haveRscript = haveR('the R read-back of series downloads');

const QUERY = 'measure=homicides&level=state&by=quarter&from=2019-Q1&to=2020-Q4&per=100000';

describe('series downloads', () => {
  let dir: string;
  let stats: StatsStore;
  let records: RecordsStore;
  let app: ReturnType<typeof createApp>;
  let csv = '';
  let points: {
    geo: string;
    period: string;
    value: number;
    rate: number | null;
    population: number | null;
  }[];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-downloads-'));
    stats = await openStats({ memory: true });
    await ensureStarter(stats, 'test');
    records = await openRecords({ memory: true });
    app = createApp({ store: records, stats, limits: false });
    const res = await app.request(`http://marco.test/api/v1/series.csv?${QUERY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    csv = await res.text();
    await writeFile(path.join(dir, 'series.csv'), csv);
    const json = (await (await app.request(`/api/v1/series?${QUERY}`)).json()) as {
      series: { points: typeof points }[];
    };
    points = json.series.flatMap((s) => s.points);
  }, 60_000);
  afterAll(async () => {
    stats?.close();
    await records?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('negotiates CSV by Accept as by the .csv path, and refuses a type it cannot give', async () => {
    const accepted = await app.request(`http://marco.test/api/v1/series?${QUERY}`, {
      headers: { accept: 'text/csv' },
    });
    expect(await accepted.text()).toBe(csv);
    const refused = await app.request(`/api/v1/series?${QUERY}&lang=es`, {
      headers: { accept: 'application/xml' },
    });
    expect(refused.status).toBe(406);
    expect(((await refused.json()) as { detail: string }).detail).toContain('text/csv');
  });

  it('holds one row per point, with the columns of the codebook and the JSON answer’s values', () => {
    const [header, ...rows] = csv.trim().split('\n');
    expect(header!.split(',')).toEqual(SERIES_COLUMNS.map((c) => c.name));
    expect(rows).toHaveLength(points.length);
    expect(points.length).toBe(32 * 8);
    const first = rows[0]!.split(',');
    expect(first.slice(0, 9)).toEqual([
      'homicides',
      'deaths',
      '100000',
      '01',
      'state',
      'Aguascalientes',
      '2019-Q1',
      '2019-01-01',
      '2019-03-31',
    ]);
  });

  it('reads back in DuckDB with the codebook’s types and the same values', async () => {
    const duck = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE' };
    const types = Object.fromEntries(SERIES_COLUMNS.map((c) => [c.name, duck[c.type]]));
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const read = await con.runAndReadAll(
      `select geo, period, value, rate, population, period_end::varchar as period_end
       from read_csv('${path.join(dir, 'series.csv')}', header = true, columns = ${JSON.stringify(types).replaceAll('"', "'")})`,
    );
    const rows = read.getRowObjectsJS() as { geo: string; period: string; value: number; rate: number }[];
    expect(rows).toHaveLength(points.length);
    expect(rows[0]!.geo).toBe('01');
    for (const [i, p] of points.entries()) {
      expect(rows[i]).toMatchObject({ geo: p.geo, period: p.period });
      expect(rows[i]!.value).toBe(p.value);
      expect(rows[i]!.rate).toBe(p.rate);
    }
    con.closeSync();
  });

  (haveRscript ? it : it.skip)('reads back in R with read.csv and colClasses from the codebook', async () => {
    const classes = SERIES_COLUMNS.map((c) => `${c.name} = "${R_CLASSES[c.type]}"`).join(', ');
    const script = `
      d <- read.csv(${JSON.stringify(path.join(dir, 'series.csv'))}, colClasses = c(${classes}), na.strings = "")
      stopifnot(is.character(d$geo), inherits(d$period_end, "Date"), is.logical(d$partial))
      cat(sprintf("%s|%s|%.17g|%.17g|%s", d$geo, d$period, d$value, d$rate, format(d$period_end)), sep = "\\n")`;
    const out = execFileSync('Rscript', ['-e', script], { encoding: 'utf8' }).trim().split('\n');
    expect(out).toHaveLength(points.length);
    for (const [i, p] of points.entries()) {
      const [geo, period, value, rate] = out[i]!.split('|');
      expect(geo).toBe(p.geo);
      expect(period).toBe(p.period);
      expect(Number(value)).toBe(p.value);
      expect(Number(rate)).toBe(p.rate);
    }
    expect(out[0]).toMatch(/^01\|2019-Q1\|.*\|2019-03-31$/);
  });

  it('gives the same rows as Parquet, typed (the size against CSV is a bench figure)', async () => {
    const res = await app.request(`/api/v1/series.parquet?${QUERY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('PAR1');
    const accepted = await app.request(`/api/v1/series?${QUERY}`, {
      headers: { accept: 'application/vnd.apache.parquet' },
    });
    expect(new Uint8Array(await accepted.arrayBuffer())).toEqual(bytes);
    const file = path.join(dir, 'series.parquet');
    await writeFile(file, bytes);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const read = await con.runAndReadAll(
      `select geo, period, value, rate, typeof(period_end) as end_type, typeof(geo) as geo_type from read_parquet('${file}')`,
    );
    const rows = read.getRowObjectsJS() as {
      geo: string;
      period: string;
      value: number;
      rate: number;
      end_type: string;
      geo_type: string;
    }[];
    expect(rows).toHaveLength(points.length);
    expect(rows[0]).toMatchObject({ geo: '01', end_type: 'DATE', geo_type: 'VARCHAR' });
    for (const [i, p] of points.entries())
      expect(rows[i]).toMatchObject({ geo: p.geo, period: p.period, value: p.value, rate: p.rate });
    con.closeSync();
  });

  it('gives Excel a byte-order mark and CRLF, and otherwise the same file', async () => {
    const res = await app.request(`/api/v1/series.csv?${QUERY}&excel=true`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.split('\r\n')[0]).toBe(SERIES_COLUMNS.map((c) => c.name).join(','));
    expect(text.replaceAll('\r\n', '\n')).toBe(csv);
    // The explorer's download is the same file, plain and for Excel.
    expect(await (await app.request(`/explore.csv?${QUERY}`)).text()).toBe(csv);
    const excel = new Uint8Array(await (await app.request(`/explore.csv?${QUERY}&excel=true`)).arrayBuffer());
    expect(excel).toEqual(bytes);
  });

  it('describes the download in a data package that Frictionless validates, and whose schema casts every row', async () => {
    const res = await app.request(`http://marco.test/api/v1/series/datapackage.json?${QUERY}`);
    expect(res.status).toBe(200);
    const descriptor = (await res.json()) as {
      resources: { path: string; schema: unknown; dialect: unknown; licenses: { name: string }[] }[];
    };
    const pkg = await Package.load(descriptor);
    expect(pkg.errors.map(String)).toEqual([]);
    expect(pkg.valid).toBe(true);
    const [resource] = descriptor.resources;
    expect(resource!.path).toBe(`http://marco.test/api/v1/series.csv?${QUERY}`);
    expect(resource!.licenses.map((l) => l.name)).toContain('CC-BY-4.0');
    // The same schema and dialect over the downloaded file: every row casts to its types.
    const local = await Resource.load(
      {
        name: 'series',
        path: 'series.csv',
        schema: resource!.schema,
        dialect: resource!.dialect,
        profile: 'tabular-data-resource',
      },
      { basePath: dir },
    );
    const rows = (await local.read({ keyed: true, cast: true })) as {
      geo: string;
      value: number;
      period_end: Date;
    }[];
    expect(rows).toHaveLength(points.length);
    expect(rows[0]!.geo).toBe('01');
    expect(rows[0]!.period_end).toBeInstanceOf(Date);
  });

  it('is the layout docs/downloads.md documents, column by column, with the R classes it shows', async () => {
    const md = await readFile(new URL('../../docs/downloads.md', import.meta.url), 'utf8');
    const table = md.slice(md.indexOf('<!-- codebook:start'), md.indexOf('<!-- codebook:end'));
    const documented = [...table.matchAll(/^\| `(\w+)`\s*\| (\w+)\s*\| (\w+)/gm)].map((m) => [
      m[1],
      m[2],
      m[3],
    ]);
    expect(documented).toEqual(SERIES_COLUMNS.map((c) => [c.name, c.type, R_CLASSES[c.type]]));
    const snippet = md.slice(md.indexOf('classes <- c('), md.indexOf('d <- read.csv'));
    const classes = [...snippet.matchAll(/(\w+) = "(\w+)"/g)].map((m) => [m[1], m[2]]);
    expect(classes).toEqual(SERIES_COLUMNS.map((c) => [c.name, R_CLASSES[c.type]]));
  });

  it('describes the whole store in a valid data package, and catalogues its files in DCAT', async () => {
    const whole = (await (await app.request('http://marco.test/api/v1/datapackage.json')).json()) as {
      resources: { name: string; path: string }[];
    };
    const pkg = await Package.load(whole);
    expect(pkg.errors.map(String)).toEqual([]);
    expect(whole.resources.map((r) => r.name)).toContain('homicides-state-month');
    const catalog = (await (await app.request('http://marco.test/api/v1/catalog')).json()) as {
      '@type': string;
      'dcat:dataset': {
        'dct:identifier': string;
        'dcat:distribution': { 'spdx:checksum'?: { 'spdx:checksumValue': string } }[];
      }[];
    };
    expect(catalog['@type']).toBe('dcat:Catalog');
    const meta = await stats.metadata();
    const sums = catalog['dcat:dataset'].flatMap((d) =>
      d['dcat:distribution'].flatMap((x) =>
        x['spdx:checksum'] ? [x['spdx:checksum']['spdx:checksumValue']] : [],
      ),
    );
    expect(sums.sort()).toEqual(meta.vintages.map((v) => v.sha256).sort());
    expect(catalog['dcat:dataset'].map((d) => d['dct:identifier']).sort()).toEqual(
      [...new Set(meta.vintages.map((v) => v.source))].sort(),
    );
  });
});
