/**
 * Exports the records store (except frameworks) back to the workspace format, as much of it as a viewer
 * may see.
 * @module
 */
import { OPERATOR, type Viewer } from '../access/viewer.js';
import { canSee, canSeeResult } from '../access/rules.js';
import { WORKSPACE_FORMAT, type Workspace } from '../domain/workspace-schema.js';
import type { RecordsStore } from './database.js';
import type { Ownership } from './record-writer.js';
import { exportFunding } from './workspace-export-funding.js';
import { exportIncidents } from './workspace-export-incidents.js';

/**
 * Writes the records store (except frameworks) as a workspace document: everything for the operator
 * (the default), or only what `viewer` may see, children of hidden records included.
 */
export async function exportWorkspace(
  store: RecordsStore,
  viewer: Viewer = OPERATOR,
  options: { results?: boolean } = {},
): Promise<Workspace> {
  const db = store.db;
  const [
    allOrgs,
    allPeriods,
    allPrograms,
    allIndicators,
    allTargets,
    allPractices,
    allRisks,
    allLessons,
    allResults,
  ] = await Promise.all([
    db.selectFrom('organisations').selectAll().orderBy('code').execute(),
    db.selectFrom('periods').selectAll().orderBy('start_date').orderBy('end_date').orderBy('code').execute(),
    db.selectFrom('programs').selectAll().orderBy('code').execute(),
    db.selectFrom('indicators').selectAll().orderBy('code').execute(),
    db
      .selectFrom('targets')
      .innerJoin('periods', 'periods.code', 'targets.period_code')
      .selectAll('targets')
      .orderBy('periods.start_date')
      .orderBy('periods.end_date')
      .orderBy('targets.place')
      .execute(),
    db.selectFrom('practices').selectAll().orderBy('practice').execute(),
    db.selectFrom('risks').selectAll().orderBy('code').execute(),
    db.selectFrom('lessons').selectAll().orderBy('code').execute(),
    // Without results (`results: false`), for a caller that needs the records' definitions only.
    options.results === false
      ? Promise.resolve([])
      : db
          .selectFrom('results')
          .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
          .innerJoin('periods', 'periods.code', 'results.period_code')
          .selectAll('results')
          .select('indicators.code as indicator')
          .orderBy('indicators.code')
          .orderBy('periods.start_date')
          .orderBy('periods.end_date')
          .orderBy('results.place')
          .orderBy('results.disaggregation_key')
          .execute(),
  ]);
  const orgs = allOrgs.filter((o) => canSee(viewer, o));
  const periods = allPeriods.filter((p) => canSee(viewer, p));
  const programs = allPrograms.filter((p) => canSee(viewer, p));
  const programIds = new Set(programs.map((p) => p.id));
  const indicators = allIndicators.filter((i) => programIds.has(i.program_id) && canSee(viewer, i));
  const indicatorIds = new Set(indicators.map((i) => i.id));
  const visibleUnder = <T extends Ownership>(rows: T[], parent: (row: T) => boolean) =>
    rows.filter((row) => parent(row) && canSee(viewer, row));
  const targets = visibleUnder(allTargets, (t) => indicatorIds.has(t.indicator_id));
  // Unapproved results go only to their owners (and the operator), like every read of results.
  const results = visibleUnder(
    allResults,
    (r) => indicatorIds.has(r.indicator_id) && canSeeResult(viewer, r),
  );
  const practices = visibleUnder(allPractices, (x) => programIds.has(x.program_id));
  const risks = visibleUnder(allRisks, (x) => programIds.has(x.program_id));
  const lessons = visibleUnder(allLessons, (x) => programIds.has(x.program_id));

  const everything: Ownership[] = [
    orgs,
    periods,
    programs,
    indicators,
    targets,
    practices,
    risks,
    lessons,
    results,
  ].flat();
  const defaults = mostCommon(everything);
  const owned = (r: Ownership & { version: number }) => ({
    ...(r.country !== defaults.country ? { country: r.country } : {}),
    ...(r.agency !== defaults.agency ? { agency: r.agency } : {}),
    ...(r.classification !== defaults.classification ? { classification: r.classification } : {}),
    version: r.version,
  });
  const opt = <T>(value: T | null | undefined) => (value === null ? undefined : value);
  const text = (en: string | null, es: string | null) =>
    en === null && es === null
      ? undefined
      : { ...(en !== null ? { en } : {}), ...(es !== null ? { es } : {}) };
  const list = <T>(items: T[]) => (items.length > 0 ? items : undefined);
  const byParent = <T extends { program_id?: number; indicator_id?: number }>(
    rows: T[],
    key: 'program_id' | 'indicator_id',
  ) => {
    const map = new Map<number, T[]>();
    for (const row of rows) {
      const id = row[key]!;
      map.set(id, [...(map.get(id) ?? []), row]);
    }
    return map;
  };
  const indicatorsOf = byParent(indicators, 'program_id');
  const targetsOf = byParent(targets, 'indicator_id');
  const practicesOf = byParent(practices, 'program_id');
  const risksOf = byParent(risks, 'program_id');
  const lessonsOf = byParent(lessons, 'program_id');

  const ws: Workspace = {
    marco: WORKSPACE_FORMAT,
    defaults: { country: defaults.country, agency: defaults.agency, classification: defaults.classification },
    organisations: list(
      orgs.map((o) => ({
        code: o.code,
        name: { en: o.name_en, es: o.name_es },
        kind: o.kind,
        parent: opt(o.parent_code),
        ...owned(o),
      })),
    ),
    periods: list(
      periods.map((p) => ({ code: p.code, ...(p.locked_at !== null ? { locked: true } : {}), ...owned(p) })),
    ),
    programs: list(
      programs.map((p) => ({
        code: p.code,
        title: { en: p.title_en, es: p.title_es },
        description: text(p.description_en, p.description_es),
        implementing: list(p.implementing),
        funding: list(p.funding),
        start: opt(p.start_date),
        end: opt(p.end_date),
        status: p.status,
        serves: list(p.serves),
        locations: list(p.locations),
        iati: p.iati ?? undefined,
        indicators: list(
          (indicatorsOf.get(p.id) ?? []).map((i) => ({
            code: i.code,
            name: { en: i.name_en, es: i.name_es },
            definition: { en: i.definition_en, es: i.definition_es },
            level: i.level,
            unit: { en: i.unit_en, es: i.unit_es },
            numerator:
              i.numerator_en !== null && i.numerator_es !== null
                ? { en: i.numerator_en, es: i.numerator_es }
                : undefined,
            denominator:
              i.denominator_en !== null && i.denominator_es !== null
                ? { en: i.denominator_en, es: i.denominator_es }
                : undefined,
            factor: i.factor,
            direction: i.direction,
            disaggregations: list(i.disaggregations),
            source: i.data_source,
            method: opt(i.method),
            frequency: i.frequency,
            responsible: i.responsible,
            baseline:
              i.baseline_value !== null || i.baseline_period !== null
                ? {
                    value: opt(i.baseline_value),
                    period: opt(i.baseline_period),
                    source: opt(i.baseline_source),
                  }
                : undefined,
            targets: list(
              (targetsOf.get(i.id) ?? []).map((t) => ({
                period: t.period_code,
                value: t.value,
                place: opt(t.place),
                ...owned(t),
              })),
            ),
            lop_target: opt(i.lop_target),
            aggregation: i.aggregation,
            quality_notes: opt(i.quality_notes),
            series: opt(i.series),
            change_reason: opt(i.change_reason),
            ...owned(i),
          })),
        ),
        practices: list(
          (practicesOf.get(p.id) ?? []).map((x) => ({
            practice: x.practice as never,
            state: x.state,
            evidence: opt(x.evidence),
            date: opt(x.assessed_on),
            note: opt(x.note),
            ...owned(x),
          })),
        ),
        risks: list(
          (risksOf.get(p.id) ?? []).map((r) => ({
            code: r.code,
            description: { en: r.description_en, es: r.description_es },
            likelihood: r.likelihood,
            impact: r.impact,
            mitigation: opt(r.mitigation),
            owner: opt(r.owner),
            status: r.status,
            ...owned(r),
          })),
        ),
        lessons: list(
          (lessonsOf.get(p.id) ?? []).map((l) => ({
            code: l.code,
            date: l.recorded_on,
            category: l.category,
            lesson: { en: l.lesson_en, es: l.lesson_es },
            action: opt(l.action),
            ...owned(l),
          })),
        ),
        ...owned(p),
      })),
    ),
    results: list(
      results.map((r) => ({
        indicator: r.indicator,
        period: r.period_code,
        place: r.place,
        disaggregation: Object.keys(r.disaggregation).length > 0 ? r.disaggregation : undefined,
        value: r.value,
        numerator: opt(r.numerator),
        denominator: opt(r.denominator),
        comment: opt(r.comment),
        evidence: opt(r.evidence),
        status: r.status,
        ...owned(r),
      })),
    ),
    ...(await exportFunding(store, viewer, owned)),
    ...(await exportIncidents(store, viewer, owned)),
  };
  return dropUndefined(ws) as Workspace;
}

function mostCommon(records: Ownership[]): Ownership {
  const counts = new Map<string, number>();
  for (const r of records) {
    const key = `${r.country}|${r.agency}|${r.classification}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? [
    'MX|SRE|public',
  ];
  const [country, agency, classification] = best.split('|') as [
    Ownership['country'],
    string,
    Ownership['classification'],
  ];
  return { country, agency, classification };
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, dropUndefined(v)]),
    );
  }
  return value;
}
