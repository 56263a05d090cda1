/**
 * `/incidents`: the incidents the reader may see, newest first, narrowed by kind, place and dates, each
 * with its sources and a link to its place's timeline; and the form (`/incidents/new`,
 * `/incidents/{code}/edit`) where a reporter records an incident of their own country and agency or
 * changes one. Plain forms with the session's CSRF token, no script; each refusal is shown beside its
 * field in the reader's language.
 * @module
 */
import { INCIDENT_KINDS, type IncidentKind } from '../../domain/incidents/incident-schema.js';
import { translator, type Translate } from '../../i18n/index.js';
import type { StoredIncident } from '../../records/incident-repository.js';
import { field, type FieldState } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';
import { incidentItem } from './incident-parts.js';

/** The form's fields, whose issues are shown beside them. */
export const INCIDENT_FIELDS = [
  'code',
  'date',
  'kind',
  'places',
  'title.en',
  'title.es',
  'summary.en',
  'summary.es',
  'sources',
  'classification',
] as const;

export interface IncidentListPage {
  incidents: StoredIncident[];
  filter: { kind: IncidentKind | ''; place: string; from: string; to: string };
  names: (code: string) => string;
  /** Whether the reader may record incidents, and which they may change. */
  reporter: boolean;
  canEdit: (i: StoredIncident) => boolean;
  notice?: { kind: 'done' | 'refused'; text: string };
}

const noticeOf = (n: IncidentListPage['notice']) =>
  n
    ? html`<p class="card ${n.kind === 'refused' ? 'warn' : ''}" role="${n.kind === 'refused' ? 'alert' : 'status'}">${n.text}</p>`
    : '';

/** The year before an incident: where its place's timeline starts. */
const timelineOf = (i: StoredIncident, locale: string) =>
  `/timeline?lang=${locale}&geo=${encodeURIComponent(i.places[0]!)}&from=${Number(i.date.slice(0, 4)) - 1}-01`;

export function renderIncidentList(reader: Reader, data: IncidentListPage): string {
  const { locale } = reader;
  const t = translator(locale);
  const f = data.filter;
  const option = (value: string, label: string) =>
    html`<option value="${value}" ${f.kind === value ? html`selected` : ''}>${label}</option>`;
  const body = html`<h1>${t('web.incidents.title')}</h1>
    ${noticeOf(data.notice)}
    <p>${t('web.incidents.lead')}</p>
    <p>
      <a href="/timeline?lang=${locale}">${t('web.incidents.toTimeline')}</a>
      ${data.reporter ? html` · <a href="/incidents/new?lang=${locale}">${t('web.incidents.new')}</a>` : ''}
    </p>
    <form class="explore" method="get" action="/incidents">
      <input type="hidden" name="lang" value="${locale}" />
      <label
        >${t('web.incidents.col.kind')}<select name="kind">
          ${option('', t('web.incidents.allKinds'))}${INCIDENT_KINDS.map((k) => option(k, t(`web.incidents.kind.${k}`)))}
        </select></label
      >
      <label>${t('web.incidents.col.place')}<input name="place" value="${f.place}" placeholder="MX, 25, 25006" /></label>
      <label>${t('web.explore.from')}<input name="from" value="${f.from}" placeholder="2020-01-01" /></label>
      <label>${t('web.explore.to')}<input name="to" value="${f.to}" placeholder="2025-12-31" /></label>
      <button type="submit">${t('web.explore.show')}</button>
    </form>
    <h2>${t('web.incidents.count', { count: data.incidents.length })}</h2>
    ${
      data.incidents.length
        ? html`<ul class="incidents">
          ${data.incidents.map((i) =>
            incidentItem(
              t,
              locale,
              i,
              data.names,
              html`<br /><span class="small"
                  ><a href="${timelineOf(i, locale)}">${t('web.incidents.onTimeline')}</a>${
                    data.canEdit(i)
                      ? html` · <a href="/incidents/${i.code}/edit?lang=${locale}">${t('web.incidents.edit', { code: i.code })}</a>`
                      : ''
                  }</span
                >`,
            ),
          )}
        </ul>`
        : html`<p class="muted">${t('web.incidents.none')}</p>`
    }
    <p class="small muted">${t('web.incidents.visibility')}</p>`;
  return page({ reader, title: t('web.incidents.title'), section: 'timeline', body });
}

/** The form's values for a stored incident (an edit) or blank (a new one). */
export function formValues(i: StoredIncident | undefined): Record<string, string> {
  if (!i) return { classification: 'official_use' };
  return {
    code: i.code,
    date: i.date,
    kind: i.kind,
    places: i.places.join(', '),
    'title.en': i.title.en,
    'title.es': i.title.es,
    'summary.en': i.summary.en,
    'summary.es': i.summary.es,
    sources: i.sources.join('\n'),
    classification: i.classification,
    version: String(i.version),
  };
}

export interface IncidentFormState extends Partial<FieldState> {
  notice?: { kind: 'done' | 'refused'; text: string };
}

function fields(
  t: Translate,
  values: Record<string, string>,
  fs: FieldState | undefined,
  editing: boolean,
): Html {
  const v = (name: string) => values[name] ?? '';
  return html`${
    editing
      ? html`<p><strong>${t('web.incidents.col.code')}</strong>: <code>${v('code')}</code></p>
          <input type="hidden" name="code" value="${v('code')}" /><input type="hidden" name="version" value="${v('version')}" />`
      : field('code', t('web.incidents.col.code'), v('code'), fs, {
          required: true,
          hint: t('web.incidents.codeHint'),
        })
  }
    ${field('date', t('web.incidents.col.date'), v('date'), fs, { required: true, hint: t('web.incidents.dateHint') })}
    ${field('kind', t('web.incidents.col.kind'), v('kind'), fs, {
      choices: [['', '—'], ...INCIDENT_KINDS.map((k) => [k, t(`web.incidents.kind.${k}`)] as const)],
    })}
    ${field('places', t('web.incidents.col.places'), v('places'), fs, { required: true, hint: t('web.incidents.placesHint') })}
    ${field('title.en', t('web.incidents.col.titleEn'), v('title.en'), fs, { required: true })}
    ${field('title.es', t('web.incidents.col.titleEs'), v('title.es'), fs, { required: true })}
    ${field('summary.en', t('web.incidents.col.summaryEn'), v('summary.en'), fs, { multiline: true, required: true })}
    ${field('summary.es', t('web.incidents.col.summaryEs'), v('summary.es'), fs, { multiline: true, required: true })}
    ${field('sources', t('web.incidents.col.sources'), v('sources'), fs, { multiline: true, required: true, hint: t('web.incidents.sourcesHint') })}
    ${field('classification', t('web.incidents.col.classification'), v('classification'), fs, {
      choices: (['public', 'official_use', 'restricted'] as const).map(
        (c) => [c, t(`web.classification.${c}`)] as const,
      ),
      hint: t('web.incidents.classificationHint'),
    })}`;
}

export function renderIncidentForm(
  reader: Reader,
  incident: StoredIncident | undefined,
  state: IncidentFormState = {},
): string {
  const { locale } = reader;
  const t = translator(locale);
  const editing = incident !== undefined;
  const title = editing ? t('web.incidents.editTitle', { code: incident.code }) : t('web.incidents.newTitle');
  const fs = state.typed ? { typed: state.typed, errors: state.errors ?? {} } : undefined;
  const action = editing
    ? `/incidents/${incident.code}/edit?lang=${locale}`
    : `/incidents/new?lang=${locale}`;
  const body = html`<p class="small"><a href="/incidents?lang=${locale}">${t('web.incidents.title')}</a> ›</p>
    <h1>${title}</h1>
    ${noticeOf(state.notice)}
    <p>${t('web.incidents.formLead')}</p>
    <form method="post" action="${action}" class="entry">
      <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
      <fieldset>
        <legend>${title}</legend>
        ${fields(t, formValues(incident), fs, editing)}
        <p><button type="submit">${t('web.incidents.save')}</button></p>
      </fieldset>
    </form>`;
  return page({ reader, title, section: 'timeline', body });
}
