/**
 * The bilingual home page: what Marco is, the freshness of each data source, the frameworks with their
 * scorecard roll-ups, program scorecards, and the headline outcome series with their source lines.
 * Rendered on the server, with no script.
 * @module
 */
import { unlessRefused } from './refused.js';
import { rateTakeaway } from './takeaways/place-takeaway.js';
import { placeName } from './places.js';
import { type StatusCounts } from '../domain/score-types.js';
import {
  formatDate,
  formatMonths,
  formatNumber,
  formatPercent,
  translator,
  type Locale,
  type Translate,
} from '../i18n/index.js';
import type { RecordsStore } from '../records/database.js';
import { listFrameworks, listNodes } from '../records/framework-repository.js';
import { listBenchmarks } from '../records/benchmark-repository.js';
import { benchmarkProgress } from '../benchmarks/benchmark-progress.js';
import { benchmarkLines } from './benchmarks/benchmark-cards.js';
import { buildScorecard } from '../indicators/scorecard.js';
import { sourceCatalogue } from '../stats/catalogue.js';
import { querySeries } from '../stats/series.js';
import type { StatsStore } from '../stats/stats-store.js';
import { lineChart } from './charts.js';
import { emptyStore, viewQuery } from './explorer.js';
import { html, type Html } from './html.js';
import type { Reader } from './reader.js';
import { page } from './layout.js';

function counts(t: Translate, c: StatusCounts): Html {
  const cell = (status: keyof StatusCounts) =>
    html`<span class="s ${status}" title="${t(`status.${status}`)}">${c[status]}</span>`;
  return html`${cell('green')} ${cell('amber')} ${cell('red')} ${cell('no_data')}
    <span class="sr">${t('status.counts', { ...c })}</span>`;
}

/**
 * The last period a source holds, as its granularity names it: `December 2021` for monthly data, `2070`
 * for yearly, `FY2024` for fiscal years (a period is stored by its first day, which is not the data's).
 */
function lastPeriod(locale: Locale, start: string, grains: Set<string> | undefined): string {
  if (grains?.has('month') || grains?.has('quarter') || !grains)
    return formatMonths(locale, start.slice(0, 7), start.slice(0, 7));
  if (grains.has('fiscal_year')) return `FY${Number(start.slice(0, 4)) + 1}`;
  return start.slice(0, 4);
}

/** A headline outcome series: its chart, its latest value and its source line. */
async function headline(
  stats: StatsStore,
  locale: Locale,
  t: Translate,
  o: { measure: string; geo: string; per?: number; title: string; from: string },
): Promise<Html> {
  const result = await querySeries(stats, {
    measure: o.measure,
    geo: [o.geo],
    by: 'year',
    from: o.from,
    ...(o.per ? { per: o.per } : {}),
  }).catch(unlessRefused);
  const points = result?.series[0]?.points ?? [];
  if (!result || points.length === 0)
    return html`<div class="card">
      <h3>${o.title}</h3>
      <p class="muted">${t('web.noData')}</p>
    </div>`;
  // The headline is the latest complete period: a partial one (a month of a new year) would read as a
  // collapse. The chart still shows it, hollow.
  const last = points.filter((p) => !p.partial).at(-1) ?? points.at(-1)!;
  const value = o.per ? last.rate : last.value;
  const unit = o.per
    ? t('web.explore.ratePer', { per: formatNumber(locale, o.per) })
    : result.measure.unit[locale];
  const link = viewQuery({
    measure: o.measure,
    geo: o.geo,
    by: 'year',
    from: o.from,
    per: o.per ? String(o.per) : '',
  });
  return html`<div class="card">
    <h3>${o.title}</h3>
    <p>
      <strong class="headline" data-measure="${o.measure}"
        >${value === null ? '—' : formatNumber(locale, value, { maximumFractionDigits: 1 })}</strong
      >
      ${unit}, ${last.period}
    </p>
    ${
      // A rate reads against its own past: "…, 17% below its 2020 peak".
      o.per
        ? html`<p class="takeaway">
            ${
              rateTakeaway(locale, {
                place: placeName(t, o.geo),
                points: points.map((p) => ({ ...p, value: p.rate })),
              }) ?? ''
            }
          </p>`
        : ''
    }
    ${lineChart(
      [
        {
          name: o.geo,
          points: points.map((p) => ({
            start: p.start,
            value: o.per ? p.rate : p.value,
            partial: p.partial,
          })),
        },
      ],
      {
        label: `${o.title}, ${points[0]!.period}–${points.at(-1)!.period}`,
        yLabel: unit,
        locale,
        by: result.query.by,
        width: 520,
        height: 220,
      },
    )}
    <p class="small muted">
      ${t('web.home.source')}:
      ${result.vintages.map((v, i) => html`${i ? '; ' : ''}${v.source} (${v.file_name})`)} ·
      <a href="/explore?${link}">${t('web.explore.link')}</a>
    </p>
  </div>`;
}

/** Renders the home page in `locale`. */
export async function renderHome(
  store: RecordsStore,
  stats: StatsStore | undefined,
  reader: Reader,
): Promise<string> {
  const { locale } = reader;
  const t = translator(locale);
  const [frameworks, card, allNodes, benchmarks] = await Promise.all([
    listFrameworks(store),
    buildScorecard(store, { viewer: reader.viewer, stats }),
    listNodes(store),
    listBenchmarks(store),
  ]);
  const progress = await Promise.all(benchmarks.map((b) => benchmarkProgress(stats, b)));
  const nodeTitle = (ref: string) => allNodes.find((n) => n.ref === ref)?.title[locale] ?? ref;
  const programs = card.programs.map(
    (p) =>
      html`<tr>
        <td>
          <a href="/programs/${p.code}">${p.title[locale]}</a>
          <span class="code small muted">${p.code}</span>${
            p.hasOutcomeIndicator ? '' : html`<br /><span class="warn">⚠ ${t('home.noOutcome')}</span>`
          }
        </td>
        <td class="chips">${counts(t, p.counts)}</td>
        <td>${p.compliance.score === null ? '—' : formatPercent(locale, p.compliance.score)}</td>
      </tr>`,
  );
  const nodes = card.nodes.map(
    (n) =>
      html`<tr>
        <td class="depth${Math.min(6, n.ref.split(':')[1]!.split('.').length - 1)}">
          <a href="/nodes/${n.ref}">${n.title[locale]}</a>
          <span class="code small muted">${n.ref}</span>
        </td>
        <td class="chips">${counts(t, n)}</td>
      </tr>`,
  );
  const fw = frameworks.map(
    (f) =>
      html`<li>
        <strong>${f.title[locale]}</strong> — ${t('home.edition', { edition: f.edition })},
        ${t('home.nodes', { count: f.nodes })}${
          f.note[locale]
            ? html`<br /><span class="muted">${t('home.officialNote')}: ${f.note[locale]!}</span>`
            : ''
        }
      </li>`,
  );
  const coverage =
    card.coverage.share === null
      ? t('home.coverageNone')
      : t('home.coverage', {
          withOutcome: card.coverage.withOutcome,
          programs: card.coverage.programs,
          share: formatPercent(locale, card.coverage.share),
        });

  // Freshness: the vintage in force of each source, with its file and dates.
  let freshness: Html = html``;
  let headlines: Html = html``;
  if (stats) {
    const catalogue = await sourceCatalogue(stats);
    const grains = new Map<string, Set<string>>();
    for (const c of (await stats.metadata()).coverage)
      grains.set(c.source, (grains.get(c.source) ?? new Set()).add(c.granularity));
    const rows = catalogue.flatMap((s) => {
      const live = s.vintages.filter((v) => v.replaced_by === null);
      const latest = live.at(-1);
      if (!latest) return [];
      const to = live
        .map((v) => v.period_to)
        .filter((x): x is string => x !== null)
        .sort()
        .at(-1);
      return [
        html`<tr>
          <td>${s.title[locale]}<br /><span class="small muted">${s.id}</span></td>
          <td>
            ${latest.file_name}<br /><span class="small muted">sha256 ${latest.sha256.slice(0, 12)}…</span>
          </td>
          <td>${to ? lastPeriod(locale, to, grains.get(s.id)) : '—'}</td>
          <td>${formatDate(locale, latest.imported_at.slice(0, 10))}</td>
        </tr>`,
      ];
    });
    // Starter data says what it is, and how to get the rest with commands that work as shown.
    const starter = catalogue.some((s) =>
      s.vintages.some((v) => v.replaced_by === null && v.origin?.startsWith('starter:')),
    );
    const more = starter
      ? html`<div class="card">
          <p>${t('web.home.starter')}</p>
          <pre><code>npx marco fetch --all
npx marco import-dir ${t('web.home.starterDir')}
npx marco sources</code></pre>
        </div>`
      : '';
    freshness = rows.length
      ? html`${more}<table>
          <caption>
            ${t('web.home.freshness')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('web.home.sourceCol')}</th>
              <th scope="col">${t('web.home.vintage')}</th>
              <th scope="col">${t('web.home.dataTo')}</th>
              <th scope="col">${t('web.home.imported')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>`
      : emptyStore(t);
    if (rows.length)
      headlines = html`<div class="grid">
        ${await headline(stats, locale, t, {
          measure: 'homicides',
          geo: 'MX',
          per: 100_000,
          title: t('web.home.mxHomicides'),
          from: '2000',
        })}${await headline(stats, locale, t, { measure: 'synthetic_opioid_deaths_12m', geo: 'US', title: t('web.home.usOpioids'), from: '2015' })}
      </div>`;
  }

  const body = html`<h1>${t('app.name')}</h1>
    <p>${t('app.tagline')}</p>
    <p>${t('app.about')}</p>
    <h2>${t('web.home.outcomes')}</h2>
    ${headlines}
    <h2>${t('home.frameworks')}</h2>
    <ul>
      ${fw}
    </ul>
    <h2>${t('web.benchmarks.title')}</h2>
    <p>${t('web.benchmarks.intro')}</p>
    ${benchmarkLines(reader, progress, nodeTitle)}
    <h2>${t('home.rollup')}</h2>
    <p>
      ${(['green', 'amber', 'red', 'no_data'] as const).map((status) => html`<span class="s ${status}">${t(`status.${status}`)}</span> `)}
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">${t('home.node')}</th>
          <th scope="col">${t('home.indicators')}</th>
        </tr>
      </thead>
      <tbody>
        ${nodes}
      </tbody>
    </table>
    <h2>${t('home.scorecards')}</h2>
    <p>${coverage}</p>
    ${
      card.programs.length === 0
        ? html`<p>${t('home.empty')}</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">${t('home.program')}</th>
                <th scope="col">${t('home.indicators')}</th>
                <th scope="col">${t('home.compliance')}</th>
              </tr>
            </thead>
            <tbody>
              ${programs}
            </tbody>
          </table>`
    }
    <h2>${t('web.home.data')}</h2>
    ${freshness}
    <h2>${t('home.api')}</h2>
    <p>${t('home.apiText')} <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p>`;
  return page({ reader, title: t('home.title'), section: 'home', body });
}
