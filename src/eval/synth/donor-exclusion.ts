/**
 * Donors touched by other interventions: a synthetic control built from places that were themselves
 * treated in the window (another operation, a capture) mixes their effect into the counterfactual. The
 * specification names the event types or ids that disqualify a donor (`exclude`); every unit with such
 * an event dated inside the panel's window is left out of the donors, and listed with the units of other
 * cohorts (`excluded`).
 * @module
 */
import { z } from 'zod';
import type { Intervention } from '../../domain/interventions.js';
import { textIssue, ValidationError } from '../../error.js';

export const DonorExclusion = z
  .object({
    /** Event types whose places are no donors (e.g. `[military_operation, leader_capture]`). */
    types: z.array(z.string().min(1)).min(1).optional(),
    /** Event ids whose places are no donors. */
    events: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
export type DonorExclusion = z.output<typeof DonorExclusion>;

/** The first and last day a panel's period codes cover (`2012`, `2012-06`, `2012-Q2`), as date strings. */
function window(from: string, to: string): [string, string] {
  const quarter = (code: string, last: boolean) =>
    code.replace(
      /-Q([1-4])$/,
      (_, q: string) => `-${String((Number(q) - 1) * 3 + (last ? 3 : 1)).padStart(2, '0')}`,
    );
  // A string bound past any day of the last period: '2012' ends before '2012-99', '2012-06' before '2012-06-99'.
  return [quarter(from, false), `${quarter(to, true)}-99`];
}

/**
 * The units of `units` with an excluding event dated inside the window. In a state panel a municipal
 * event disqualifies its state; in a municipal panel a state event disqualifies every municipality of it.
 */
export function excludedDonors(
  interventions: readonly Intervention[],
  panel: { level: 'state' | 'municipality'; from: string; to: string },
  units: readonly string[],
  exclude: DonorExclusion,
  path = 'exclude',
): Set<string> {
  // A type or id no intervention has is a typo that would keep treated places among the donors.
  const issues = [
    ...(exclude.types ?? []).flatMap((type, i) =>
      interventions.some((e) => e.type === type)
        ? []
        : [textIssue(`${path}.types[${i}]`, 'validation.synth.excludeUnknown', { name: type })],
    ),
    ...(exclude.events ?? []).flatMap((id, i) =>
      interventions.some((e) => e.id === id)
        ? []
        : [textIssue(`${path}.events[${i}]`, 'validation.synth.excludeUnknown', { name: id })],
    ),
  ];
  if (issues.length) throw new ValidationError(issues);
  const [start, end] = window(panel.from, panel.to);
  const known = new Set(units);
  const out = new Set<string>();
  for (const e of interventions) {
    if (!(exclude.types?.includes(e.type) || exclude.events?.includes(e.id))) continue;
    if (e.date < start || e.date > end) continue;
    for (const place of e.places) {
      if (panel.level === 'state') {
        if (known.has(place.slice(0, 2))) out.add(place.slice(0, 2));
      } else if (e.level === 'municipality') {
        if (known.has(place)) out.add(place);
      } else for (const unit of units) if (unit.startsWith(place)) out.add(unit);
    }
  }
  return out;
}
