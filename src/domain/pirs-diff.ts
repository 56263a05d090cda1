/**
 * Two versions of an indicator reference sheet (PIRS) side by side: every field either version holds,
 * in the sheet's order, each with both values and whether it changed. Pure: the versions come from the
 * records store's `indicator_versions`.
 * @module
 */

/** The sheet's fields in the order a reader reads them; any other field follows, by name. */
export const SHEET_ORDER = [
  'name_en',
  'name_es',
  'definition_en',
  'definition_es',
  'level',
  'unit_en',
  'unit_es',
  'numerator_en',
  'numerator_es',
  'denominator_en',
  'denominator_es',
  'factor',
  'direction',
  'disaggregations',
  'data_source',
  'method',
  'frequency',
  'aggregation',
  'responsible',
  'baseline_value',
  'baseline_period',
  'baseline_source',
  'lop_target',
  'quality_notes',
  'series',
  'change_reason',
] as const;

export interface SheetRow {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

const canonical = (v: unknown) => JSON.stringify(v ?? null);

/** The rows comparing definition `a` with definition `b`. */
export function compareSheets(a: Record<string, unknown>, b: Record<string, unknown>): SheetRow[] {
  const known = new Set<string>(SHEET_ORDER);
  const others = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !known.has(k)).sort();
  return [...SHEET_ORDER, ...others]
    .filter((field) => field in a || field in b)
    .map((field) => ({
      field,
      before: a[field],
      after: b[field],
      changed: canonical(a[field]) !== canonical(b[field]),
    }));
}
