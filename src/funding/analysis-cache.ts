/**
 * The funding analysis, kept: adding up ten thousand lines and scoring the programs beside them is done
 * once per state of the stores, not once per page. An analysis is kept under the records version (the
 * audit log's head: every write changes it), the statistics store's state (the default deflator and
 * linked indicators come from it), what the reader may see (anonymous, the operator, or an official's
 * country, agency and roles) and the question (scope, dollars, programs shown). A kept analysis is never
 * stale; old ones age out of a small LRU, one per records store.
 * @module
 */
import { LRUCache } from 'lru-cache';
import { isOperator, type Viewer } from '../access/viewer.js';
import type { Dollars } from '../domain/funding/deflator.js';
import type { RecordsStore } from '../records/database.js';
import { recordsVersion } from '../records/records-version.js';
import { vintageSet } from '../stats/stats-state.js';
import type { StatsStore } from '../stats/stats-store.js';
import { analyseFunding, type FundingAnalysis, type FundingScope } from './funding-analysis.js';

const caches = new WeakMap<RecordsStore, LRUCache<string, Promise<FundingAnalysis>>>();

/** What the reader may see, as far as the analysis depends on it. */
function readerClass(viewer: Viewer): string {
  if (viewer === null) return 'anonymous';
  if (isOperator(viewer)) return 'operator';
  return [viewer.country, viewer.agency, [...viewer.roles].sort().join(',')].join('|');
}

/** `analyseFunding`, kept for the stores' current state. */
export async function keptAnalysis(
  store: RecordsStore,
  stats: StatsStore | undefined,
  viewer: Viewer,
  scope: FundingScope,
  dollars: Dollars = { kind: 'current' },
  options: { programLimit?: number } = {},
): Promise<FundingAnalysis> {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new LRUCache({ max: 256 })));
  const [records, vintages] = await Promise.all([recordsVersion(store), vintageSet(stats)]);
  const key = JSON.stringify([
    records,
    vintages,
    readerClass(viewer),
    scope,
    dollars,
    options.programLimit ?? null,
  ]);
  let kept = cache.get(key);
  if (!kept) {
    kept = analyseFunding(store, stats, viewer, scope, dollars, options);
    cache.set(key, kept);
    // A refusal (an unknown program) is not kept: the next reader asks again.
    kept.catch(() => cache.delete(key));
  }
  return kept;
}
