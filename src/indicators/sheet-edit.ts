/**
 * A program officer's edit of an indicator reference sheet (PIRS) from the web form, by the rules of a
 * workspace load: the reporter's own country's records only (`writeGuard`), the version they read (a
 * stale edit is a 409), and, once the indicator has results, a written reason for any change to its
 * baseline, life-of-program target or period targets (`change_reason`, kept by the audit log and the
 * sheet's versions). The edit is the indicator as the workspace format writes it, so the form, the API
 * and a YAML file meet the same schema and checks; the indicator's program goes along unchanged.
 * @module
 */
import { writeGuard } from '../access/rules.js';
import type { Official } from '../access/viewer.js';
import { WORKSPACE_FORMAT, type Workspace } from '../domain/workspace-schema.js';
import { NotFoundError, ValidationError } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import { exportWorkspace } from '../records/workspace-export.js';
import { loadWorkspace, type LoadOptions } from '../records/workspace-load.js';

type ProgramDoc = NonNullable<Workspace['programs']>[number];
export type SheetDoc = NonNullable<ProgramDoc['indicators']>[number];

/** The fields of a sheet the form edits; the rest of the sheet is kept as it is. */
export const EDITABLE_FIELDS = [
  'name',
  'definition',
  'unit',
  'source',
  'method',
  'responsible',
  'quality_notes',
  'baseline',
  'lop_target',
  'targets',
  'change_reason',
  'version',
] as const;

/** The sheet of indicator `code` as `viewer` may see it, with its program; a 404 when unseen. */
export async function sheetForEdit(
  store: RecordsStore,
  viewer: Official,
  code: string,
): Promise<{ program: ProgramDoc; sheet: SheetDoc; defaults: Workspace['defaults'] }> {
  // The definitions only: a sheet's edit never needs the results.
  const ws = await exportWorkspace(store, viewer, { results: false });
  for (const program of ws.programs ?? []) {
    const sheet = program.indicators?.find((i) => i.code === code);
    if (sheet) return { program, sheet, defaults: ws.defaults };
  }
  throw new NotFoundError('indicator', code);
}

/**
 * Writes `edit` over indicator `code`'s sheet in one audited transaction, as a workspace document
 * holding its program (unchanged) and the edited sheet. Issues are reported at the sheet's own paths
 * (`definition.en`, `targets[2].value`), not the document's.
 */
export async function editSheet(
  store: RecordsStore,
  viewer: Official,
  code: string,
  edit: Partial<Pick<SheetDoc, (typeof EDITABLE_FIELDS)[number]>>,
  options: Pick<LoadOptions, 'actor' | 'now' | 'places'>,
) {
  const { program, sheet, defaults } = await sheetForEdit(store, viewer, code);
  const { indicators: _i, practices: _p, risks: _r, lessons: _l, ...own } = program;
  const edited = { ...sheet, ...edit };
  // A field the form left empty is absent from the sheet, not an empty text.
  for (const key of Object.keys(edited) as (keyof SheetDoc)[])
    if (edited[key] === undefined) delete edited[key];
  const doc = { marco: WORKSPACE_FORMAT, defaults, programs: [{ ...own, indicators: [edited] }] };
  try {
    return await loadWorkspace(store, doc, { ...options, guard: writeGuard(viewer), source: code });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const own = /^programs\[0\]\.indicators\[0\]\.?/;
    throw new ValidationError(
      error.issues.map((i) => ({ ...i, path: i.path.replace(own, '') })),
      code,
    );
  }
}
