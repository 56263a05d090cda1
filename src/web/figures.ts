/**
 * Documented figures: every figure cited in the literature, with its citation, the value Marco computes
 * from the raw data and the verdict, each linked to the explorer view that reproduces it.
 * @module
 */
import { formatNumber, formatPercent, translator } from '../i18n/index.js';
import { checkClaims, DEFAULT_TOLERANCE, type ClaimCheck } from '../stats/claims.js';
import type { StatsStore } from '../stats/stats-store.js';
import { documentedSeriesGroups } from '../stats/documented-groups.js';
import { emptyStore, viewQuery } from './explorer.js';
import { seriesSection } from './figures-series.js';
import { topicLinks } from './documented/topic-pages.js';
import { html } from './html.js';
import type { Reader } from './reader.js';
import { page } from './layout.js';

/** The explorer view of a check's query. */
export function explorerLink(c: ClaimCheck): string | null {
  const q = c.query;
  if (!q) return null;
  return `/explore?${viewQuery({
    measure: q.measure,
    geo: (q.geo ?? []).join(','),
    by: q.by ?? 'year',
    from: q.from ?? '',
    to: q.to ?? '',
    per: q.per ? String(q.per) : '',
    filter: Object.entries(q.filters ?? {})
      .map(([k, v]) => `${k}:${v}`)
      .join(','),
  })}`;
}

const VERDICT_CLASS = { consistent: 'green', discrepant: 'red', not_checkable: 'no_data' } as const;

export async function renderFigures(stats: StatsStore | undefined, reader: Reader): Promise<string> {
  const { locale } = reader;
  const t = translator(locale);
  if (!stats)
    return page({
      reader,
      title: t('web.figures.title'),
      section: 'figures',
      body: html`<h1>${t('web.figures.title')}</h1>
        ${emptyStore(t)}`,
    });
  const checks = await checkClaims(stats, DEFAULT_TOLERANCE);
  const counts = { consistent: 0, discrepant: 0, not_checkable: 0 };
  for (const c of checks) counts[c.verdict]++;
  const rows = checks.map((c) => {
    const link = explorerLink(c);
    return html`<tr id="${c.figure}">
      <td>
        <strong>${c.figure}</strong><br /><span class="small">${c.statement ?? ''}</span><br /><span
          class="small muted"
          >${c.citation}</span
        >
      </td>
      <td>${c.geo}, ${c.period}</td>
      <td class="n">${c.documented}</td>
      <td class="n">
        ${
          c.computed === null ? '—' : formatNumber(locale, c.computed, { maximumFractionDigits: 2 })
        }${c.difference === null ? '' : html`<br /><span class="small muted">${formatPercent(locale, c.difference, { signed: true })}</span>`}
      </td>
      <td>
        <span class="s ${VERDICT_CLASS[c.verdict]}">${t(`web.verdict.${c.verdict}`)}</span
        >${c.reason ? html`<br /><span class="small muted">${c.reason}</span>` : ''}${
          link ? html`<br /><a class="small" href="${link}">${t('web.figures.reproduce')}</a>` : ''
        }
      </td>
    </tr>`;
  });
  const body = html`<h1>${t('web.figures.title')}</h1>
    <p>${t('web.figures.intro', { tolerance: formatPercent(locale, DEFAULT_TOLERANCE) })}</p>
    <p>
      <span class="s green">${counts.consistent}</span> ${t('web.verdict.consistent')} ·
      <span class="s red">${counts.discrepant}</span> ${t('web.verdict.discrepant')} ·
      <span class="s no_data">${counts.not_checkable}</span> ${t('web.verdict.not_checkable')}
    </p>
    <table>
      <caption>
        ${t('web.figures.caption', { count: checks.length })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('web.figures.figure')}</th>
          <th scope="col">${t('web.figures.where')}</th>
          <th scope="col" class="n">${t('web.figures.documented')}</th>
          <th scope="col" class="n">${t('web.figures.computed')}</th>
          <th scope="col">${t('web.figures.verdict')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${seriesSection(await documentedSeriesGroups(stats), locale)}
    ${topicLinks(reader)}`;
  return page({ reader, title: t('web.figures.title'), section: 'figures', body });
}
