/**
 * Roll-ups of indicator statuses: counts per status, programs, framework nodes (a node counts every
 * program serving it or a node below it), and outcome coverage (the share of programs with an outcome or
 * impact indicator).
 * @module
 */
import { finiteOrNull } from './aggregation.js';
import type { IndicatorLevel, IndicatorScore, Status, StatusCounts } from './score-types.js';

const zeroCounts = (): StatusCounts => ({ green: 0, amber: 0, red: 0, no_data: 0, total: 0 });

/** Tallies statuses for a scorecard summary; `total` always equals the sum of the four buckets. */
export function countStatuses(statuses: Status[]): StatusCounts {
  const counts = zeroCounts();
  for (const s of statuses) {
    counts[s] += 1;
    counts.total += 1;
  }
  return counts;
}

function assertUniqueCodes(programs: { code: string }[]): void {
  const seen = new Set<string>();
  for (const p of programs) {
    if (seen.has(p.code)) throw new Error(`Program "${p.code}" appears more than once`);
    seen.add(p.code);
  }
}

/**
 * Status counts of each program's indicators, keyed by program code. A repeated program code throws,
 * since merging or overwriting would silently miscount.
 */
export function rollupPrograms(
  programs: { code: string; indicators: IndicatorScore[] }[],
): Map<string, StatusCounts> {
  assertUniqueCodes(programs);
  const out = new Map<string, StatusCounts>();
  for (const p of programs) out.set(p.code, countStatuses(p.indicators.map((i) => i.status)));
  return out;
}

/**
 * Status counts for every framework node over the programs linked to it or to any descendant. A program
 * linked at several levels of one branch is counted once per node, so a goal's totals never exceed the
 * number of indicators it actually has. Every node gets an entry, zero when nothing is linked. Links to
 * unknown nodes are ignored; a parent outside `nodes` ends the chain. Cycles in parent links and
 * repeated node ids or program codes throw, because a roll-up over them has no meaning.
 */
export function rollupNodes(
  nodes: { id: string; parent: string | null }[],
  programs: { code: string; nodes: string[]; indicators: IndicatorScore[] }[],
): Map<string, StatusCounts & { programs: number }> {
  assertUniqueCodes(programs);
  const parentOf = new Map<string, string | null>();
  for (const n of nodes) {
    if (parentOf.has(n.id)) throw new Error(`Node "${n.id}" appears more than once`);
    parentOf.set(n.id, n.parent);
  }

  // Node itself plus all its ancestors, detecting cycles on the way up.
  const lineage = new Map<string, string[]>();
  for (const n of nodes) {
    const chain: string[] = [];
    const seen = new Set<string>();
    let cur: string | null | undefined = n.id;
    while (cur != null && parentOf.has(cur)) {
      if (seen.has(cur))
        throw new Error(`Cycle in framework node parent links at node "${cur}" (from "${n.id}")`);
      seen.add(cur);
      chain.push(cur);
      cur = parentOf.get(cur);
    }
    lineage.set(n.id, chain);
  }

  const programsAt = new Map<string, Set<string>>(nodes.map((n) => [n.id, new Set<string>()]));
  for (const p of programs) {
    for (const linked of p.nodes) {
      for (const id of lineage.get(linked) ?? []) programsAt.get(id)!.add(p.code);
    }
  }

  const byCode = new Map(programs.map((p) => [p.code, p]));
  const out = new Map<string, StatusCounts & { programs: number }>();
  for (const n of nodes) {
    const codes = programsAt.get(n.id)!;
    const statuses = [...codes].flatMap((c) => byCode.get(c)!.indicators.map((i) => i.status));
    out.set(n.id, { ...countStatuses(statuses), programs: codes.size });
  }
  return out;
}

/**
 * Share of programs, and of dollars, tied to at least one outcome or impact indicator — the test of
 * whether a portfolio measures results or only activity. Dollar figures are null when no program has a
 * dollar amount (unknown is not zero); `dollarShare` is also null when the known dollars total zero.
 * Non-finite dollar amounts count as unknown. `without` lists the uncovered programs, sorted.
 */
export function outcomeCoverage(
  programs: { code: string; levels: IndicatorLevel[]; dollars?: number | null }[],
): {
  programs: number;
  withOutcome: number;
  share: number | null;
  dollars: number | null;
  dollarsWithOutcome: number | null;
  dollarShare: number | null;
  without: string[];
} {
  let withOutcome = 0;
  let anyDollars = false;
  let dollars = 0;
  let dollarsWithOutcome = 0;
  const without: string[] = [];
  for (const p of programs) {
    const covered = p.levels.some((l) => l === 'outcome' || l === 'impact');
    const d = finiteOrNull(p.dollars);
    if (d !== null) {
      anyDollars = true;
      dollars += d;
      if (covered) dollarsWithOutcome += d;
    }
    if (covered) withOutcome += 1;
    else without.push(p.code);
  }
  without.sort();
  return {
    programs: programs.length,
    withOutcome,
    share: programs.length === 0 ? null : withOutcome / programs.length,
    dollars: anyDollars ? dollars : null,
    dollarsWithOutcome: anyDollars ? dollarsWithOutcome : null,
    dollarShare: anyDollars && dollars !== 0 ? dollarsWithOutcome / dollars : null,
    without,
  };
}
