/**
 * Indicators that an approval moved into amber or red. For the programs of the results a pass of the
 * notifier saw approved, the public scorecard (public indicators, published public results, the
 * default thresholds; official-use indicators have no threshold notices yet) is
 * scored twice: as it stands, and without those results; an indicator whose status is worse now, and
 * amber or red, is an event. A result approved again after a change counts the same way: without it the
 * indicator had only the results published before.
 * @module
 */
import { canSee } from '../access/rules.js';
import { hasRole } from '../access/viewer.js';
import type { ResultEvent } from '../domain/notification-events.js';
import type { Status } from '../domain/score-types.js';
import { buildScorecard, type IndicatorCard } from '../indicators/scorecard.js';
import type { RecordsStore } from '../records/database.js';
import type { ActiveWebhook, Recipient, ResultSubject } from '../records/notification-repository.js';
import type { StatsStore } from '../stats/stats-store.js';

/** An indicator now amber or red, that was better before the approval. */
export interface ThresholdEvent {
  kind: 'threshold';
  event: 'threshold';
  entry: number;
  at: string;
  actor: string;
  indicator: string;
  indicator_en: string;
  indicator_es: string;
  program: string;
  status: 'amber' | 'red';
  before: Status;
  /** The target period the status is of, and its share of the target met (0.62 = 62 %). */
  period: string | null;
  percentMet: number | null;
  classification: 'public' | 'official_use' | 'restricted';
  country: 'US' | 'MX';
  agency: string;
}

/** Worse is higher; no data and green are alike: neither needs anyone's attention. */
const RANK: Record<Status, number> = { no_data: 0, green: 0, amber: 1, red: 2 };

/** The threshold events of the approvals among `events`. */
export async function thresholdsCrossed(
  store: RecordsStore,
  stats: StatsStore | undefined,
  events: readonly ResultEvent[],
  subjects: ReadonlyMap<number, ResultSubject>,
): Promise<ThresholdEvent[]> {
  const approvals = events.filter((e) => e.event === 'approved' && subjects.has(e.result));
  if (approvals.length === 0) return [];
  const programs = [...new Set(approvals.map((e) => subjects.get(e.result)!.program))];
  const ids = new Set(approvals.map((e) => e.result));
  const scored = async (withoutResults?: ReadonlySet<number>) =>
    new Map(
      // The public scorecard: public indicators and their published, public results, so that a notice
      // never tells anyone of a figure they may not see.
      (
        await buildScorecard(store, {
          programs,
          stats,
          viewer: null,
          publishedOnly: true,
          ...(withoutResults ? { withoutResults } : {}),
        })
      ).programs.flatMap((p) => p.indicators.map((i): [string, IndicatorCard] => [i.code, i])),
    );
  const [now, before] = await Promise.all([scored(), scored(ids)]);
  const owners = new Map(
    (
      await store.db
        .selectFrom('indicators')
        .innerJoin('programs', 'programs.id', 'indicators.program_id')
        .select([
          'indicators.code',
          'programs.code as program',
          'indicators.classification',
          'indicators.country',
          'indicators.agency',
        ])
        .where('indicators.code', 'in', [...now.keys(), ''])
        .execute()
    ).map((r) => [r.code, r]),
  );
  const out: ThresholdEvent[] = [];
  for (const [code, card] of now) {
    const was = before.get(code)?.status ?? 'no_data';
    if ((card.status !== 'amber' && card.status !== 'red') || RANK[card.status] <= RANK[was]) continue;
    // The approval that tipped it: the last of this pass's approvals of this indicator.
    const cause = approvals.filter((e) => subjects.get(e.result)!.indicator === code).at(-1);
    const owner = owners.get(code);
    if (!cause || !owner) continue;
    const latest = card.periods.filter((p) => p.period === card.latestPeriod && p.place === null)[0];
    out.push({
      kind: 'threshold',
      event: 'threshold',
      entry: cause.entry,
      at: cause.at,
      actor: cause.actor,
      indicator: code,
      indicator_en: card.name.en,
      indicator_es: card.name.es,
      program: owner.program,
      status: card.status,
      before: was,
      period: card.latestPeriod,
      percentMet: latest?.percentMet ?? null,
      classification: owner.classification,
      country: owner.country,
      agency: owner.agency,
    });
  }
  return out;
}

/**
 * Who is told that an indicator crossed a threshold: the reporters of its own country and agency, who
 * run the program, and the approvers of both countries, who answer for its results; each only if they
 * may see the indicator, and never the official whose approval tipped it.
 */
export function thresholdRecipients(event: ThresholdEvent, people: readonly Recipient[]): Recipient[] {
  return people.filter((p) => {
    if (p.user === event.actor) return false;
    const official = { user: p.user, country: p.country, agency: p.agency, roles: p.roles };
    const concerned =
      (p.country === event.country && p.agency === event.agency && hasRole(official, 'reporter')) ||
      hasRole(official, 'approver');
    return concerned && canSee(official, event);
  });
}

/** The webhooks subscribed to threshold notices whose country may see the indicator. */
export function thresholdWebhooks(event: ThresholdEvent, hooks: readonly ActiveWebhook[]): ActiveWebhook[] {
  return hooks.filter(
    (h) =>
      h.events.includes('threshold') &&
      canSee(
        { user: `webhook:${h.id}`, country: h.country, agency: '', roles: ['reporter', 'approver'] },
        event,
      ),
  );
}
