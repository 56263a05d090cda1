/**
 * The statistics store as a series of generations, for several processes sharing one statistics
 * directory and one PostgreSQL records store. Each process opens the newest generation read-only (DuckDB
 * lets many processes read one file) and moves to a newer one when it is published: it hears the notice
 * (`LISTEN`), and looks every few seconds in case a notice was missed. A request, a job or any other
 * piece of work pinned with `pin` reads one generation from start to end, even if a newer one arrives
 * meanwhile; the older generation is closed once nothing pinned to it is left and a grace time has
 * passed (for a response still streaming). Writes (`exclusive`) build and publish the next generation
 * (`generation-writer.ts`).
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError, EXIT } from '../error.js';
import type { Logger } from '../log.js';
import type { RecordsStore } from '../records/database.js';
import {
  GENERATION_CHANNEL,
  currentGeneration,
  dropHolder,
  isRemoved,
  reportHolder,
  type GenerationRow,
} from '../records/generation-repository.js';
import { openStats, type StatsStore } from '../stats/stats-store.js';
import { collectGenerations } from './generation-collector.js';
import { warmGeneration, type WarmOptions } from './generation-warm.js';
import { buildGeneration } from './generation-writer.js';

export interface GenerationOptions {
  records: RecordsStore;
  /** The statistics directory every process shares (or holds a copy of). */
  dir: string;
  /** Who publishes the first generation, when there is none yet (for the audit log). */
  actor: string;
  log: Logger;
  /** A single-file store to make the first generation from (see `WriterOptions.from`). */
  from?: string;
  /** How long a generation stays open after its last reader leaves (default 30 s). */
  graceMs?: number;
  /** How often the process reports what it holds and looks for a newer generation (default 5 s). */
  tickMs?: number;
  /** After how long without a report a process is taken for dead (default 60 s). */
  staleMs?: number;
  /** How a new generation is readied before reads move to it (`generation-warm.ts`). */
  warm?: WarmOptions;
}

export interface GenerationStats extends StatsStore {
  pin<T>(work: () => Promise<T>): Promise<T>;
  generation(): number;
  /** Looks for a newer generation now, and opens it. */
  refresh(): Promise<void>;
  shutdown(): Promise<void>;
}

interface Held {
  row: GenerationRow;
  stats: StatsStore;
  refs: number;
  retiredAt?: number;
}

export async function openGenerations(options: GenerationOptions): Promise<GenerationStats> {
  const { records, dir, log } = options;
  if (records.kind !== 'postgres' || !records.listen)
    throw new CliError({ key: 'stores.generationsNeedPostgres', values: {} }, EXIT.invalid);
  const graceMs = options.graceMs ?? 30_000;
  const tickMs = options.tickMs ?? 5_000;
  const staleMs = options.staleMs ?? 60_000;
  const warm = options.warm ?? {};
  await mkdir(dir, { recursive: true });
  const holder = {
    holder: `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    host: os.hostname(),
    pid: process.pid,
  };
  const pinned = new AsyncLocalStorage<Held>();
  const retired = new Set<Held>();
  let current: Held | undefined;
  let closed = false;
  let missingReported = false;
  const writer = { records, dir, actor: options.actor, log, ...(options.from ? { from: options.from } : {}) };

  const oldest = () => Math.min(...[current!, ...retired].map((h) => h.row.number));
  const report = (oldestHeld = oldest()) => reportHolder(records, { ...holder, oldest: oldestHeld });

  /** Closes the retired generations nothing holds any more, once their grace time is over. */
  const sweep = () => {
    for (const held of retired)
      if (held.refs === 0 && Date.now() - held.retiredAt! >= graceMs) {
        held.stats.close();
        retired.delete(held);
        log.debug({ generation: held.row.number }, 'statistics: generation closed');
      }
  };

  const missing = (row: GenerationRow) =>
    new CliError(
      { key: 'stores.generationMissing', values: { number: row.number, file: row.file, dir } },
      EXIT.notFound,
    );

  const switchTo = async (row: GenerationRow): Promise<void> => {
    if (closed || (current && row.number <= current.row.number)) return;
    const file = path.join(dir, row.file);
    if (!existsSync(file)) throw missing(row);
    // Said before it is opened, then looked at again: a collector that ran in between may have taken it.
    await report(Math.min(row.number, current ? oldest() : row.number));
    if (await isRemoved(records, row.number)) throw missing(row);
    let stats: StatsStore;
    try {
      stats = await openStats({ file, readOnly: true });
    } catch (error) {
      if (!existsSync(file)) throw missing(row);
      throw error;
    }
    if (closed) return stats.close();
    const next: Held = { row, stats, refs: 0 };
    let readied = {};
    try {
      readied = await warmGeneration(stats, current?.stats, (work) => pinned.run(next, work), warm);
    } catch (error) {
      // Readying is only for speed: the requests that ask compute what it could not.
      log.warn({ err: error, generation: row.number }, 'statistics: could not ready the generation');
    }
    if (closed) return stats.close();
    const previous = current;
    current = next;
    missingReported = false;
    if (previous) {
      previous.retiredAt = Date.now();
      retired.add(previous);
    }
    log.info({ generation: row.number, file: row.file, readied }, 'statistics: reading generation');
  };

  // Opens and switches run one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  const refresh = () =>
    serial(async () => {
      const row = await currentGeneration(records);
      if (row) await switchTo(row);
    });

  // The first generation, when there is none: made from the single-file store, or empty.
  await serial(async () => {
    for (let attempt = 1; ; attempt++) {
      let row = await currentGeneration(records);
      // Another process may make the first one meanwhile: then this one publishes nothing, and reads it.
      if (!row) row = (await buildGeneration(writer, async () => undefined)).published;
      row ??= await currentGeneration(records);
      try {
        await switchTo(row!);
        return;
      } catch (error) {
        // Published and collected between the look and the open: look again.
        if (attempt >= 3 || !(error instanceof CliError)) throw error;
      }
    }
  });

  let ticking: Promise<void> = Promise.resolve();
  const tick = async () => {
    if (closed) return;
    try {
      await refresh();
    } catch (error) {
      log.warn({ err: error }, 'statistics: could not open the newest generation; reading the one open');
    }
    sweep();
    if (current && !existsSync(path.join(dir, current.row.file)) && !missingReported) {
      missingReported = true;
      log.error(
        { generation: current.row.number, file: current.row.file },
        'statistics: the open generation’s file was removed; reads go on from the open file until a newer generation is published',
      );
    }
    try {
      if (closed) return;
      await report();
      await collectGenerations(records, dir, staleMs, log);
    } catch (error) {
      log.warn({ err: error }, 'statistics: could not report to the records store; will try again');
    }
  };
  const timer = setInterval(() => void (ticking = tick()), tickMs);
  timer.unref();
  /** Starts listening; when it cannot, what is open is closed before the error goes on. */
  const listening = async (start: () => Promise<() => Promise<void>>) => {
    try {
      return await start();
    } catch (error) {
      closed = true;
      clearInterval(timer);
      current?.stats.close();
      throw error;
    }
  };
  const stopListening = await listening(() =>
    records.listen!(
      GENERATION_CHANNEL,
      () =>
        void refresh().catch((error: unknown) =>
          log.warn({ err: error }, 'statistics: could not open the announced generation'),
        ),
      () => {
        log.info('statistics: listening for generations again');
        void refresh().catch(() => undefined);
      },
    ),
  );

  const active = () => pinned.getStore() ?? current!;
  let writes: Promise<unknown> = Promise.resolve();
  const store: GenerationStats = {
    get con() {
      return active().stats.con;
    },
    get location() {
      return path.join(dir, active().row.file);
    },
    all: (sql, params) => active().stats.all(sql, params),
    metadata: () => active().stats.metadata(),
    invalidate: () => active().stats.invalidate(),
    exclusive(work) {
      // One write at a time in this process before the records store's lock: ten writes waiting on the
      // lock would otherwise hold every pooled connection, and the one holding it could not publish.
      const run = writes.then(async () => {
        const { result, published } = await buildGeneration(writer, work);
        // This process reads what it wrote from now on, without waiting for the notice.
        if (published) await serial(() => switchTo(published));
        return result;
      });
      writes = run.catch(() => undefined);
      return run;
    },
    hold() {
      const held = active();
      held.refs++;
      let released = false;
      return {
        stats: held.stats,
        generation: held.row.number,
        release() {
          if (released) return;
          released = true;
          held.refs--;
          if (held !== current) setTimeout(sweep, graceMs).unref();
        },
      };
    },
    async pin(work) {
      // Work pinned inside pinned work (a job a request runs) stays on the same generation.
      const held = pinned.getStore() ?? current!;
      held.refs++;
      try {
        return await pinned.run(held, work);
      } finally {
        held.refs--;
        if (held !== current) setTimeout(sweep, graceMs).unref();
      }
    },
    generation: () => active().row.number,
    refresh,
    close() {
      void store.shutdown();
    },
    async shutdown() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      // A switch or a tick under way finishes first (it opens nothing once closed).
      await queue;
      await ticking;
      for (const held of [...retired, ...(current ? [current] : [])]) held.stats.close();
      retired.clear();
      await stopListening();
      await dropHolder(records, holder.holder).catch(() => undefined);
    },
  };
  return store;
}
