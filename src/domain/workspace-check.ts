/**
 * Checks a schema-valid workspace against itself and against what the records store already holds:
 * duplicate codes, unknown references, undeclared periods, locked periods and inconsistent values.
 * Pure: the caller passes a snapshot of the store.
 * @module
 */
import type { Issue } from '../error.js';
import { parsePeriod, periodContains, type Period } from './periods.js';
import type { Workspace } from './workspace-schema.js';

/** What the records store holds that a workspace may refer to. */
export interface KnownRecords {
  organisations: Set<string>;
  programs: Set<string>;
  /**
   * Indicator code → its program, declared disaggregation dimensions and factor, and whether results in
   * locked periods were computed with that factor.
   */
  indicators: Map<
    string,
    { program: string; disaggregations: string[]; factor: number; lockedComponents?: boolean }
  >;
  /** `framework:node` references. */
  nodes: Set<string>;
  /** Period code → whether it is locked. */
  periods: Map<string, boolean>;
  /**
   * Results stored in periods that lie within a locked period (whatever their code), by {@link resultKey},
   * as {@link lockedResultFingerprint}.
   */
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

/**
 * The canonical form of a disaggregation: its `[dimension, category]` pairs sorted by dimension, as JSON
 * (so no category text can imitate another pair), and '' for totals.
 */
export function disaggregationKey(d: Record<string, string> | undefined): string {
  const keys = Object.keys(d ?? {}).sort();
  return keys.length === 0 ? '' : JSON.stringify(keys.map((k) => [k, d![k]]));
}

/** The locked period that contains `code`, if any: a lock covers every period inside its dates. */
export function lockingPeriod(code: string, locked: Period[]): string | undefined {
  const period = parsePeriod(code);
  return period ? locked.find((l) => periodContains(l, period))?.code : undefined;
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

  const lockedPeriods = [...known.periods]
    .filter(([, locked]) => locked)
    .map(([code]) => parsePeriod(code))
    .filter((p): p is Period => p !== undefined);

  // Periods: declared once; anything referenced must be declared here or in the store.
  duplicates(ws.periods, (p) => parsePeriod(p.code)?.code ?? p.code, 'periods', 'period');
  const periods = new Map(known.periods);
  ws.periods?.forEach((p, i) => {
    checkAgency(p.agency, `periods[${i}]`);
    if (known.periods.get(p.code) === true && p.locked === false)
      add(`periods[${i}].locked`, `period ${p.code} is locked; unlocking is not done by loading a file`);
    periods.set(p.code, (known.periods.get(p.code) ?? false) || p.locked === true);
  });
  const lockedHere = [...periods]
    .filter(([, locked]) => locked)
    .map(([code]) => parsePeriod(code))
    .filter((p): p is Period => p !== undefined);
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
      const stored = known.indicators.get(ind.code);
      if (stored && stored.program !== program.code)
        add(
          `${path}.code`,
          `indicator ${ind.code} belongs to program ${stored.program}; indicator codes are unique across programs`,
        );
      if (stored?.lockedComponents && stored.factor !== (ind.factor ?? 1))
        add(
          `${path}.factor`,
          `results of ${ind.code} in locked periods were computed with factor ${stored.factor}; the factor cannot change`,
        );
      indicators.set(ind.code, {
        program: program.code,
        disaggregations: ind.disaggregations ?? [],
        factor: ind.factor ?? 1,
      });
      if (ind.denominator && ind.aggregation !== 'ratio_of_sums')
        add(
          `${path}.aggregation`,
          'an indicator with a denominator is a rate or ratio: aggregate it with ratio_of_sums (rates are never averaged or added)',
        );
      const baselineValue = ind.baseline?.value;
      const wrongSide = (target: number) =>
        baselineValue !== undefined &&
        (ind.direction === 'decrease' ? target > baselineValue : target < baselineValue);
      if (ind.baseline && baselineValue === undefined && !ind.series)
        add(
          `${path}.baseline.value`,
          'required: a baseline value (only a statistics-linked indicator computes it)',
        );
      if (ind.series && ind.series.per === undefined && ind.denominator)
        add(`${path}.series.per`, 'a rate indicator linked to statistics needs per (for example 100000)');
      const sideMessage = (target: number) =>
        `target ${target} is ${ind.direction === 'decrease' ? 'above' : 'below'} the baseline ${ind.baseline!.value}, but ${ind.direction === 'decrease' ? 'lower' : 'higher'} is better: % of target met would reward moving the wrong way; fix the target or the direction`;
      ind.targets?.forEach((t, ti) => {
        if (wrongSide(t.value)) add(`${path}.targets[${ti}].value`, sideMessage(t.value));
      });
      if (ind.lop_target !== undefined && wrongSide(ind.lop_target))
        add(`${path}.lop_target`, sideMessage(ind.lop_target));
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
        const lock = lockingPeriod(t.period, lockedPeriods);
        const locked = known.lockedTargets.get(`${ind.code}|${t.period}|${t.place ?? ''}`);
        if (lock && locked !== lockedTargetFingerprint({ value: t.value, ...owned(t) }))
          add(`${tpath}.period`, `period ${lock} is locked; targets within it cannot change`);
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
      const value = resolvedValue(r, indicator.factor);
      if (value !== null && !Number.isFinite(value))
        add(`${path}.value`, 'the value is not a finite number (check the numerator and denominator)');
    }
    checkPeriod(r.period, `${path}.period`);
    const lock = lockingPeriod(r.period, lockedPeriods);
    // Locked by the store, or by a period this file locks (a year locks its quarters and months too).
    if (
      r.status === 'locked' &&
      periods.get(r.period) !== true &&
      !lock &&
      !lockingPeriod(r.period, lockedHere)
    )
      add(`${path}.status`, 'status locked is set by locking the period, not by a result');
    if (lock) {
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
        add(`${path}.period`, `period ${lock} is locked; results within it cannot be added or edited`);
    }
  });
  return issues;
}
