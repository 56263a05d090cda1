/**
 * Whole answers computed once per state of the statistics store: a map's polygons, or the state's and
 * the country's series that the profiles of every municipality of a state share. Every write to the store
 * (an import, a rollback, a catalogue) renews its metadata object (`StatsStore.invalidate`), and the
 * answers kept under it go with it, so an answer never outlives the data it was computed from. Like the
 * population answers of `answers-cache.ts`, at most {@link MEMO_ENTRIES} are kept per state, least
 * recently used out first; a failure is not kept, so the next request tries again.
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { StatsMetadata, StatsStore } from './stats-store.js';

export const MEMO_ENTRIES = 1000;

const memos = new WeakMap<StatsMetadata, LRUCache<string, Promise<unknown>>>();

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
  let answer = memo.get(key) as Promise<T> | undefined;
  if (!answer) {
    answer = compute(meta);
    memo.set(key, answer);
    const kept = memo;
    answer.catch(() => {
      if (kept.get(key) === answer) kept.delete(key);
    });
  }
  return answer;
}
