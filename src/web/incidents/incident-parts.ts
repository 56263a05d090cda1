/**
 * Parts the incident pages and the timeline share: an incident's sources, each a link when it is a web
 * address, and an incident as one item of a list.
 * @module
 */
import type { Translate } from '../../i18n/index.js';
import type { Locale } from '../../i18n/index.js';
import { formatDate } from '../../i18n/index.js';
import type { StoredIncident } from '../../records/incident-repository.js';
import { html, type Html } from '../html.js';

const WEB_ADDRESS = /^https?:\/\/[^\s<>"]+$/;

/**
 * The sources under an item: a link where a source is a web address, its text otherwise. A citation is
 * quoted as its source wrote it, in its own language: `translate="no"` tells translators and readers so.
 */
export function sourceList(t: Translate, sources: readonly string[]): Html {
  return html`<br /><span class="small">${t('web.incidents.sources', { count: sources.length })}
    ${sources.map(
      (s, i) =>
        html`${i > 0 ? '; ' : ''}<cite translate="no"
            >${WEB_ADDRESS.test(s) ? html`<a href="${s}" rel="noreferrer">${s}</a>` : s}</cite
          >`,
    )}</span>`;
}

/**
 * One incident as a list item: title, date, kind, places, classification, summary, sources; `number`
 * numbers it as its mark on a timeline chart.
 */
export function incidentItem(
  t: Translate,
  locale: Locale,
  i: StoredIncident,
  names: (code: string) => string,
  extra: Html | string = '',
  number?: number,
): Html {
  return html`<li id="incident-${i.code}" ${number === undefined ? '' : html`value="${number}"`}>
    ${number === undefined ? '' : html`<span class="mark incident">${number}</span>`}
    <strong>${i.title[locale]}</strong>
    <span class="small muted"
      >· ${formatDate(locale, i.date)} · ${t(`web.incidents.kind.${i.kind}`)} · ${i.places.map(names).join(', ')}
      ${
        i.classification !== 'public'
          ? html` · <span class="badge">${t(`web.classification.${i.classification}`)}</span>`
          : ''
      }
      · ${i.country}, ${i.agency}</span
    >
    <br />${i.summary[locale]} ${sourceList(t, i.sources)} ${extra}
  </li>`;
}
