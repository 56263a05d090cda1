/**
 * Answers read from the statistics store and asked again and again, kept with the metadata they were read
 * under: the population behind every rate is the same for each query about the same places, and reading
 * it was half of a large series query. A write to the store drops its metadata (`StatsStore.invalidate`),
 * and every answer kept with it, so a kept answer never outlives the data it came from. The cache holds at
 * most `MAX_FIGURES` figures (a place's value for one period) per store, least recently used out first.
 * A newer state of the store can read the most asked answers again before readers move to it
 * ({@link readAgain}, used when a statistics generation is published).
 * @module
 */
import { LRUCache } from 'lru-cache';
import { bucketedAll, type Bucketed, type BucketedQuery } from './series-sql.js';
import type { StatsMetadata, StatsStore } from './stats-store.js';

/** About 15 MB: every municipality of Mexico by month for four years, or by year for all of them. */
export const MAX_FIGURES = 400_000;

const caches = new WeakMap<StatsMetadata, LRUCache<string, Bucketed>>();

function cacheOf(meta: StatsMetadata): LRUCache<string, Bucketed> {
  let cache = caches.get(meta);
  if (!cache) {
    cache = new LRUCache<string, Bucketed>({
      maxSize: MAX_FIGURES,
      // An answer bigger than the whole cache is not kept.
      maxEntrySize: MAX_FIGURES,
      sizeCalculation: (answer) => answer.values.length + 1,
    });
    caches.set(meta, cache);
  }
  return cache;
}

/** The kept answer to `query` under `meta`, or undefined. Callers must not change what it returns. */
export function keptAnswer(meta: StatsMetadata, query: BucketedQuery): Bucketed | undefined {
  return cacheOf(meta).get(JSON.stringify(query));
}

/** Keeps `answer` to `query` under `meta`, until the store's next write or until it is the least used. */
export function keepAnswer(meta: StatsMetadata, query: BucketedQuery, answer: Bucketed): void {
  cacheOf(meta).set(JSON.stringify(query), answer);
}

/**
 * The first `limit` of `items`, taken at once: requests still reading the older state reorder its cache
 * while the newer state is readied, and a live iterator would then skip or repeat.
 */
export function firstOf<T>(items: Iterable<T>, limit: number): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (out.length >= limit) break;
    out.push(item);
  }
  return out;
}

/**
 * Reads again from `stats`, one after another, the answers most recently asked under `earlier` (an
 * earlier state's metadata), and keeps them under `stats`'s metadata: at most `limit` of them, and none
 * begun after `deadline` (a `Date.now()` time). Gives how many were read; one the store now refuses (its
 * source withdrawn) is left for the next request, which says why.
 */
export async function readAgain(
  earlier: StatsMetadata,
  stats: StatsStore,
  limit: number,
  deadline: number,
): Promise<number> {
  const cache = caches.get(earlier);
  if (!cache) return 0;
  const meta = await stats.metadata();
  let read = 0;
  for (const key of firstOf(cache.keys(), limit)) {
    if (Date.now() >= deadline) break;
    const query = JSON.parse(key) as BucketedQuery;
    try {
      const [answer] = await bucketedAll(stats, [query]);
      if (!answer) continue;
      keepAnswer(meta, query, answer);
      read++;
    } catch {
      // Not kept: the request that asks reads it, and says why if it fails.
    }
  }
  return read;
}
