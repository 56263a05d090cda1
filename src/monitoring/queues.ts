/**
 * The monitoring cycle's work lists for one official, as DHIS2's data-approval app and ActivityInfo's
 * review lists give them: results of the other country awaiting the official's approval (approvers),
 * their own country's results returned by the counterpart with a comment, and those submitted and still
 * awaiting the counterpart (reporters). Each list holds only what the official may see and act on.
 * @module
 */
import { hasRole, isOperator, type Official } from '../access/viewer.js';
import type { Country } from '../domain/common-schema.js';
import type { RecordsStore } from '../records/database.js';
import { listResults, type ResultView } from '../records/result-repository.js';

export interface QueueFilter {
  program?: string | undefined;
  period?: string | undefined;
  /** The owning country of the results listed. */
  country?: Country | undefined;
}

export interface Queues {
  /** Submitted by the other country, for the official to approve or return (approvers). */
  awaiting: ResultView[];
  /** The official's own country's drafts that the counterpart returned, with its comment (reporters). */
  returned: ResultView[];
  /** The official's own country's results submitted and not yet approved (reporters). */
  submitted: ResultView[];
  /** The official's own drafts that no approver has returned: still being written (reporters). */
  drafts: ResultView[];
}

/** The programs and periods the lists' results come from: the choices of the page's filters. */
export interface QueueChoices {
  programs: { code: string; title: { en: string; es: string } }[];
  periods: string[];
}

const matches = (r: ResultView, filter: QueueFilter) =>
  (!filter.program || r.program === filter.program) &&
  (!filter.period || r.period === filter.period) &&
  (!filter.country || r.country === filter.country);

/** Whether the official reports for the result's owner: its country and, unless operator, its agency. */
const owns = (official: Official, r: ResultView) =>
  isOperator(official) || (r.country === official.country && r.agency === official.agency);

export async function reviewQueues(
  store: RecordsStore,
  official: Official,
  filter: QueueFilter = {},
): Promise<Queues & { choices: QueueChoices }> {
  const [submitted, drafts] = await Promise.all([
    listResults(store, official, { status: 'submitted' }).then((r) => r.results),
    listResults(store, official, { status: 'draft' }).then((r) => r.results),
  ]);
  const approver = hasRole(official, 'approver');
  const reporter = hasRole(official, 'reporter');
  const awaitingAll = approver ? submitted.filter((r) => r.country !== official.country) : [];
  const returnedAll = reporter ? drafts.filter((r) => r.review !== null && owns(official, r)) : [];
  const submittedAll = reporter ? submitted.filter((r) => owns(official, r)) : [];
  const draftsAll = reporter ? drafts.filter((r) => r.review === null && owns(official, r)) : [];
  const all = [...awaitingAll, ...returnedAll, ...submittedAll, ...draftsAll];
  const programs = new Map(all.map((r) => [r.program, { code: r.program, title: r.programTitle }]));
  return {
    awaiting: awaitingAll.filter((r) => matches(r, filter)),
    returned: returnedAll.filter((r) => matches(r, filter)),
    submitted: submittedAll.filter((r) => matches(r, filter)),
    drafts: draftsAll.filter((r) => matches(r, filter)),
    choices: {
      programs: [...programs.values()].sort((a, b) => a.code.localeCompare(b.code)),
      periods: [...new Set(all.map((r) => r.period))].sort(),
    },
  };
}
