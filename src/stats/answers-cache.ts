/**
 * Answers read from the statistics store and asked again and again, kept with the metadata they were read
 * under: the population behind every rate is the same for each query about the same places, and reading
 * it was half of a large series query. A write to the store drops its metadata (`StatsStore.invalidate`),
 * and every answer kept with it, so a kept answer never outlives the data it came from. The cache holds at
 * most `MAX_FIGURES` figures (a place's value for one period) per store, least recently used out first.
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { Bucketed, BucketedQuery } from './series-sql.js';
import type { StatsMetadata } from './stats-store.js';

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
