/**
 * Checks a schema-valid workspace against itself and against what the records store already holds:
 * duplicate codes, unknown references, undeclared periods, locked periods and inconsistent values.
 * Pure: the caller passes a snapshot of the store.
 * @module
 */
import type { Issue } from '../error.js';
import { parsePeriod } from './periods.js';
import type { Workspace } from './workspace-schema.js';

/** What the records store holds that a workspace may refer to. */
export interface KnownRecords {
  organisations: Set<string>;
  programs: Set<string>;
  /** Indicator code → its declared disaggregation dimensions and factor. */
  indicators: Map<string, { disaggregations: string[]; factor: number }>;
  /** `framework:node` references. */
  nodes: Set<string>;
  /** Period code → whether it is locked. */
  periods: Map<string, boolean>;
  /** Results stored in locked periods, by {@link resultKey}, as canonical JSON of their editable fields. */
  lockedResults: Map<string, string>;
  /** Targets stored in locked periods, by `indicator|period|place`, as {@link lockedTargetFingerprint}. */
  lockedTargets: Map<string, string>;
}

export const emptyKnown = (): KnownRecords => ({
  organisations: new Set(),
  programs: new Set(),
  indicators: new Map(),
  nodes: new Set(),
  periods: new Map(),
  lockedResults: new Map(),
  lockedTargets: new Map(),
});

/** The canonical form of a disaggregation, `dim=value;dim=value` with sorted dimensions ('' for totals). */
export function disaggregationKey(d: Record<string, string> | undefined): string {
  if (!d) return '';
  return Object.keys(d)
    .sort()
    .map((k) => `${k}=${d[k]}`)
    .join(';');
}

export function resultKey(indicator: string, period: string, place: string, disaggregation: string): string {
  return `${indicator}|${period}|${place}|${disaggregation}`;
}

/** Who owns a record and how it is classified: part of what a locked period freezes. */
export interface OwnershipFields {
  country: string;
  agency: string;
  classification: string;
}

/** Every field of a result that a locked period freezes. */
export function lockedResultFingerprint(
  r: {
    value: number | null;
    numerator: number | null;
    denominator: number | null;
    comment: string | null;
    evidence: string | null;
  } & OwnershipFields,
): string {
  return JSON.stringify([
    r.value,
    r.numerator,
    r.denominator,
    r.comment,
    r.evidence,
    r.country,
    r.agency,
    r.classification,
  ]);
}

/** Every field of a target that a locked period freezes. */
export function lockedTargetFingerprint(t: { value: number } & OwnershipFields): string {
  return JSON.stringify([t.value, t.country, t.agency, t.classification]);
}

/** A result's value: as given, or computed from its numerator and denominator. */
export function resolvedValue(
  r: { value?: number | null | undefined; numerator?: number | undefined; denominator?: number | undefined },
  factor: number,
): number | null {
  if (r.value != null) return r.value;
  if (r.numerator !== undefined && r.denominator !== undefined) return (r.numerator / r.denominator) * factor;
  return null;
}

/** Returns every problem found; an empty list means the workspace may be written. */
export function checkWorkspace(ws: Workspace, known: KnownRecords): Issue[] {
  const issues: Issue[] = [];
  const owned = (r: {
    country?: string | undefined;
    agency?: string | undefined;
    classification?: string | undefined;
  }) => ({
    country: r.country ?? ws.defaults.country,
    agency: r.agency ?? ws.defaults.agency,
    classification: r.classification ?? ws.defaults.classification ?? 'public',
  });
  const add = (path: string, message: string) => issues.push({ path, message });

  const duplicates = <T>(items: T[] | undefined, key: (item: T) => string, path: string, what: string) => {
    const seen = new Map<string, number>();
    items?.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined)
        add(`${path}[${i}]`, `duplicate ${what} ${JSON.stringify(k)} (first at ${path}[${first}])`);
      else seen.set(k, i);
    });
  };

  // Organisations: codes unique, parents and agencies known.
  const orgs = new Set([...known.organisations, ...(ws.organisations ?? []).map((o) => o.code)]);
  duplicates(ws.organisations, (o) => o.code, 'organisations', 'organisation code');
  const checkAgency = (agency: string | undefined, path: string) => {
    if (agency !== undefined && !orgs.has(agency))
      add(`${path}.agency`, `unknown organisation ${JSON.stringify(agency)}; declare it under organisations`);
  };
  checkAgency(ws.defaults.agency, 'defaults');
  ws.organisations?.forEach((o, i) => {
    if (o.parent !== undefined && !orgs.has(o.parent))
      add(`organisations[${i}].parent`, `unknown organisation ${JSON.stringify(o.parent)}`);
    if (o.parent === o.code) add(`organisations[${i}].parent`, 'an organisation cannot be its own parent');
    checkAgency(o.agency, `organisations[${i}]`);
  });

  // Periods: declared once; anything referenced must be declared here or in the store.
  duplicates(ws.periods, (p) => parsePeriod(p.code)?.code ?? p.code, 'periods', 'period');
  const periods = new Map(known.periods);
  ws.periods?.forEach((p, i) => {
    checkAgency(p.agency, `periods[${i}]`);
    if (known.periods.get(p.code) === true && p.locked === false)
      add(`periods[${i}].locked`, `period ${p.code} is locked; unlocking is not done by loading a file`);
    periods.set(p.code, (known.periods.get(p.code) ?? false) || p.locked === true);
  });
  const checkPeriod = (period: string, path: string) => {
    if (!periods.has(period))
      add(
        path,
        `period ${JSON.stringify(period)} is not declared; add it under periods (or use a declared one)`,
      );
  };

  // Programs and their indicators.
  duplicates(ws.programs, (p) => p.code, 'programs', 'program code');
  const indicators = new Map(known.indicators);
  const indicatorPaths = new Map<string, string>();
  ws.programs?.forEach((program, pi) => {
    const base = `programs[${pi}]`;
    checkAgency(program.agency, base);
    for (const role of ['implementing', 'funding'] as const) {
      program[role]?.forEach((code, i) => {
        if (!orgs.has(code))
          add(
            `${base}.${role}[${i}]`,
            `unknown organisation ${JSON.stringify(code)}; declare it under organisations`,
          );
      });
    }
    program.serves?.forEach((ref, i) => {
      if (!known.nodes.has(ref))
        add(
          `${base}.serves[${i}]`,
          `unknown framework node ${JSON.stringify(ref)}; see \`marco framework show\``,
        );
    });
    duplicates(program.practices, (p) => p.practice, `${base}.practices`, 'practice');
    duplicates(program.risks, (r) => r.code, `${base}.risks`, 'risk code');
    duplicates(program.lessons, (l) => l.code, `${base}.lessons`, 'lesson code');
    program.practices?.forEach((p, i) => checkAgency(p.agency, `${base}.practices[${i}]`));
    program.risks?.forEach((r, i) => checkAgency(r.agency, `${base}.risks[${i}]`));
    program.lessons?.forEach((l, i) => checkAgency(l.agency, `${base}.lessons[${i}]`));
    program.indicators?.forEach((ind, ii) => {
      const path = `${base}.indicators[${ii}]`;
      checkAgency(ind.agency, path);
      const first = indicatorPaths.get(ind.code);
      if (first)
        add(`${path}.code`, `duplicate indicator code ${JSON.stringify(ind.code)} (first at ${first})`);
      else indicatorPaths.set(ind.code, path);
      indicators.set(ind.code, { disaggregations: ind.disaggregations ?? [], factor: ind.factor ?? 1 });
      if (ind.aggregation === 'ratio_of_sums' && (!ind.numerator || !ind.denominator))
        add(
          `${path}.aggregation`,
          'ratio_of_sums needs the indicator to define a numerator and a denominator',
        );
      if (ind.baseline && ind.baseline.period === undefined)
        add(`${path}.baseline.period`, 'required: the period the baseline value refers to');
      duplicates(
        ind.targets,
        (t) => `${t.period}|${t.place ?? ''}`,
        `${path}.targets`,
        'target period and place',
      );
      ind.targets?.forEach((t, ti) => {
        const tpath = `${path}.targets[${ti}]`;
        checkPeriod(t.period, `${tpath}.period`);
        checkAgency(t.agency, tpath);
        const locked = known.lockedTargets.get(`${ind.code}|${t.period}|${t.place ?? ''}`);
        if (
          known.periods.get(t.period) === true &&
          locked !== lockedTargetFingerprint({ value: t.value, ...owned(t) })
        )
          add(`${tpath}.period`, `period ${t.period} is locked; its targets cannot change`);
      });
    });
  });

  // Results.
  duplicates(
    ws.results,
    (r) => resultKey(r.indicator, r.period, r.place, disaggregationKey(r.disaggregation)),
    'results',
    'result for indicator, period, place and disaggregation',
  );
  ws.results?.forEach((r, i) => {
    const path = `results[${i}]`;
    checkAgency(r.agency, path);
    const indicator = indicators.get(r.indicator);
    if (!indicator) {
      add(
        `${path}.indicator`,
        `unknown indicator ${JSON.stringify(r.indicator)}; define it under a program's indicators`,
      );
    } else {
      for (const dim of Object.keys(r.disaggregation ?? {})) {
        if (!indicator.disaggregations.includes(dim))
          add(
            `${path}.disaggregation.${dim}`,
            `indicator ${r.indicator} is not disaggregated by ${JSON.stringify(dim)}` +
              (indicator.disaggregations.length
                ? ` (it declares ${indicator.disaggregations.join(', ')})`
                : ''),
          );
      }
      if (r.value != null && r.numerator !== undefined && r.denominator !== undefined) {
        const computed = (r.numerator / r.denominator) * indicator.factor;
        if (Math.abs(computed - r.value) > 1e-9 * Math.max(1, Math.abs(computed)))
          add(`${path}.value`, `value ${r.value} differs from numerator/denominator × factor = ${computed}`);
      }
    }
    checkPeriod(r.period, `${path}.period`);
    if (r.status === 'locked' && periods.get(r.period) !== true)
      add(`${path}.status`, 'status locked is set by locking the period, not by a result');
    if (known.periods.get(r.period) === true) {
      const key = resultKey(r.indicator, r.period, r.place, disaggregationKey(r.disaggregation));
      const stored = known.lockedResults.get(key);
      const incoming = lockedResultFingerprint({
        value: resolvedValue(r, indicator?.factor ?? 1),
        numerator: r.numerator ?? null,
        denominator: r.denominator ?? null,
        comment: r.comment ?? null,
        evidence: r.evidence ?? null,
        ...owned(r),
      });
      if (stored !== incoming)
        add(`${path}.period`, `period ${r.period} is locked; its results cannot be added or edited`);
    }
  });
  return issues;
}
