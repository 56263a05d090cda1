/**
 * `/indicators/{code}/edit`: a program officer edits an indicator's reference sheet: its name,
 * definition and unit in both languages, source, method, responsible party, quality notes, baseline,
 * life-of-program target and period targets, and the written reason a change to a baseline or target
 * needs once the indicator has results. Each field's error is shown beside it in the reader's language,
 * with what was typed kept. A plain form: no script.
 * @module
 */
import { translator, type Translate } from '../../i18n/index.js';
import type { SheetDoc } from '../../indicators/sheet-edit.js';
import { field, type FieldState } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';

/** Blank target rows offered after the sheet's own, for new periods. */
export const BLANK_TARGETS = 3;

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** The form's fields as the sheet fills them (`definition.en`, `target.0.period`…). */
export function sheetFields(sheet: SheetDoc): Record<string, string> {
  const fields: Record<string, string> = {
    version: text(sheet.version),
    'name.en': sheet.name.en,
    'name.es': sheet.name.es,
    'definition.en': sheet.definition.en,
    'definition.es': sheet.definition.es,
    'unit.en': sheet.unit.en,
    'unit.es': sheet.unit.es,
    source: sheet.source,
    method: text(sheet.method),
    responsible: sheet.responsible,
    quality_notes: text(sheet.quality_notes),
    'baseline.value': text(sheet.baseline?.value),
    'baseline.period': text(sheet.baseline?.period),
    lop_target: text(sheet.lop_target),
    change_reason: '',
  };
  (sheet.targets ?? []).forEach((target, i) => {
    fields[`target.${i}.period`] = target.period;
    fields[`target.${i}.place`] = text(target.place);
    fields[`target.${i}.value`] = String(target.value);
  });
  return fields;
}

function targetRows(t: Translate, rows: number, values: Record<string, string>, state?: FieldState): Html {
  const cell = (name: string, label: string, numeric = false) =>
    html`<td>
      ${field(name, label, values[name] ?? '', state, { numeric })}
    </td>`;
  return html`<table class="targets">
    <caption>
      ${t('web.sheetEdit.targets')}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t('web.program.period')}</th>
        <th scope="col">${t('web.sheetEdit.place')}</th>
        <th scope="col">${t('web.program.target')}</th>
      </tr>
    </thead>
    <tbody>
      ${Array.from(
        { length: rows },
        (_, i) =>
          html`<tr>
            ${cell(`target.${i}.period`, t('web.sheetEdit.rowPeriod', { row: i + 1 }))}
            ${cell(`target.${i}.place`, t('web.sheetEdit.rowPlace', { row: i + 1 }))}
            ${cell(`target.${i}.value`, t('web.sheetEdit.rowValue', { row: i + 1 }), true)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function renderSheetEdit(
  reader: Reader,
  code: string,
  sheet: SheetDoc,
  state?: FieldState & { alert?: string; rows?: number },
): string {
  const t = translator(reader.locale);
  const values = sheetFields(sheet);
  const f = (name: string, label: string, options: Parameters<typeof field>[4] = {}) =>
    field(name, label, values[name] ?? '', state, options);
  const rows = state?.rows ?? (sheet.targets?.length ?? 0) + BLANK_TARGETS;
  const title = t('web.sheetEdit.title', { name: sheet.name[reader.locale] });
  const body = html`<p class="small">
      <a href="/indicators/${code}">${sheet.name[reader.locale]}</a> ›
      ${t('web.sheetEdit.crumb')}
    </p>
    <h1>${title}</h1>
    <p>${t('web.sheetEdit.intro')}</p>
    ${state?.alert ? html`<p class="card warn" role="alert">${state.alert}</p>` : ''}
    <form method="post" action="/indicators/${code}/edit" class="result-edit">
      <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
      <input type="hidden" name="version" value="${state?.typed.version ?? values.version ?? ''}" />
      <fieldset>
        <legend>${t('web.sheetEdit.names')}</legend>
        ${f('name.en', t('web.sheetEdit.nameEn'))} ${f('name.es', t('web.sheetEdit.nameEs'))}
        ${f('definition.en', t('web.sheetEdit.definitionEn'), { multiline: true })}
        ${f('definition.es', t('web.sheetEdit.definitionEs'), { multiline: true })}
        ${f('unit.en', t('web.sheetEdit.unitEn'))} ${f('unit.es', t('web.sheetEdit.unitEs'))}
      </fieldset>
      <fieldset>
        <legend>${t('web.sheetEdit.data')}</legend>
        ${f('source', t('web.pirs.source'))} ${f('method', t('web.pirs.method'), { multiline: true })}
        ${f('responsible', t('web.pirs.responsible'))}
        ${f('quality_notes', t('web.pirs.quality_notes'), { multiline: true })}
      </fieldset>
      <fieldset>
        <legend>${t('web.sheetEdit.goalposts')}</legend>
        ${f('baseline.value', t('web.sheetEdit.baselineValue'), { numeric: true })}
        ${f('baseline.period', t('web.sheetEdit.baselinePeriod'))}
        ${f('lop_target', t('web.pirs.lop_target'), { numeric: true })} ${targetRows(t, rows, values, state)}
        ${f('change_reason', t('web.sheetEdit.reason'), { multiline: true, hint: t('web.sheetEdit.reasonHint') })}
      </fieldset>
      <p><button type="submit">${t('web.sheetEdit.save')}</button></p>
    </form>`;
  return page({ reader, title, body });
}
