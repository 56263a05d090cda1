/**
 * Section 10 of `npm run bench`: the data-ecosystem figures of issue 14.
 *
 * 1. **Bulk import**: a results file of 20,000 rows (one monthly indicator, 240 months × 84 places)
 *    read and imported through `marco results import`'s path on PostgreSQL, all or nothing, against the
 *    reference of loading the same 20,000 results as a workspace document in the same run. After it, a
 *    file of the same rows plus one conflicting row is refused and writes nothing (atomicity checked).
 * 2. **Compressed JSON**: the JSON answer of every municipality's monthly homicides, plain (the
 *    reference), gzipped and in brotli, as `GET /api/v1/series` sends them.
 * 3. **Parquet**: every municipality's monthly homicides, 2000–2021, as `GET /api/v1/series.parquet`,
 *    against the CSV download of the same query (time, and size against the gzipped CSV).
 * @module
 */
import { gzipSync } from 'node:zlib';
import { OPERATOR } from '../src/access/viewer.js';
import { loadBuiltins } from '../src/records/builtin.js';
import { dropSchema, openRecords, type RecordsStore } from '../src/records/database.js';
import { loadWorkspace } from '../src/records/workspace-load.js';
import { exchangeCsv } from '../src/monitoring/results-exchange/export.js';
import { readExchangeCsv } from '../src/monitoring/results-exchange/format.js';
import { ImportRefused, importResults } from '../src/monitoring/results-exchange/import.js';
import { createApp } from '../src/server/app.js';
import { importFile } from '../src/stats/importer.js';
import { sourceById } from '../src/stats/sources/index.js';
import { openStats } from '../src/stats/stats-store.js';
import { indicator } from '../test/fixtures/workspace.js';
import { fmtMB, fmtS, fmtX, table } from './print.js';
import { median, now, section, type BenchContext, type Goal, type Section, type Skipped } from './runner.js';

/** The bulk-import goal: 20,000 rows on PostgreSQL. */
export const GOAL_BULK_SECONDS = 10;
/** The Parquet goal: every municipality by month, in seconds. */
export const GOAL_PARQUET_SECONDS = 3;
/** The compressed-JSON goal, as a share of the plain answer. */
export const GOAL_COMPRESSED_SHARE = 0.1;

interface ExchangeBench {
  bulk:
    | { rows: number; importSeconds: number[]; referenceSeconds: number[]; atomic: boolean; ratio: number }
    | Skipped;
  json: { plain: number; gzip: number; brotli: number } | Skipped;
  parquet:
    | {
        points: number;
        seconds: number[];
        bytes: number;
        csvSeconds: number[];
        csvBytes: number;
        csvGzip: number;
      }
    | Skipped;
}

const PERIODS = Array.from(
  { length: 240 },
  (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);
const PLACES = Array.from({ length: 84 }, (_, i) => `08${String(i + 1).padStart(3, '0')}`);

/** The program, its monthly indicator and the periods, without results. */
const frame = () => ({
  marco: 'workspace/1',
  defaults: { country: 'MX', agency: 'SSPC' },
  periods: PERIODS.map((code) => ({ code })),
  programs: [
    {
      code: 'BENCH',
      title: { en: 'Bench', es: 'Banco' },
      status: 'active',
      indicators: [indicator('BENCH-1', { level: 'output', direction: 'increase', frequency: 'monthly' })],
    },
  ],
});

const RESULTS = PERIODS.flatMap((period) =>
  PLACES.map((place, i) => ({ indicator: 'BENCH-1', period, place, value: (i % 17) + 1 })),
);

/** A fresh schema holding the frame, handed to `work`, then dropped. */
async function onFreshSchema<T>(url: string, tag: string, work: (store: RecordsStore) => Promise<T>) {
  const schema = `bench_exchange_${tag}_${process.pid}`;
  const store = await openRecords({ databaseUrl: url, schema });
  try {
    await loadBuiltins(store, 'bench');
    await loadWorkspace(store, frame(), { actor: 'bench' });
    return await work(store);
  } finally {
    await dropSchema(store, schema);
    await store.close();
  }
}

async function benchBulk({ options, progress }: BenchContext): Promise<ExchangeBench['bulk']> {
  const url = process.env.DATABASE_URL;
  if (!url) return { skipped: 'DATABASE_URL is not set: the bulk import is measured on PostgreSQL' };
  const csv = exchangeCsv(
    RESULTS.map((r) => ({
      ...r,
      disaggregation: {},
      numerator: null,
      denominator: null,
      comment: null,
      evidence: null,
    })),
  );
  const importSeconds: number[] = [];
  const referenceSeconds: number[] = [];
  let atomic = true;
  for (let run = 0; run < options.repeat; run++) {
    progress(
      `exchange: importing ${RESULTS.length.toLocaleString('en-US')} rows (${run + 1}/${options.repeat})`,
    );
    await onFreshSchema(url, `i${run}`, async (store) => {
      const t0 = now();
      const rows = readExchangeCsv(csv, 'bench.csv');
      const summary = await importResults(store, rows, { actor: 'bench', official: OPERATOR, locale: 'en' });
      importSeconds.push((now() - t0) / 1000);
      if (summary.imported !== RESULTS.length) throw new Error(`imported ${summary.imported}`);
      // The same rows changed, and one in an undeclared period: refused, nothing written.
      const changed = csv.replace(/,(\d+),,,,\n/g, (_, v: string) => `,${Number(v) + 1},,,,\n`);
      const refused = await importResults(
        store,
        readExchangeCsv(`${changed}BENCH-1,2031-01,08001,,1,,,,\n`, 'bench.csv'),
        { actor: 'bench', official: OPERATOR, locale: 'en' },
      ).then(
        () => false,
        (error: unknown) => error instanceof ImportRefused,
      );
      const [{ n }] = (await store.db
        .selectFrom('results')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('version', '>', 1)
        .execute()) as [{ n: number }];
      atomic &&= refused && Number(n) === 0;
    });
    progress(`exchange: loading the same rows as a workspace (reference) (${run + 1}/${options.repeat})`);
    await onFreshSchema(url, `w${run}`, async (store) => {
      const t0 = now();
      await loadWorkspace(store, { ...frame(), results: RESULTS }, { actor: 'bench' });
      referenceSeconds.push((now() - t0) / 1000);
    });
  }
  return {
    rows: RESULTS.length,
    importSeconds,
    referenceSeconds,
    atomic,
    ratio: median(importSeconds) / median(referenceSeconds),
  };
}

async function benchDownloads({
  data,
  progress,
  options: { repeat },
}: BenchContext): Promise<Pick<ExchangeBench, 'json' | 'parquet'> | Skipped> {
  const files = ['geo/cve_nom_municipios.csv', 'inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz'];
  const missing = data.missing(files);
  if (missing) return missing;
  progress('exchange: importing municipal homicides for the compressed-JSON figure');
  const stats = await openStats({ memory: true });
  const records = await openRecords({ memory: true });
  try {
    await importFile(stats, sourceById('inegi-geo-catalog')!, data.file(files[0]!), { version: 'bench' });
    await importFile(stats, sourceById('inegi-homicides-municipal')!, data.file(files[1]!), {
      version: 'bench',
    });
    const app = createApp({ store: records, stats, limits: false });
    // Every municipality by month over the last three years: the API answers at most 250,000 points.
    const url = '/api/v1/series?measure=homicides&level=municipality&by=month&from=2019-01&to=2021-12';
    const size = async (encoding?: string) => {
      const res = await app.request(url, encoding ? { headers: { 'accept-encoding': encoding } } : {});
      return (await res.arrayBuffer()).byteLength;
    };
    const json = { plain: await size(), gzip: await size('gzip'), brotli: await size('br') };
    // Every municipality, every month of the file: Parquet against the CSV of the same query.
    const all = '?measure=homicides&level=municipality&by=month';
    const timed = async (path: string) => {
      const t0 = now();
      const bytes = new Uint8Array(await (await app.request(path)).arrayBuffer());
      return { seconds: (now() - t0) / 1000, bytes };
    };
    const seconds: number[] = [];
    const csvSeconds: number[] = [];
    let bytes = 0;
    let csv = new Uint8Array();
    for (let run = 0; run < repeat; run++) {
      progress(`exchange: Parquet and CSV of every municipality by month (${run + 1}/${repeat})`);
      const p = await timed(`/api/v1/series.parquet${all}`);
      seconds.push(p.seconds);
      bytes = p.bytes.length;
      const c = await timed(`/api/v1/series.csv${all}`);
      csvSeconds.push(c.seconds);
      csv = c.bytes;
    }
    const points = new TextDecoder().decode(csv).split('\n').length - 2;
    return {
      json,
      parquet: { points, seconds, bytes, csvSeconds, csvBytes: csv.length, csvGzip: gzipSync(csv).length },
    };
  } finally {
    stats.close();
    await records.close();
  }
}

export async function benchExchange(ctx: BenchContext): Promise<Section<ExchangeBench>> {
  return section(
    ctx,
    'exchange',
    async () => {
      const bulk = await benchBulk(ctx);
      const downloads = await benchDownloads(ctx);
      return 'skipped' in downloads ? { bulk, json: downloads, parquet: downloads } : { bulk, ...downloads };
    },
    (r) => {
      if ('skipped' in r) return [`10. Data exchange: skipped (${r.skipped})`];
      const lines = ['10. Data exchange'];
      if ('skipped' in r.bulk) lines.push(`  Bulk import: skipped (${r.bulk.skipped})`);
      else
        lines.push(
          `  Bulk import of ${r.bulk.rows.toLocaleString('en-US')} result rows on PostgreSQL, all or nothing; reference: the same results loaded as a workspace`,
          ...table(
            ['', 'median', 'runs'],
            [
              [
                'results import',
                fmtS(median(r.bulk.importSeconds)),
                r.bulk.importSeconds.map(fmtS).join(', '),
              ],
              [
                'workspace load (reference)',
                fmtS(median(r.bulk.referenceSeconds)),
                r.bulk.referenceSeconds.map(fmtS).join(', '),
              ],
            ],
          ),
          `  ratio ${fmtX(r.bulk.ratio)}; a file with one conflicting row wrote nothing: ${r.bulk.atomic ? 'yes' : 'NO'}`,
        );
      if ('skipped' in r.json) lines.push(`  Compressed JSON: skipped (${r.json.skipped})`);
      else
        lines.push(
          '  JSON of every municipality’s monthly homicides, 2019–2021 (GET /api/v1/series); reference: plain',
          ...table(
            ['', 'bytes', 'share of plain'],
            [
              ['plain (reference)', fmtMB(r.json.plain), '100%'],
              ['gzip', fmtMB(r.json.gzip), `${((100 * r.json.gzip) / r.json.plain).toFixed(1)}%`],
              ['brotli', fmtMB(r.json.brotli), `${((100 * r.json.brotli) / r.json.plain).toFixed(1)}%`],
            ],
          ),
        );
      if ('skipped' in r.parquet) lines.push(`  Parquet: skipped (${r.parquet.skipped})`);
      else
        lines.push(
          `  Every municipality's monthly homicides (${r.parquet.points.toLocaleString('en-US')} points) as Parquet; reference: the CSV download of the same query`,
          ...table(
            ['', 'median', 'runs', 'bytes'],
            [
              [
                'Parquet',
                fmtS(median(r.parquet.seconds)),
                r.parquet.seconds.map(fmtS).join(', '),
                fmtMB(r.parquet.bytes),
              ],
              [
                'CSV (reference)',
                fmtS(median(r.parquet.csvSeconds)),
                r.parquet.csvSeconds.map(fmtS).join(', '),
                `${fmtMB(r.parquet.csvBytes)} (gzipped ${fmtMB(r.parquet.csvGzip)})`,
              ],
            ],
          ),
          `  ratio ${fmtX(median(r.parquet.seconds) / median(r.parquet.csvSeconds))} of the CSV's time; ${((100 * r.parquet.bytes) / r.parquet.csvGzip).toFixed(0)}% of the gzipped CSV's size`,
        );
      return lines;
    },
    (r) => {
      const goals: Goal[] = [];
      if (!('skipped' in r.bulk)) {
        const s = median(r.bulk.importSeconds);
        goals.push({
          goal: `bulk import of 20,000 results on PostgreSQL < ${GOAL_BULK_SECONDS} s, atomic`,
          value: s,
          display: `${fmtS(s)}${r.bulk.atomic ? '' : ', NOT atomic'}`,
          met: s < GOAL_BULK_SECONDS && r.bulk.atomic,
        });
      }
      if (!('skipped' in r.json)) {
        const share = Math.max(r.json.gzip, r.json.brotli) / r.json.plain;
        goals.push({
          goal: `compressed municipal monthly JSON < ${GOAL_COMPRESSED_SHARE * 100}% of plain`,
          value: share,
          display: `gzip ${((100 * r.json.gzip) / r.json.plain).toFixed(1)}%, brotli ${((100 * r.json.brotli) / r.json.plain).toFixed(1)}%`,
          met: share < GOAL_COMPRESSED_SHARE,
        });
      }
      if (!('skipped' in r.parquet)) {
        const s = median(r.parquet.seconds);
        goals.push({
          goal: `Parquet of all municipal monthly homicides < ${GOAL_PARQUET_SECONDS} s, smaller than the gzipped CSV`,
          value: s,
          display: `${fmtS(s)}, ${fmtMB(r.parquet.bytes)} vs ${fmtMB(r.parquet.csvGzip)}`,
          met: s < GOAL_PARQUET_SECONDS && r.parquet.bytes < r.parquet.csvGzip,
        });
      }
      return goals;
    },
  );
}
