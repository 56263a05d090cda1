/**
 * A bounded loopback soak (issue 18): several clients read series and pages and write results against
 * N server processes on one PostgreSQL database, for a set time; half-way, one statistics import
 * through the API publishes a new generation. Every series answer names its generation, and must carry
 * that generation's figure (Yucatán's June 2019 homicides: the real one before, the planted one after):
 * an answer that mixes two is counted. Reported: per kind, requests, errors, p50, p99 and the slowest;
 * each process's resident memory after warm-up and at the end; the import, and how much longer than
 * usual any series request around the publication waited.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../../src/package.js';
import { deploy, memoryOf, type MemorySample, type SoakDeployment } from './soak-servers.js';

export type Kind = 'series' | 'page' | 'write';

export interface SoakOptions {
  seconds: number;
  processes: number;
  clients: number;
  /** A PostgreSQL server URL; a database of the soak's own is made on it, and dropped. */
  serverUrl: string;
  progress?: (line: string) => void;
  /** Series reads only, and no import: the throughput benchmark (`bench/scale.ts`). */
  readsOnly?: boolean;
  /** Each process's memory every 2 s (from its `/metrics`), for a closer look. */
  timeline?: (pid: number, sample: MemorySample) => void;
  /**
   * Every request as it ends (its kind, the process that answered, when it began, how long it took, the
   * generation it read), and the import (`kind: 'import'`, with its end), for a closer look.
   */
  requests?: (line: {
    kind: Kind | 'import';
    pid: number;
    at: number;
    ms: number;
    ok: boolean;
    generation?: number;
  }) => void;
}

export interface KindReport {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

export interface SoakReport {
  seconds: number;
  processes: number;
  clients: number;
  kinds: Record<Kind, KindReport>;
  /** The first few errors, as status and text. */
  errors: string[];
  /** Series answers whose figure is not their generation's. */
  mixed: number;
  generations: { before: number; after: number; importMs: number; servedAfter: number };
  /** The slowest series request begun within 5 s after the publication, less the p99 of the 20 s before. */
  publishExtraMs: number;
  /** The same, for the answers from the generation left and from the one published. */
  publishExtraByGeneration: { old: number; new: number };
  /**
   * The same figure for 5-second windows away from the import (from 25 s in, none within 10 s of it):
   * how far the slowest of a few thousand requests sits above a p99 with no publication at all.
   */
  quietExtraMs: { windows: number; median: number; max: number };
  /** Resident memory after warm-up (25–35% of the run), before the publication (40–50%) and at the end. */
  memory: {
    pid: number;
    warmMb: number;
    beforePublishMb: number;
    endMb: number;
    growth: number;
    /** The V8 heap's size (what JavaScript holds, live or not yet collected), after warm-up and at the end. */
    heapWarmMb: number;
    heapEndMb: number;
  }[];
}

const SERIES = '/api/v1/series?measure=homicides&geo=31&from=2019-06&to=2019-06&by=month';
const PAGES = ['/', '/places/31?lang=es', '/explore?measure=homicides&geo=31', '/programs/EX-CORRECTIONS'];
const PLANTED = 600;

interface Seen {
  kind: Kind;
  at: number;
  ms: number;
  ok: boolean;
  generation?: number;
  value?: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function plantedFile(): Promise<{ body: Buffer; real: number }> {
  const text = gunzipSync(
    await readFile(path.join(PACKAGE_ROOT, 'starter/mexico-state-month-homicide-rates-2000-2022.csv.gz')),
  ).toString('utf8');
  let real = NaN;
  const body = text
    .split('\n')
    .map((line) => {
      const cells = line.split('|');
      if (cells[0] !== '31' || cells[1] !== '2019' || cells[2] !== '6') return line;
      real = Number(cells[3]);
      cells[3] = String(PLANTED);
      return cells.join('|');
    })
    .join('\n');
  return { body: Buffer.from(body), real };
}

/** Each writing client's own result: made once, then edited again and again. */
async function writersResults(d: SoakDeployment, count: number): Promise<{ id: number; version: number }[]> {
  const made: { id: number; version: number }[] = [];
  for (let year = 2010; year <= 2024 && made.length < count; year++)
    for (const sex of ['female', 'male']) {
      if (made.length >= count) break;
      const res = await fetch(`${d.servers[0]!.base}/api/v1/results`, {
        method: 'POST',
        headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          indicator: 'EX-HOM-RATE-08',
          period: String(year),
          place: '08',
          disaggregation: { sex },
          numerator: 100,
          denominator: 1_900_000,
        }),
      });
      if (res.status === 201) {
        const r = (await res.json()) as { id: number; version: number };
        made.push({ id: r.id, version: r.version });
      } else await res.arrayBuffer();
    }
  if (made.length < count) throw new Error(`only ${made.length} results could be made for ${count} writers`);
  return made;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const say = options.progress ?? (() => undefined);
  say(`deploying ${options.processes} processes …`);
  const d = await deploy(options.serverUrl, options.processes);
  try {
    const writers = options.readsOnly ? 0 : Math.max(1, Math.floor(options.clients / 4));
    const results = await writersResults(d, writers);
    const { body, real } = await plantedFile();
    const seen: Seen[] = [];
    const errors: string[] = [];
    const memory = new Map<number, MemorySample[]>(d.servers.map((s) => [s.pid, []]));
    const start = Date.now();
    const end = start + options.seconds * 1000;
    const record = (s: Seen, pid: number, error?: string) => {
      seen.push(s);
      options.requests?.({ ...s, pid });
      if (error && errors.length < 20) errors.push(error);
    };

    const ask = async (client: number, i: number) => {
      const server = d.servers[(client + i) % d.servers.length]!;
      const at = Date.now();
      const writer = client < writers;
      const kind: Kind =
        writer && i % 2 === 0 ? 'write' : !options.readsOnly && i % 3 === 2 ? 'page' : 'series';
      try {
        if (kind === 'write') {
          const mine = results[client]!;
          const res = await fetch(`${server.base}/api/v1/results/${mine.id}`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ version: mine.version, numerator: 100 + (i % 50) }),
          });
          const text = await res.text();
          if (res.ok) mine.version = (JSON.parse(text) as { version: number }).version;
          return record(
            { kind, at, ms: Date.now() - at, ok: res.ok },
            server.pid,
            res.ok ? undefined : `${res.status} ${text.slice(0, 200)}`,
          );
        }
        const res = await fetch(`${server.base}${kind === 'page' ? PAGES[i % PAGES.length] : SERIES}`);
        const generation = Number(res.headers.get('marco-statistics-generation'));
        const text = await res.text();
        const value =
          kind === 'series' && res.ok
            ? (JSON.parse(text) as { series: { points: { value: number }[] }[] }).series[0]?.points[0]?.value
            : undefined;
        record(
          {
            kind,
            at,
            ms: Date.now() - at,
            ok: res.ok,
            generation,
            ...(value === undefined ? {} : { value }),
          },
          server.pid,
          res.ok ? undefined : `${res.status} ${text.slice(0, 200)}`,
        );
      } catch (error) {
        record({ kind, at, ms: Date.now() - at, ok: false }, server.pid, String(error));
      }
    };
    const client = async (n: number) => {
      for (let i = 0; Date.now() < end; i++) await ask(n, i);
    };

    const sampler = setInterval(() => {
      for (const s of d.servers)
        void memoryOf(s, d.token).then(
          (sample) => {
            memory.get(s.pid)?.push(sample);
            options.timeline?.(s.pid, sample);
          },
          () => undefined,
        );
    }, 2000);
    const progress = setInterval(() => {
      const failed = seen.filter((s) => !s.ok).length;
      say(`${Math.round((Date.now() - start) / 1000)} s: ${seen.length} requests, ${failed} errors`);
    }, 30_000);

    const load = Promise.all(Array.from({ length: options.clients }, (_, n) => client(n)));
    // Half-way: one import publishes a new generation.
    await new Promise((resolve) => setTimeout(resolve, (options.seconds * 1000) / 2));
    if (options.readsOnly) {
      await load;
      clearInterval(sampler);
      clearInterval(progress);
      return summary(
        seen,
        errors,
        options,
        { before: 0, after: 0, importMs: 0, servedAfter: 0 },
        { all: 0, byGeneration: { old: 0, new: 0 }, quiet: { windows: 0, median: 0, max: 0 } },
        [],
        0,
        NaN,
      );
    }
    const before = Math.max(0, ...seen.map((s) => s.generation ?? 0));
    const importAt = Date.now();
    const imported = await fetch(
      `${d.servers[0]!.base}/api/v1/imports?source=inegi-homicides-state&file_name=planted.csv`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/octet-stream' },
        body,
      },
    );
    const importMs = Date.now() - importAt;
    const after = Number(imported.headers.get('marco-statistics-generation'));
    options.requests?.({
      kind: 'import',
      pid: d.servers[0]!.pid,
      at: importAt,
      ms: importMs,
      ok: imported.ok,
      generation: after,
    });
    if (!imported.ok) errors.push(`import: ${imported.status} ${(await imported.text()).slice(0, 200)}`);
    else await imported.arrayBuffer();
    say(`import published generation ${after} in ${importMs} ms`);
    await load;
    clearInterval(sampler);
    clearInterval(progress);

    const series = seen.filter((s) => s.kind === 'series' && s.ok);
    /** The slowest series request of `which` begun in the 5 s from `t`, less the p99 of the 20 s before. */
    const extraAt = (t: number, which: (s: Seen) => boolean = () => true) => {
      const usual = series.filter((s) => s.at >= t - 20_000 && s.at < t).map((s) => s.ms);
      usual.sort((a, b) => a - b);
      const around = series.filter((s) => s.at >= t && s.at < t + 5000 && which(s)).map((s) => s.ms);
      return Math.max(0, (around.length ? Math.max(...around) : 0) - quantile(usual, 0.99));
    };
    const extra = extraAt(importAt);
    const byGeneration = {
      old: extraAt(importAt, (s) => s.generation !== after),
      new: extraAt(importAt, (s) => s.generation === after),
    };
    const quiet: number[] = [];
    for (let t = start + 25_000; t + 5000 <= end; t += 5000)
      if (t + 5000 <= importAt - 10_000 || t >= importAt + importMs + 10_000) quiet.push(extraAt(t));
    quiet.sort((a, b) => a - b);
    const quietExtra = { windows: quiet.length, median: quantile(quiet, 0.5), max: quiet.at(-1) ?? 0 };
    const warmFrom = start + options.seconds * 1000 * 0.25;
    const warmTo = start + options.seconds * 1000 * 0.35;
    const preFrom = start + options.seconds * 1000 * 0.4;
    const endFrom = start + options.seconds * 1000 * 0.9;
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const mem = [...memory.entries()].map(([pid, samples]) => {
      const within = (from: number, to: number, of: (x: MemorySample) => number) =>
        mean(samples.filter((x) => x.at >= from && x.at < to).map(of)) / 2 ** 20;
      const warm = within(warmFrom, warmTo, (x) => x.rss);
      const last = within(endFrom, Infinity, (x) => x.rss);
      return {
        pid,
        warmMb: warm,
        beforePublishMb: within(preFrom, importAt, (x) => x.rss),
        endMb: last,
        growth: warm ? (last - warm) / warm : 0,
        heapWarmMb: within(warmFrom, warmTo, (x) => x.heap),
        heapEndMb: within(endFrom, Infinity, (x) => x.heap),
      };
    });
    return summary(
      seen,
      errors,
      options,
      { before, after, importMs, servedAfter: series.filter((s) => s.generation === after).length },
      { all: extra, byGeneration, quiet: quietExtra },
      mem,
      after,
      real,
    );
  } finally {
    await d.close();
  }
}

function summary(
  seen: Seen[],
  errors: string[],
  options: SoakOptions,
  generations: SoakReport['generations'],
  publish: {
    all: number;
    byGeneration: SoakReport['publishExtraByGeneration'];
    quiet: SoakReport['quietExtraMs'];
  },
  memory: SoakReport['memory'],
  after: number,
  real: number,
): SoakReport {
  const kinds = {} as Record<Kind, KindReport>;
  for (const kind of ['series', 'page', 'write'] as const) {
    const of = seen.filter((s) => s.kind === kind);
    const ms = of.map((s) => s.ms).sort((a, b) => a - b);
    kinds[kind] = {
      requests: of.length,
      errors: of.filter((s) => !s.ok).length,
      p50: quantile(ms, 0.5),
      p99: quantile(ms, 0.99),
      max: ms.at(-1) ?? 0,
    };
  }
  // With a publication: each answer's figure must be its generation's (the planted one after it).
  const mixed = Number.isNaN(real)
    ? 0
    : seen.filter(
        (s) =>
          s.kind === 'series' &&
          s.ok &&
          !((s.generation === after && s.value === PLANTED) || (s.generation !== after && s.value === real)),
      ).length;
  return {
    seconds: options.seconds,
    processes: options.processes,
    clients: options.clients,
    kinds,
    errors,
    mixed,
    generations,
    publishExtraMs: publish.all,
    publishExtraByGeneration: publish.byGeneration,
    quietExtraMs: publish.quiet,
    memory,
  };
}
