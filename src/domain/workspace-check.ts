/**
 * Checks a schema-valid workspace against itself and against what the records store already holds:
 * duplicate codes, unknown references, undeclared periods, locked periods and inconsistent values.
 * Pure: the caller passes a snapshot of the store.
 * @module
 */
import { textIssue, type Issue } from '../error.js';
import { parsePeriod, periodContains, type Period } from './periods.js';
import { placeChecker, type SpinePlace } from './place-check.js';
import type { Workspace } from './workspace-schema.js';
import { workspaceFundingIssues, type KnownFunding } from './funding/workspace-funding.js';

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
  /**
   * The geography spine (the statistics store's catalogue), when the caller has one: place codes of
   * results, targets and linked series are checked against it, with the nearest codes it knows.
   * Without it, places are checked by format only.
   */
  places?: ReadonlyMap<string, SpinePlace>;
  /** The accounts added and the exchange rates stored, which funding lines are checked against. */
  funding?: KnownFunding;
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
  // Each problem in the catalogs (`validation.workspace.*`): English in `message`, the reader's language
  // wherever the error is shown.
  const add = (path: string, key: string, values: Record<string, string | number> = {}) =>
    issues.push(textIssue(path, `validation.workspace.${key}`, values));
  const unknownPlace = known.places ? placeChecker(known.places) : () => undefined;
  const checkPlace = (code: string | undefined, path: string) => {
    const found = code === undefined ? undefined : unknownPlace(code, path);
    if (found) issues.push(found);
  };

  /** `what`: the kind of key, one of `validation.workspace.duplicate.*` (`organisation`, `result`…). */
  const duplicates = <T>(items: T[] | undefined, key: (item: T) => string, path: string, what: string) => {
    const seen = new Map<string, number>();
    items?.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined)
        add(`${path}[${i}]`, `duplicate.${what}`, { key: JSON.stringify(k), first: `${path}[${first}]` });
      else seen.set(k, i);
    });
  };

  // Organisations: codes unique, parents and agencies known.
  const orgs = new Set([...known.organisations, ...(ws.organisations ?? []).map((o) => o.code)]);
  duplicates(ws.organisations, (o) => o.code, 'organisations', 'organisation');
  const checkAgency = (agency: string | undefined, path: string) => {
    if (agency !== undefined && !orgs.has(agency))
      add(`${path}.agency`, 'unknownOrganisation', { code: JSON.stringify(agency) });
  };
  checkAgency(ws.defaults.agency, 'defaults');
  ws.organisations?.forEach((o, i) => {
    if (o.parent !== undefined && !orgs.has(o.parent))
      add(`organisations[${i}].parent`, 'unknownParent', { code: JSON.stringify(o.parent) });
    if (o.parent === o.code) add(`organisations[${i}].parent`, 'ownParent');
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
      add(`periods[${i}].locked`, 'noUnlock', { period: p.code });
    periods.set(p.code, (known.periods.get(p.code) ?? false) || p.locked === true);
  });
  const lockedHere = [...periods]
    .filter(([, locked]) => locked)
    .map(([code]) => parsePeriod(code))
    .filter((p): p is Period => p !== undefined);
  const checkPeriod = (period: string, path: string) => {
    if (!periods.has(period)) add(path, 'undeclaredPeriod', { period: JSON.stringify(period) });
  };

  // Programs and their indicators.
  duplicates(ws.programs, (p) => p.code, 'programs', 'program');
  const indicators = new Map(known.indicators);
  const indicatorPaths = new Map<string, string>();
  ws.programs?.forEach((program, pi) => {
    const base = `programs[${pi}]`;
    checkAgency(program.agency, base);
    for (const role of ['implementing', 'funding'] as const) {
      program[role]?.forEach((code, i) => {
        if (!orgs.has(code))
          add(`${base}.${role}[${i}]`, 'unknownOrganisation', { code: JSON.stringify(code) });
      });
    }
    program.locations?.forEach((code, i) => checkPlace(code, `${base}.locations[${i}]`));
    program.serves?.forEach((ref, i) => {
      if (!known.nodes.has(ref)) add(`${base}.serves[${i}]`, 'unknownNode', { ref: JSON.stringify(ref) });
    });
    duplicates(program.practices, (p) => p.practice, `${base}.practices`, 'practice');
    duplicates(program.risks, (r) => r.code, `${base}.risks`, 'risk');
    duplicates(program.lessons, (l) => l.code, `${base}.lessons`, 'lesson');
    program.practices?.forEach((p, i) => checkAgency(p.agency, `${base}.practices[${i}]`));
    program.risks?.forEach((r, i) => checkAgency(r.agency, `${base}.risks[${i}]`));
    program.lessons?.forEach((l, i) => checkAgency(l.agency, `${base}.lessons[${i}]`));
    program.indicators?.forEach((ind, ii) => {
      const path = `${base}.indicators[${ii}]`;
      checkAgency(ind.agency, path);
      const first = indicatorPaths.get(ind.code);
      if (first) add(`${path}.code`, 'duplicate.indicator', { key: JSON.stringify(ind.code), first });
      else indicatorPaths.set(ind.code, path);
      const stored = known.indicators.get(ind.code);
      if (stored && stored.program !== program.code)
        add(`${path}.code`, 'otherProgram', { code: ind.code, program: stored.program });
      if (stored?.lockedComponents && stored.factor !== (ind.factor ?? 1))
        add(`${path}.factor`, 'lockedFactor', { code: ind.code, factor: String(stored.factor) });
      indicators.set(ind.code, {
        program: program.code,
        disaggregations: ind.disaggregations ?? [],
        factor: ind.factor ?? 1,
      });
      if (ind.denominator && ind.aggregation !== 'ratio_of_sums')
        add(`${path}.aggregation`, 'rateAggregation');
      const baselineValue = ind.baseline?.value;
      const wrongSide = (target: number) =>
        baselineValue !== undefined &&
        (ind.direction === 'decrease' ? target > baselineValue : target < baselineValue);
      if (ind.baseline && baselineValue === undefined && !ind.series)
        add(`${path}.baseline.value`, 'baselineValue');
      if (ind.series && ind.series.per === undefined && ind.denominator)
        add(`${path}.series.per`, 'seriesPer');
      checkPlace(ind.series?.geo, `${path}.series.geo`);
      // Numbers as written (not formatted): a target of 0.125 must read 0.125.
      const side = ind.direction === 'decrease' ? 'wrongSideDecrease' : 'wrongSideIncrease';
      const sides = (target: number) => ({ target: String(target), baseline: String(ind.baseline!.value) });
      ind.targets?.forEach((t, ti) => {
        if (wrongSide(t.value)) add(`${path}.targets[${ti}].value`, side, sides(t.value));
      });
      if (ind.lop_target !== undefined && wrongSide(ind.lop_target))
        add(`${path}.lop_target`, side, sides(ind.lop_target));
      if (ind.aggregation === 'ratio_of_sums' && (!ind.numerator || !ind.denominator))
        add(`${path}.aggregation`, 'ratioParts');
      if (ind.baseline && ind.baseline.period === undefined) add(`${path}.baseline.period`, 'baselinePeriod');
      duplicates(ind.targets, (t) => `${t.period}|${t.place ?? ''}`, `${path}.targets`, 'target');
      ind.targets?.forEach((t, ti) => {
        const tpath = `${path}.targets[${ti}]`;
        checkPeriod(t.period, `${tpath}.period`);
        checkPlace(t.place, `${tpath}.place`);
        checkAgency(t.agency, tpath);
        const lock = lockingPeriod(t.period, lockedPeriods);
        const locked = known.lockedTargets.get(`${ind.code}|${t.period}|${t.place ?? ''}`);
        if (lock && locked !== lockedTargetFingerprint({ value: t.value, ...owned(t) }))
          add(`${tpath}.period`, 'lockedTarget', { period: lock });
      });
    });
  });

  // Results.
  duplicates(
    ws.results,
    (r) => resultKey(r.indicator, r.period, r.place, disaggregationKey(r.disaggregation)),
    'results',
    'result',
  );
  ws.results?.forEach((r, i) => {
    const path = `results[${i}]`;
    checkAgency(r.agency, path);
    checkPlace(r.place, `${path}.place`);
    const indicator = indicators.get(r.indicator);
    if (!indicator) {
      add(`${path}.indicator`, 'unknownIndicator', { code: JSON.stringify(r.indicator) });
    } else {
      for (const dim of Object.keys(r.disaggregation ?? {})) {
        if (!indicator.disaggregations.includes(dim))
          add(
            `${path}.disaggregation.${dim}`,
            indicator.disaggregations.length ? 'notDisaggregatedDeclares' : 'notDisaggregated',
            {
              code: r.indicator,
              dimension: JSON.stringify(dim),
              declared: indicator.disaggregations.join(', '),
            },
          );
      }
      if (r.value != null && r.numerator !== undefined && r.denominator !== undefined) {
        const computed = (r.numerator / r.denominator) * indicator.factor;
        if (Math.abs(computed - r.value) > 1e-9 * Math.max(1, Math.abs(computed)))
          add(`${path}.value`, 'valueMismatch', { value: String(r.value), computed: String(computed) });
      }
      const value = resolvedValue(r, indicator.factor);
      if (value !== null && !Number.isFinite(value)) add(`${path}.value`, 'notFinite');
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
      add(`${path}.status`, 'lockedStatus');
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
      if (stored !== incoming) add(`${path}.period`, 'lockedResult', { period: lock });
    }
  });
  // Incidents: codes unique, owners and places known.
  duplicates(ws.incidents, (i) => i.code, 'incidents', 'incident');
  ws.incidents?.forEach((incident, i) => {
    checkAgency(incident.agency, `incidents[${i}]`);
    incident.places.forEach((place, j) => checkPlace(place, `incidents[${i}].places[${j}]`));
  });
  // Funding: accounts, rates and lines, against what is stored and what the workspace declares.
  ws.funding_lines?.forEach((l, i) => checkAgency(l.agency, `funding_lines[${i}]`));
  issues.push(
    ...workspaceFundingIssues(
      ws,
      known.funding,
      {
        programs: new Set([...known.programs, ...(ws.programs ?? []).map((p) => p.code)]),
        nodes: known.nodes,
      },
      (path, what, key, first) => add(path, `duplicate.${what}`, { key: JSON.stringify(key), first }),
    ),
  );
  return issues;
}
