/**
 * What every section of a report is rendered with: the report's content (of the template's subject), the
 * reader's language and its translator, and the section's heading (the template's own, or the section's default).
 * @module
 */
import type { FrameworkReport } from '../../reports/framework-report.js';
import { formatNumber, formatPercent, type Locale, type Translate } from '../../i18n/index.js';
import { html, type Html } from '../html.js';

export interface SectionContext<R = FrameworkReport> {
  t: Translate;
  locale: Locale;
  report: R;
  /** The heading: the template's title for the section, else the catalog's. */
  heading: string;
  /** The section's anchor: its type, then `type-2`, `type-3` when a template repeats it. */
  id: string;
}

/** A bilingual record text in the reader's language. */
export const inLang = (locale: Locale, text: { en: string; es: string }) => text[locale];

export const num = (locale: Locale, v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? '—' : formatNumber(locale, v, { maximumFractionDigits: digits });

export const pct = (locale: Locale, v: number | null | undefined) =>
  v === null || v === undefined ? '—' : formatPercent(locale, v);

export { money } from '../funding/funding-sections.js';

/** A column header; `n` right-aligns a numeric column. */
export const th = (text: string, n = false) => html`<th scope="col"${n ? html` class="n"` : ''}>${text}</th>`;

/** A section: its heading and body, with an id for the contents. */
export function section(id: string, heading: string, body: Html): Html {
  return html`<section class="report-section" id="${id}"><h2>${heading}</h2>${body}</section>`;
}

/** The explicit "nothing for this period" of a section without content. */
export const none = (text: string) => html`<p class="none">${text}</p>`;
