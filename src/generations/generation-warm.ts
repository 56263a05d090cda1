/**
 * Readying a newly published statistics generation before a process's readers move to it. Its metadata
 * (coverage, vintages in force, places) is read, and the answers most asked of the generation being left
 * are computed again from the new one: the population behind rates (`src/stats/answers-cache.ts`), then
 * whole answers such as a map's polygons or the series every profile of a state shares
 * (`src/stats/generation-memo.ts`). Without it, the first requests after a publication all waited on that
 * work at once, while the process still served its usual load (docs/deployment.md, sizing). Readers keep
 * the older generation meanwhile, so the work delays no one; it stops at its time budget, and whatever it
 * did not reach is computed by the request that first asks for it, as before.
 * @module
 */
import { readAgain } from '../stats/answers-cache.js';
import { computeAgain } from '../stats/generation-memo.js';
import type { StatsStore } from '../stats/stats-store.js';

export interface WarmOptions {
  /** The most answers computed again, of each kind (default 100). */
  answers?: number;
  /** How long readying may take before readers move anyway (default 5 s). */
  budgetMs?: number;
}

export interface Warmed {
  ms: number;
  /** Population answers read again. */
  populations: number;
  /** Whole answers computed again. */
  answers: number;
}

/**
 * Readies `next`. `inNext` runs work with every read of the process's statistics pinned to `next` (as a
 * request's reads are pinned to its generation), for the answers whose computations read through it.
 */
export async function warmGeneration(
  next: StatsStore,
  previous: StatsStore | undefined,
  inNext: <T>(work: () => Promise<T>) => Promise<T>,
  options: WarmOptions = {},
): Promise<Warmed> {
  const started = Date.now();
  const deadline = started + (options.budgetMs ?? 5000);
  const limit = options.answers ?? 100;
  await next.metadata();
  let populations = 0;
  let answers = 0;
  if (previous) {
    const earlier = await previous.metadata();
    populations = await readAgain(earlier, next, limit, deadline);
    answers = await inNext(() => computeAgain(earlier, limit, deadline));
  }
  return { ms: Date.now() - started, populations, answers };
}
