/**
 * `GET /indicators/{code}/versions?a=&b=`: two versions of an indicator's reference sheet, side by side,
 * to whoever may see the indicator.
 * @module
 */
import { z } from 'zod';
import type { Official } from '../../access/viewer.js';
import { safeParseInput } from '../../domain/common-schema.js';
import { MarcoError, NotFoundError, ValidationError } from '../../error.js';
import { translator, type Translate } from '../../i18n/index.js';
import { editSheet, sheetForEdit, type SheetDoc } from '../../indicators/sheet-edit.js';
import { getIndicator } from '../../records/program-repository.js';
import { checkedForm, formNumbers, pageStatus, refusal, writeOptions, type RefusedStatus } from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { renderSheetEdit, sheetFields } from './edit-page.js';
import { renderVersions, type SheetVersion } from './versions-page.js';

const Choice = z.object({
  a: z.coerce.number().int().min(1).optional(),
  b: z.coerce.number().int().min(1).optional(),
  done: z.literal('saved').optional(),
  lang: z.string().optional(),
});

export const PIRS_PAGES: readonly PageRoute[] = [
  {
    path: '/indicators/:code/versions',
    permission: 'read',
    async handle(ctx) {
      const code = ctx.c.req.param('code') ?? '';
      let indicator;
      try {
        indicator = await getIndicator(ctx.store, ctx.reader.viewer, code);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        const t = translator(ctx.reader.locale);
        return ctx.c.html(notFoundPage(ctx.reader, t('web.indicator.unknown', { code })).body, 404);
      }
      const versions = indicator.history as SheetVersion[];
      const choice = safeParseInput(Choice, ctx.c.req.query());
      const last = versions.at(-1)?.version ?? 1;
      const b = (choice.success ? choice.data.b : undefined) ?? last;
      const a = (choice.success ? choice.data.a : undefined) ?? versions.at(-2)?.version ?? last;
      const known = (v: number) => versions.some((x) => x.version === v);
      if (!choice.success || !known(a) || !known(b)) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      // After an edit: the new version against the one before, and a word that it was saved.
      const reader =
        choice.data.done === 'saved'
          ? { ...ctx.reader, notice: translator(ctx.reader.locale)('web.sheetEdit.done', { version: last }) }
          : ctx.reader;
      return ctx.c.html(renderVersions(reader, indicator, versions, a, b));
    },
  },
];

/** The reporters' edit of a sheet: the form, and its post. */
export const SHEET_EDIT_PAGES: readonly PageRoute[] = [
  {
    path: '/indicators/:code/edit',
    permission: 'write:records',
    async handle(ctx) {
      const code = ctx.c.req.param('code') ?? '';
      const found = await sheetOrMissing(ctx, code);
      if (found instanceof Response) return found;
      return ctx.c.html(renderSheetEdit(ctx.reader, code, found.sheet));
    },
  },
  {
    method: 'post',
    path: '/indicators/:code/edit',
    permission: 'write:records',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const code = ctx.c.req.param('code') ?? '';
      const found = await sheetOrMissing(ctx, code);
      if (found instanceof Response) return found;
      const t = translator(ctx.reader.locale);
      const parsed = sheetEditOf(t, form, found.sheet);
      const again = (status: RefusedStatus, errors: Record<string, string>, alert?: string) =>
        ctx.c.html(
          renderSheetEdit(ctx.reader, code, found.sheet, {
            typed: form,
            errors,
            rows: parsed.rows,
            ...(alert ? { alert } : {}),
          }),
          status,
        );
      if (Object.keys(parsed.errors).length > 0) return again(422, parsed.errors);
      try {
        const places = ctx.stats ? (await ctx.stats.metadata()).places : undefined;
        await editSheet(ctx.store, ctx.reader.viewer as Official, code, parsed.edit, {
          ...writeOptions(ctx),
          ...(places ? { places } : {}),
        });
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        const shown = refusal(t, ctx.reader.locale, onForm(error, parsed.rowOf), parsed.fields);
        return again(pageStatus(error), shown.errors, shown.alert);
      }
      return ctx.c.redirect(`/indicators/${encodeURIComponent(code)}/versions?done=saved`, 303);
    },
  },
];

async function sheetOrMissing(ctx: PageContext, code: string) {
  try {
    return await sheetForEdit(ctx.store, ctx.reader.viewer as Official, code);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    const t = translator(ctx.reader.locale);
    return ctx.c.html(notFoundPage(ctx.reader, t('web.indicator.unknown', { code })).body, 404);
  }
}

/** A refusal's issues at the form's own field names: `targets[1].value` is the row it came from. */
function onForm(error: MarcoError, rowOf: number[]): MarcoError {
  if (!(error instanceof ValidationError)) return error;
  return new ValidationError(
    error.issues.map((i) => ({
      ...i,
      path: i.path.replace(
        /^targets\[(\d+)\]\.(\w+)$/,
        (_, j: string, f: string) => `target.${rowOf[Number(j)]}.${f}`,
      ),
    })),
    error.source,
  );
}

/**
 * The sheet the form describes, over `sheet`: texts trimmed (an empty optional one left out), numbers as
 * people type them, and the target rows that are not blank; with each number's error, the form's field
 * names, and which form row each target came from.
 */
function sheetEditOf(t: Translate, form: Record<string, string>, sheet: SheetDoc) {
  let rows = 0;
  while (form[`target.${rows}.period`] !== undefined) rows++;
  const numberFields = [
    'baseline.value',
    'lop_target',
    ...Array.from({ length: rows }, (_, i) => `target.${i}.value`),
  ];
  const { numbers, errors } = formNumbers(t, form, numberFields);
  const text = (name: string) => (form[name] ?? '').trim();
  const optional = (name: string) => text(name) || undefined;
  const targets: NonNullable<SheetDoc['targets']> = [];
  const rowOf: number[] = [];
  for (let i = 0; i < rows; i++) {
    const period = text(`target.${i}.period`);
    const place = optional(`target.${i}.place`);
    const value = numbers[`target.${i}.value`] ?? null;
    if (!period && !place && value === null) continue;
    rowOf.push(i);
    // A target is owned like the one it replaces, or else like its sheet.
    const kept = sheet.targets?.find((x) => x.period === period && (x.place ?? undefined) === place) ?? sheet;
    const owner = { country: kept.country, agency: kept.agency, classification: kept.classification };
    targets.push({ period, value: value as number, ...(place ? { place } : {}), ...owner });
  }
  const baselineValue = numbers['baseline.value'] ?? null;
  const baselinePeriod = optional('baseline.period');
  const edit = {
    version: Number(form.version),
    name: { en: text('name.en'), es: text('name.es') },
    definition: { en: text('definition.en'), es: text('definition.es') },
    unit: { en: text('unit.en'), es: text('unit.es') },
    source: text('source'),
    method: optional('method'),
    responsible: text('responsible'),
    quality_notes: optional('quality_notes'),
    baseline:
      baselineValue === null && !baselinePeriod
        ? undefined
        : {
            ...(sheet.baseline?.source ? { source: sheet.baseline.source } : {}),
            ...(baselineValue === null ? {} : { value: baselineValue }),
            ...(baselinePeriod ? { period: baselinePeriod } : {}),
          },
    lop_target: numbers.lop_target ?? undefined,
    targets,
    change_reason: optional('change_reason'),
  };
  const fields = [
    ...Object.keys(sheetFields(sheet)),
    ...numberFields,
    ...Array.from({ length: rows }, (_, i) => [`target.${i}.period`, `target.${i}.place`]).flat(),
  ];
  return { edit, errors, rows: Math.max(rows, targets.length), rowOf, fields };
}
