/**
 * The funding analysis, kept: adding up ten thousand lines and scoring the programs beside them is done
 * once per state of the records it reads, not once per page. Each half is kept on its own
 * (`funding-analysis.ts`):
 *
 * - the money, under the last change to any record but results and their kin (`RESULTS_ONLY`);
 * - the approved outcome results and the scorecards of the programs shown, under the last change to any
 *   record but the funding records (`MONEY_ONLY`);
 * - the whole analysis, under both.
 *
 * So a funding line saved recomputes the money alone (the scorecards of the programs shown stay kept
 * unless the ranking changes which programs those are), and a result approved recomputes the results
 * half alone. Each is also keyed by the statistics store's state (the default deflator and linked
 * indicators come from it), what the reader may see (anonymous, the operator, or an official's country,
 * agency and roles) and the question (scope, dollars, programs shown). The versions come from
 * `entityVersions`, read through lists of entities left out: an entity added later counts as a change to
 * both halves, so nothing kept is ever stale. Sign-ins, tokens, subscriptions and jobs (`UNREAD`)
 * change neither. Old analyses age out of small LRUs, one set per records store.
 * @module
 */
import { LRUCache } from 'lru-cache';
import { isOperator, type Viewer } from '../access/viewer.js';
import type { Dollars } from '../domain/funding/deflator.js';
import type { RecordsStore } from '../records/database.js';
import { publishedOutcomeResults } from '../records/funding-repository.js';
import { BOOKKEEPING, changeOf, entityVersions } from '../records/records-version.js';
import { vintageSet } from '../stats/stats-state.js';
import type { StatsStore } from '../stats/stats-store.js';
import {
  completeAnalysis,
  programCards,
  type FundingAnalysis,
  type FundingScope,
  type OutcomeRow,
  type ProgramCard,
} from './funding-analysis.js';
import { fundingMoney, type FundingMoney } from './funding-money.js';

/** Records the analysis never reads: sign-ins, users' counters, tokens, subscriptions, background jobs. */
export const UNREAD = BOOKKEEPING;
/** Records the money half alone reads. */
export const MONEY_ONLY = ['funding line', 'account', 'exchange rate', 'deflator'] as const;
/** Records the results half alone reads (the money reads programs and the framework, never these). */
export const RESULTS_ONLY = [
  'result',
  'target',
  'indicator',
  'period',
  'lesson',
  'risk',
  'practice',
  'attachment',
  'evaluation',
  'benchmark',
  'intervention',
] as const;

interface Kept {
  whole: LRUCache<string, Promise<FundingAnalysis>>;
  money: LRUCache<string, Promise<FundingMoney>>;
  outcomes: LRUCache<string, Promise<OutcomeRow[]>>;
  cards: LRUCache<string, Promise<ProgramCard[]>>;
}

const caches = new WeakMap<RecordsStore, Kept>();

function keptFor(store: RecordsStore): Kept {
  let kept = caches.get(store);
  if (!kept) {
    // The money of the country holds every line: fewer of those are kept than of the small results.
    kept = {
      whole: new LRUCache({ max: 128 }),
      money: new LRUCache({ max: 32 }),
      outcomes: new LRUCache({ max: 4 }),
      cards: new LRUCache({ max: 64 }),
    };
    caches.set(store, kept);
  }
  return kept;
}

/** `make()`, kept under `key`; a refusal (an unknown program) is not kept: the next reader asks again. */
function keep<T>(cache: LRUCache<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let kept = cache.get(key);
  if (!kept) {
    kept = make();
    cache.set(key, kept);
    kept.catch(() => cache.delete(key));
  }
  return kept;
}

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
  const kept = keptFor(store);
  const [versions, vintages] = await Promise.all([entityVersions(store), vintageSet(stats)]);
  const moneyAt = changeOf(versions, [...RESULTS_ONLY, ...UNREAD]);
  const resultsAt = changeOf(versions, [...MONEY_ONLY, ...UNREAD]);
  const reader = readerClass(viewer);
  const question = [vintages, reader, scope, dollars];
  return keep(
    kept.whole,
    JSON.stringify([moneyAt, resultsAt, ...question, options.programLimit ?? null]),
    async () => {
      const money = await keep(kept.money, JSON.stringify([moneyAt, ...question]), () =>
        fundingMoney(store, stats, viewer, scope, dollars),
      );
      return completeAnalysis(
        money,
        viewer,
        {
          outcomes: () => keep(kept.outcomes, String(resultsAt), () => publishedOutcomeResults(store.db)),
          cards: (codes) =>
            keep(kept.cards, JSON.stringify([resultsAt, vintages, reader, codes]), () =>
              programCards(store, stats, viewer, codes),
            ),
        },
        options,
      );
    },
  );
}
