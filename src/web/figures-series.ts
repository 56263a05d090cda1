/**
 * The documented series on the figures page: Mérida funding stages, firearms, extraditions and the
 * National Guard, each figure with its qualifier, confidence level, verbatim statement and linked source.
 * Figures of one measure, place and period stand together; when they disagree they are marked as a
 * conflict and shown side by side, never averaged; multi-year totals are marked never to be summed with
 * the yearly rows (`stats/documented-groups.ts`).
 * @module
 */
import { formatNumber, translator, type Locale } from '../i18n/index.js';
import type { FigureGroup } from '../stats/documented-groups.js';
import { html } from './html.js';

const CONFIDENCE_CLASS: Record<string, string> = { primary: 'green', secondary: 'amber', low: 'red' };

/**
 * The section, or nothing when the store holds no documented series; `heading` replaces its title and
 * introduction (a topic's page).
 */
export function seriesSection(
  groups: readonly FigureGroup[],
  locale: Locale,
  heading?: { title: string; intro: string },
) {
  const t = translator(locale);
  if (groups.length === 0) return '';
  const conflicts = groups.filter((g) => g.conflict).length;
  const count = groups.reduce((n, g) => n + g.figures.length, 0);
  const rows = groups.map((g) =>
    g.figures.map(
      (f, i) => html`<tr id="${f.figure}" class="${g.conflict ? 'conflict' : ''}">
        ${
          i === 0
            ? html`<td rowspan="${g.figures.length}">
              <code>${g.measure}</code><br />${g.geo}, ${g.period}${
                g.conflict
                  ? html`<br /><span class="s amber">${t('web.figures.series.conflict', { count: g.figures.length })}</span>`
                  : ''
              }
            </td>`
            : ''
        }
        <td class="n">
          ${f.value === null ? f.value_text : formatNumber(locale, f.value, { maximumFractionDigits: 2 })}
          <span class="small muted">${f.unit ?? ''}</span>
          ${f.cumulative ? html`<br /><span class="small">${t('web.figures.series.cumulative')}</span>` : ''}
        </td>
        <td>${t(`web.figures.series.qualifier.${f.qualifier ?? 'exact'}`)}</td>
        <td>
          <span class="s ${CONFIDENCE_CLASS[f.confidence ?? 'low'] ?? 'no_data'}"
            >${t(`web.figures.series.confidence.${f.confidence ?? 'low'}`)}</span
          >
        </td>
        <td>
          <span class="small">“${f.statement ?? ''}”</span><br />${
            f.url
              ? html`<a class="small" href="${f.url}" rel="noopener noreferrer">${f.citation}</a>`
              : html`<span class="small muted">${f.citation}</span>`
          }${f.note ? html`<br /><span class="small muted">${f.note}</span>` : ''}
        </td>
      </tr>`,
    ),
  );
  return html`<h2 id="series">${heading?.title ?? t('web.figures.series.title')}</h2>
    ${
      heading
        ? heading.intro
          ? html`<p>${heading.intro}</p>`
          : ''
        : html`<p>${t('web.figures.series.intro', { conflicts })}</p>`
    }
    <table>
      <caption>
        ${t('web.figures.series.caption', { count, groups: groups.length })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('web.figures.series.what')}</th>
          <th scope="col" class="n">${t('web.figures.series.value')}</th>
          <th scope="col">${t('web.figures.series.qualifierHead')}</th>
          <th scope="col">${t('web.figures.series.confidenceHead')}</th>
          <th scope="col">${t('web.figures.series.source')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
}
