/**
 * Whole answers computed once per state of the statistics store: a map's polygons, or the state's and
 * the country's series that the profiles of every municipality of a state share. Every write to the store
 * (an import, a rollback, a catalogue) renews its metadata object (`StatsStore.invalidate`), and the
 * answers kept under it go with it, so an answer never outlives the data it was computed from. Like the
 * population answers of `answers-cache.ts`, at most {@link MEMO_ENTRIES} are kept per state, least
 * recently used out first; a failure is not kept, so the next request tries again.
 *
 * Each answer keeps how it was computed, so a newer state can compute the most asked ones again before
 * readers move to it ({@link computeAgain}, used when a statistics generation is published).
 * @module
 */
import { LRUCache } from 'lru-cache';
import { firstOf } from './answers-cache.js';
import type { StatsMetadata, StatsStore } from './stats-store.js';

export const MEMO_ENTRIES = 1000;

interface Kept {
  answer: Promise<unknown>;
  stats: StatsStore;
  compute: (meta: StatsMetadata) => Promise<unknown>;
}

const memos = new WeakMap<StatsMetadata, LRUCache<string, Kept>>();

/**
 * The answer of `compute` for `key` in the store's current state, computed at most once while it is
 * kept. Callers must not change what it returns: the next caller gets the same object.
 */
export async function memoInGeneration<T>(
  stats: StatsStore,
  key: string,
  compute: (meta: StatsMetadata) => Promise<T>,
): Promise<T> {
  const meta = await stats.metadata();
  let memo = memos.get(meta);
  if (!memo) memos.set(meta, (memo = new LRUCache({ max: MEMO_ENTRIES })));
  let kept = memo.get(key);
  if (!kept) {
    kept = { answer: compute(meta), stats, compute };
    memo.set(key, kept);
    const made = kept;
    const within = memo;
    made.answer.catch(() => {
      if (within.get(key) === made) within.delete(key);
    });
  }
  return kept.answer as Promise<T>;
}

/**
 * Computes again, one after another and in the state the store's reads see now, the answers most
 * recently asked under `earlier` (an earlier state's metadata): at most `limit` of them, and none begun
 * after `deadline` (a `Date.now()` time). Gives how many were computed; one that fails is left for the
 * next request to try.
 */
export async function computeAgain(earlier: StatsMetadata, limit: number, deadline: number): Promise<number> {
  const memo = memos.get(earlier);
  if (!memo) return 0;
  // Most recently used first.
  let computed = 0;
  for (const [key, kept] of firstOf(memo.entries(), limit)) {
    if (Date.now() >= deadline) break;
    try {
      await memoInGeneration(kept.stats, key, kept.compute);
      computed++;
    } catch {
      // Not kept: the next request computes it, and says why if it fails again.
    }
  }
  return computed;
}
