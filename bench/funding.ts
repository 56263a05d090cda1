/**
 * Section 11 of `npm run bench`: the money figures of issue 15, on one embedded store holding the
 * built-ins and 500 generated programs, each with 20 annual indicators (two targets and two approved
 * results each) and 20 approved funding lines (10,000 lines in all).
 *
 * 1. **Funding page for the country**: `GET /funding` over loopback, rendered every time (page cache
 *    off; the analysis kept per state of the stores, `funding/analysis-cache.ts`), p50 and p95 of
 *    `--queries ÷ 10` requests after 5 warm-up, against the reference of reading the same 10,000 lines
 *    from the store; and the same page as the first request after a write, when the analysis is
 *    computed again.
 * 2. **IATI export** of the 500 programs (10,000 indicators) to a file, streamed, against the reference
 *    of reading the records it is made of (programs, indicators, targets, results, funding lines). Its
 *    memory: the peak resident size above the size before the export, sampled every 5 ms, next to the
 *    file's size: a streamed export holds a batch, never the file.
 * @module
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { exportIati } from '../src/iati/iati-export.js';
import { iatiPublisher } from '../src/iati/iati-publisher.js';
import { saveFundingLines } from '../src/funding/funding-service.js';
import { loadBuiltins } from '../src/records/builtin.js';
import { openRecords } from '../src/records/database.js';
import { listFundingLines } from '../src/records/funding-repository.js';
import { loadWorkspace } from '../src/records/workspace-load.js';
import { createApp } from '../src/server/app.js';
import { indicator } from '../test/fixtures/workspace.js';
import { fmtMB, fmtMs, fmtS, fmtX, table } from './print.js';
import { median, now, percentile, section, type BenchContext, type Section } from './runner.js';

export const GOAL_FUNDING_P95_MS = 200;
export const GOAL_IATI_SECONDS = 5;
const PROGRAMS = 500;
const INDICATORS = 20;
const YEARS = ['FY2016', 'FY2017', 'FY2018', 'FY2019', 'FY2020'];
const ACCOUNTS = ['INCLE', 'ESF', 'FMF', 'DA', 'NADR', 'IMET', 'DOD-333', 'DOD-1004'];
const STAGES = ['allocation', 'obligation', 'disbursement', 'expenditure'];
const NODES = [
  'merida:1',
  'merida:2',
  'merida:3',
  'merida:4',
  'bicentennial:1',
  'bicentennial:2',
  'bicentennial:3',
];

interface FundingBench {
  lines: number;
  page: { p50: number; p95: number; requests: number; referenceMs: number[]; cold: number[] };
  iati: {
    seconds: number[];
    referenceSeconds: number[];
    bytes: number;
    peakAboveMB: number[];
    /** The same, for the export held whole in memory (the reference). */
    heldPeakAboveMB: number[];
    activities: number;
  };
}

/** 500 programs of 20 indicators with targets and approved results, and 10,000 approved funding lines. */
export function workspace() {
  const code = (p: number) => `BENCH-${String(p).padStart(3, '0')}`;
  return {
    marco: 'workspace/1',
    defaults: { country: 'US', agency: 'INL' },
    periods: [{ code: '2019' }, { code: '2020' }],
    programs: Array.from({ length: PROGRAMS }, (_, p) => ({
      code: code(p),
      title: { en: `Bench program ${p}`, es: `Programa de prueba ${p}` },
      status: 'active',
      start: '2016-01-01',
      serves: [NODES[p % NODES.length]!, NODES[(p + 3) % NODES.length]!],
      iati: {
        sectors: [
          { code: '15130', percentage: 60 },
          { code: '15210', percentage: 40 },
        ],
      },
      indicators: Array.from({ length: INDICATORS }, (_, i) =>
        indicator(`${code(p)}-I${i}`, {
          level: i % 3 === 0 ? 'outcome' : 'output',
          direction: 'increase',
          aggregation: 'sum',
          baseline: { value: 10, period: '2019' },
          targets: [
            { period: '2019', value: 20 },
            { period: '2020', value: 30 },
          ],
        }),
      ),
    })),
    results: Array.from({ length: PROGRAMS * INDICATORS }, (_, k) => {
      const p = Math.floor(k / INDICATORS);
      const i = k % INDICATORS;
      return ['2019', '2020'].map((period, n) => ({
        indicator: `${code(p)}-I${i}`,
        period,
        place: 'MX',
        value: 15 + n * 10 + (k % 7),
        status: 'approved',
      }));
    }).flat(),
    funding_lines: Array.from({ length: PROGRAMS }, (_, p) =>
      YEARS.flatMap((fiscal_year, y) =>
        STAGES.map((stage, s) => ({
          fiscal_year,
          account: ACCOUNTS[(p + y) % ACCOUNTS.length]!,
          stage,
          program: code(p),
          amount: 1_000_000 * (4 - s) + p * 1000 + y,
          source: 'Bench',
          status: 'approved',
        })),
      ),
    ).flat(),
  };
}

/** The peak resident size above the size before `work`, in MB, sampled every 5 ms. */
async function peakDuring(work: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return (Math.max(peak, process.memoryUsage().rss) - before) / 1024 / 1024;
}

async function measureFunding({ options, progress }: BenchContext): Promise<FundingBench> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-bench-funding-'));
  const records = await openRecords({ memory: true });
  let server: ServerType | undefined;
  try {
    progress(
      `funding: loading ${PROGRAMS} programs, ${PROGRAMS * INDICATORS} indicators, ${PROGRAMS * 20} funding lines`,
    );
    await loadBuiltins(records, 'bench');
    await loadWorkspace(records, workspace(), { actor: 'bench' });
    const lines = (await listFundingLines(records.db)).length;
    const app = createApp({ store: records, pageCacheBytes: 1, limits: false });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    progress('funding: the country page');
    for (let i = 0; i < 5; i++) await (await fetch(`${base}/funding`)).text();
    const requests = Math.max(20, Math.round(options.queries / 10));
    const times: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t0 = now();
      const res = await fetch(`${base}/funding`);
      await res.text();
      if (res.status !== 200) throw new Error(`/funding: HTTP ${res.status}`);
      times.push(now() - t0);
    }
    // Cold: each request the first after a write, so the analysis is computed again (the write, an
    // exchange rate changed, is outside the clock).
    const cold: number[] = [];
    for (let i = 0; i < Math.max(5, Math.round(requests / 10)); i++) {
      await saveFundingLines(
        records,
        'operator',
        [
          {
            fiscal_year: 'FY2030',
            account: 'INCLE',
            stage: 'request',
            node: 'merida:1',
            amount: i + 1,
            source: 'Bench',
          },
        ],
        { country: 'US', agency: 'INL', classification: 'public' },
        { actor: 'bench' },
      );
      const t0 = now();
      const res = await fetch(`${base}/funding`);
      await res.text();
      cold.push(now() - t0);
    }
    const referenceMs: number[] = [];
    for (let i = 0; i < options.repeat; i++) {
      const t0 = now();
      await listFundingLines(records.db, { statuses: ['approved'] });
      referenceMs.push(now() - t0);
    }
    const publisher = iatiPublisher({ MARCO_IATI_ORG_REF: 'US-GOV-11' });
    const iati: FundingBench['iati'] = {
      seconds: [],
      referenceSeconds: [],
      bytes: 0,
      peakAboveMB: [],
      heldPeakAboveMB: [],
      activities: 0,
    };
    for (let run = 0; run < options.repeat; run++) {
      progress(`funding: IATI export (${run + 1}/${options.repeat})`);
      const file = path.join(dir, 'activities.xml');
      const out = createWriteStream(file);
      const t0 = now();
      const streamed = await peakDuring(async () => {
        iati.activities = await exportIati(records, undefined, publisher, async (chunk) => {
          if (!out.write(chunk)) await once(out, 'drain');
        });
        out.end();
        await once(out, 'finish');
      });
      iati.seconds.push((now() - t0) / 1000);
      iati.peakAboveMB.push(streamed);
      // The reference for memory: the same export held whole in memory, as a file built at once is.
      const held: string[] = [];
      iati.heldPeakAboveMB.push(
        await peakDuring(() => exportIati(records, undefined, publisher, (chunk) => void held.push(chunk))),
      );
      held.length = 0;
      iati.bytes = (await stat(file)).size;
      const r0 = now();
      await Promise.all(
        (['programs', 'indicators', 'targets', 'results', 'funding_lines'] as const).map((t) =>
          records.db.selectFrom(t).selectAll().execute(),
        ),
      );
      iati.referenceSeconds.push((now() - r0) / 1000);
    }
    return {
      lines,
      page: { p50: percentile(times, 50), p95: percentile(times, 95), requests, referenceMs, cold },
      iati,
    };
  } finally {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await records.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function benchFunding(ctx: BenchContext): Promise<Section<FundingBench>> {
  return section(
    ctx,
    'funding',
    () => measureFunding(ctx),
    (r) => {
      const title = `Funding (issue 15): ${PROGRAMS} programs × ${INDICATORS} indicators, 10,000 approved funding lines, embedded store`;
      if ('skipped' in r) return [title, `  skipped: ${r.skipped}`];
      const ref = median(r.page.referenceMs);
      return [
        title,
        ...table(
          ['figure', ' p50 / median', ' p95 / runs', ' reference'],
          [
            [
              `GET /funding (${r.lines.toLocaleString('en-US')} lines, ${r.page.requests} requests)`,
              fmtMs(r.page.p50),
              fmtMs(r.page.p95),
              `${fmtMs(ref)} reading the lines`,
            ],
            [
              `GET /funding, first after a write (${r.page.cold.length} requests)`,
              fmtMs(percentile(r.page.cold, 50)),
              fmtMs(percentile(r.page.cold, 95)),
              'the analysis computed again',
            ],
            [
              `IATI export, ${r.iati.activities} activities, ${fmtMB(r.iati.bytes)}`,
              fmtS(median(r.iati.seconds)),
              r.iati.seconds.map(fmtS).join(', '),
              `${fmtS(median(r.iati.referenceSeconds))} reading its records`,
            ],
          ],
        ),
        `  ratio: page p95 ${fmtX(r.page.p95 / ref)} the reference; IATI ${fmtX(median(r.iati.seconds) / median(r.iati.referenceSeconds))} the reference`,
        `  IATI memory: peak ${r.iati.peakAboveMB.map((m) => `${m.toFixed(0)} MB`).join(', ')} above the size before, streamed; ${r.iati.heldPeakAboveMB.map((m) => `${m.toFixed(0)} MB`).join(', ')} held whole (reference), for a ${fmtMB(r.iati.bytes)} file`,
      ];
    },
    (r) => {
      const s = median(r.iati.seconds);
      const peak = median(r.iati.peakAboveMB);
      const held = median(r.iati.heldPeakAboveMB);
      return [
        {
          goal: `country funding page with 10,000 lines, p95 < ${GOAL_FUNDING_P95_MS} ms`,
          value: r.page.p95,
          display: fmtMs(r.page.p95),
          met: r.page.p95 < GOAL_FUNDING_P95_MS,
        },
        {
          // Time only: in this process the resident size is dominated by the embedded store's
          // WebAssembly heap, which grows with queries and never shrinks, so the two peaks beside it
          // are figures to read, not a verdict on streaming.
          goal: `IATI export of ${PROGRAMS} programs × ${INDICATORS} indicators < ${GOAL_IATI_SECONDS} s (memory: figures above)`,
          value: s,
          display: `${fmtS(s)}; peak +${peak.toFixed(0)} MB streamed, +${held.toFixed(0)} MB held whole`,
          met: s < GOAL_IATI_SECONDS,
        },
      ];
    },
  );
}
