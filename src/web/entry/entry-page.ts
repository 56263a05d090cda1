/**
 * `/results/new`: a reporter enters a new result. Without an indicator the page lists the indicators the
 * reporter reports for, by program, names first; with one, the form offers what the indicator's
 * reference sheet allows: the unlocked periods its frequency takes, its program's places (any other place
 * code may be typed), a category for each dimension it declares, and either a value or its numerator and
 * denominator. Each field's error, from the API's own schema and rules, is shown beside it in the
 * reader's language, with what was typed kept. A plain form: no script.
 * @module
 */
import { translator, type Translate } from '../../i18n/index.js';
import type { EntryChoices } from '../../records/result-entry.js';
import { field, type FieldState } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { evidenceField } from '../evidence/evidence-list.js';
import { placeLabel } from '../places.js';
import type { Reader } from '../reader.js';

/** An indicator the reporter may enter results for. */
export interface Reportable {
  code: string;
  name: { en: string; es: string };
  program: string;
  programTitle: { en: string; es: string };
}

/** What a refused post shows: the fields as typed, each field's error, and anything else on top. */
export interface EntryState extends FieldState {
  alert?: string;
}

/** The fields whose issues are shown beside them. */
export const ENTRY_FIELDS = [
  'period',
  'place',
  'value',
  'numerator',
  'denominator',
  'comment',
  'evidence',
  'attachments',
];

/** The list of indicators to choose from, grouped by program. */
export function renderChooser(reader: Reader, indicators: Reportable[]): string {
  const t = translator(reader.locale);
  const programs = new Map<string, Reportable[]>();
  for (const i of indicators) programs.set(i.program, [...(programs.get(i.program) ?? []), i]);
  const body = html`<h1>${t('web.entry.title')}</h1>
    <p>${t('web.entry.choose')}</p>
    ${
      indicators.length === 0
        ? html`<p class="muted">${t('web.entry.none')}</p>`
        : [...programs.values()].map(
            (list) => html`<section>
              <h2>${list[0]!.programTitle[reader.locale]}</h2>
              <ul>
                ${list.map(
                  (i) =>
                    html`<li>
                      <a href="/results/new?indicator=${encodeURIComponent(i.code)}">${i.name[reader.locale]}</a>
                      <span class="small muted">${i.code}</span>
                    </li>`,
                )}
              </ul>
            </section>`,
          )
    }`;
  return page({ reader, title: t('web.entry.title'), section: 'review', body });
}

function numbers(t: Translate, reader: Reader, choices: EntryChoices, state?: EntryState): Html {
  const ind = choices.indicator;
  if (ind.numerator.en === null)
    return field('value', `${t('web.resultEdit.value')} (${ind.unit[reader.locale]})`, '', state, {
      numeric: true,
      required: true,
    });
  return html`${field('numerator', t('web.resultEdit.numerator'), '', state, {
    numeric: true,
    required: true,
    hint: ind.numerator[reader.locale] ?? '',
  })}
  ${field('denominator', t('web.resultEdit.denominator'), '', state, {
    numeric: true,
    required: true,
    hint: ind.denominator[reader.locale] ?? '',
  })}`;
}

/** The entry form for one indicator. */
export function renderEntry(
  reader: Reader,
  choices: EntryChoices,
  places: ReadonlyMap<string, { name: string }> | undefined,
  state?: EntryState,
): string {
  const t = translator(reader.locale);
  const ind = choices.indicator;
  const title = t('web.entry.titleFor', { name: ind.name[reader.locale] });
  const dimensions = ind.disaggregations.map((d) =>
    field(`disaggregation.${d}`, t('web.entry.dimension', { dimension: d }), '', state, {
      suggestions: (choices.categories[d] ?? []).map((c) => [c, c] as const),
      hint: t('web.entry.dimensionHint'),
    }),
  );
  const form =
    choices.periods.length === 0
      ? html`<p class="card warn">${t('web.entry.noPeriods')}</p>`
      : html`<form method="post" action="/results" class="result-edit" enctype="multipart/form-data">
          <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
          <input type="hidden" name="indicator" value="${ind.code}" />
          ${field('period', t('web.review.period'), choices.periods[0]!, state, {
            choices: choices.periods.map((p) => [p, p] as const),
            hint: t(`web.entry.frequency.${ind.frequency}`),
          })}
          ${field('place', t('web.entry.place'), choices.places[0] ?? '', state, {
            required: true,
            suggestions: choices.places.map((p) => [p, placeLabel(t, p, places)] as const),
            hint: t('web.entry.placeHint'),
          })}
          ${dimensions} ${numbers(t, reader, choices, state)}
          ${field('comment', t('web.resultEdit.comment'), '', state, { multiline: true })}
          ${field('evidence', t('web.resultEdit.evidence'), '', state)} ${evidenceField(t, state)}
          <p>
            <button type="submit" name="decision" value="draft">${t('web.resultEdit.saveDraft')}</button>
            <button type="submit" name="decision" value="submit">${t('web.resultEdit.submit')}</button>
          </p>
        </form>`;
  const body = html`<h1>${title}</h1>
    <p><span class="small muted">${ind.code} · ${ind.programTitle[reader.locale]}</span></p>
    <p>${ind.definition[reader.locale]}</p>
    ${state?.alert ? html`<p class="card warn" role="alert">${state.alert}</p>` : ''} ${form}
    <p><a href="/results/new">${t('web.entry.another')}</a> · <a href="/review">${t('web.resultEdit.back')}</a></p>`;
  return page({ reader, title, section: 'review', body });
}
