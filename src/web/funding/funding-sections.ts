/**
 * The sections of a funding page, each a chart and the table of its data: dollars by account and stage,
 * the flow from budget to disbursement, the pipeline and burn rate, the security–development share,
 * obligations by top-level framework node, and funding against results.
 * @module
 */
import type { FundingAnalysis } from '../../funding/funding-analysis.js';
import { FUNDING_STAGES, type FundingStage } from '../../domain/funding/stages.js';
import { formatNumber, formatPercent, type Locale, type Translate } from '../../i18n/index.js';
import { barChart } from '../bar-chart.js';
import { html, type Html } from '../html.js';

export interface Ctx {
  t: Translate;
  locale: Locale;
  a: FundingAnalysis;
  /** The dollars' name for axis labels and captions (current, or constant of a year). */
  unit: string;
}

export const money = (locale: Locale, v: number | null) =>
  v === null
    ? '—'
    : formatNumber(locale, v, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const pct = (locale: Locale, v: number | null) => (v === null ? '—' : formatPercent(locale, v));
const th = (text: string, n = false) => html`<th scope="col"${n ? html` class="n"` : ''}>${text}</th>`;

/** The stages recorded in the analysis, in order. */
const stagesIn = (a: FundingAnalysis): FundingStage[] =>
  FUNDING_STAGES.filter((s) => a.totals.some((x) => x.stage === s));

/** Dollars by fiscal year, stacked by account, one bar per stage. */
export function accountsSection({ t, locale, a, unit }: Ctx): Html {
  const stages = stagesIn(a);
  const accounts = [...new Set(a.totals.map((x) => x.account))].sort();
  const stageName = (s: FundingStage) => t(`web.funding.stage.${s}`);
  const chart = barChart(
    a.totals.map((x) => ({
      band: x.fiscal_year,
      group: stageName(x.stage),
      fill: x.account,
      value: x.amount,
    })),
    {
      label: t('web.funding.accounts.chart', { unit }),
      yLabel: unit,
      locale,
      fills: accounts,
      groups: stages.map(stageName),
      money: true,
    },
  );
  const rows = a.totals.map(
    (x) =>
      html`<tr><td>${x.fiscal_year}</td><td>${x.account}</td><td>${stageName(x.stage)}</td><td class="n">${money(locale, x.amount)}</td></tr>`,
  );
  return html`<section aria-labelledby="by-account"><h2 id="by-account">${t('web.funding.accounts.title')}</h2>
<p>${t('web.funding.accounts.lead')}</p>${chart}
<details><summary>${t('web.funding.dataTable')}</summary><table><caption>${t('web.funding.accounts.chart', { unit })}</caption><thead><tr>${th(t('web.funding.col.fiscalYear'))}${th(t('web.funding.col.account'))}${th(t('web.funding.col.stage'))}${th(t('web.funding.col.amount'), true)}</tr></thead><tbody>${rows}</tbody></table></details></section>`;
}

/** Budget (appropriated or allocated), obligated and disbursed, by fiscal year. */
export function flowSection({ t, locale, a, unit }: Ctx): Html {
  const steps = [
    t('web.funding.flow.budget'),
    t('web.funding.flow.obligated'),
    t('web.funding.flow.disbursed'),
  ];
  const values = (f: FundingAnalysis['flow'][number]) => [
    f.budget ?? 0,
    f.stages.obligation,
    f.stages.disbursement + f.stages.expenditure,
  ];
  const chart = barChart(
    a.flow.flatMap((f) =>
      values(f).map((value, i) => ({ band: f.fiscal_year, group: steps[i]!, fill: steps[i]!, value })),
    ),
    {
      label: t('web.funding.flow.chart', { unit }),
      yLabel: unit,
      locale,
      fills: steps,
      groups: steps,
      money: true,
    },
  );
  const rows = a.flow.map(
    (f) =>
      html`<tr><td>${f.fiscal_year}</td><td class="n">${money(locale, f.budget)}</td><td class="n">${money(locale, f.stages.obligation)}</td><td class="n">${money(locale, f.stages.disbursement + f.stages.expenditure)}</td></tr>`,
  );
  return html`<section aria-labelledby="flow"><h2 id="flow">${t('web.funding.flow.title')}</h2>
<p>${t('web.funding.flow.lead')}</p>${chart}
<table><caption>${t('web.funding.flow.chart', { unit })}</caption><thead><tr>${th(t('web.funding.col.fiscalYear'))}${steps.map((s) => th(s, true))}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Obligated and not yet disbursed, by fiscal year and account, with the burn rate. */
export function pipelineSection({ t, locale, a, unit }: Ctx): Html {
  const accounts = [...new Set(a.pipeline.map((p) => p.account))].sort();
  const chart = barChart(
    a.pipeline
      .filter((p) => p.undisbursed > 0)
      .map((p) => ({ band: p.fiscal_year, fill: p.account, value: p.undisbursed })),
    { label: t('web.funding.pipeline.chart', { unit }), yLabel: unit, locale, fills: accounts, money: true },
  );
  const rows = a.pipeline.map(
    (p) =>
      html`<tr><td>${p.fiscal_year}</td><td>${p.account}</td><td class="n">${money(locale, p.stages.obligation)}</td><td class="n">${money(locale, p.stages.disbursement + p.stages.expenditure)}</td><td class="n">${money(locale, p.undisbursed)}</td><td class="n">${pct(locale, p.burnRate)}</td><td class="n">${money(locale, p.unobligated)}</td></tr>`,
  );
  return html`<section aria-labelledby="pipeline"><h2 id="pipeline">${t('web.funding.pipeline.title')}</h2>
<p>${t('web.funding.pipeline.lead')}</p>${chart}
<table><caption>${t('web.funding.pipeline.table', { unit })}</caption><thead><tr>${th(t('web.funding.col.fiscalYear'))}${th(t('web.funding.col.account'))}${th(t('web.funding.flow.obligated'), true)}${th(t('web.funding.flow.disbursed'), true)}${th(t('web.funding.pipeline.undisbursed'), true)}${th(t('web.funding.pipeline.burn'), true)}${th(t('web.funding.pipeline.unobligated'), true)}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** The security share of each fiscal year's money at one stage, with the split used. */
export function shareSection({ t, locale, a }: Ctx): Html {
  const sides = [t('web.funding.share.security'), t('web.funding.share.development')];
  const stage = t(`web.funding.stageIn.${a.share.stage}`);
  const chart = barChart(
    a.share.rows.flatMap((r) => [
      { band: r.fiscal_year, fill: sides[0]!, value: r.security },
      { band: r.fiscal_year, fill: sides[1]!, value: r.development },
    ]),
    {
      label: t('web.funding.share.chart', { stage }),
      yLabel: t('web.funding.share.axis'),
      locale,
      fills: sides,
      normalize: true,
    },
  );
  const rows = a.share.rows.map(
    (r) =>
      html`<tr><td>${r.fiscal_year}</td><td class="n">${money(locale, r.security)}</td><td class="n">${money(locale, r.development)}</td><td class="n">${pct(locale, r.securityShare)}</td></tr>`,
  );
  return html`<section aria-labelledby="share"><h2 id="share">${t('web.funding.share.title')}</h2>
<p>${t('web.funding.share.lead', { stage, security: a.share.security.join(', '), development: a.share.development.join(', ') })}</p>${chart}
<table><caption>${t('web.funding.share.chart', { stage })}</caption><thead><tr>${th(t('web.funding.col.fiscalYear'))}${th(sides[0]!, true)}${th(sides[1]!, true)}${th(t('web.funding.share.securityShare'), true)}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Obligations by top-level framework node (Mérida pillars, Bicentennial goals), one chart per framework. */
export function nodesSection({ t, locale, a, unit }: Ctx): Html {
  if (a.byTopNode.length === 0) return html``;
  const name = (n: FundingAnalysis['byTopNode'][number]) => `${n.node} ${n.title[locale]}`;
  const frameworks = [...new Set(a.byTopNode.map((n) => n.node.split(':')[0]!))].sort();
  const charts = frameworks.map((framework) => {
    const rows = a.byTopNode.filter((n) => n.node.startsWith(`${framework}:`));
    const label = t('web.funding.nodes.chart', {
      framework: t(
        `web.funding.framework.${framework === 'merida' || framework === 'bicentennial' ? framework : 'other'}`,
        { code: framework },
      ),
      unit,
    });
    return barChart(
      rows.map((n) => ({ band: n.fiscal_year, fill: name(n), value: n.obligated })),
      { label, yLabel: unit, locale, fills: [...new Set(rows.map(name))].sort(), money: true },
    );
  });
  const rows = a.byTopNode.map(
    (n) =>
      html`<tr><td>${n.fiscal_year}</td><td><a href="/nodes/${n.node}/funding">${n.title[locale]}</a> <span class="code small muted">${n.node}</span></td><td class="n">${money(locale, n.obligated)}</td></tr>`,
  );
  return html`<section aria-labelledby="nodes"><h2 id="nodes">${t('web.funding.nodes.title')}</h2>
<p>${t('web.funding.nodes.lead')}</p>${charts}
<table><caption>${t('web.funding.nodes.table', { unit })}</caption><thead><tr>${th(t('web.funding.col.fiscalYear'))}${th(t('web.funding.col.node'))}${th(t('web.funding.flow.obligated'), true)}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Each program's dollars beside its indicators' % of target met, and the outcome coverage of dollars. */
export function resultsSection({ t, locale, a }: Ctx): Html {
  const rows = a.programs.flatMap((p) => {
    const span = Math.max(1, p.indicators.length);
    const head = html`<th scope="rowgroup" rowspan="${span}"><a href="/programs/${p.code}/funding">${p.title[locale]}</a> <span class="code small muted">${p.code}</span></th><td class="n" rowspan="${span}">${money(locale, p.stages.obligation)}</td><td class="n" rowspan="${span}">${money(locale, p.stages.disbursement + p.stages.expenditure)}</td>`;
    if (p.indicators.length === 0)
      return [
        html`<tr>${head}<td colspan="4" class="muted">${t('web.funding.results.noIndicators')}</td></tr>`,
      ];
    return p.indicators.map(
      (i, n) =>
        html`<tr>${n === 0 ? head : ''}<td><a href="/indicators/${i.code}">${i.name[locale]}</a><br><span class="small muted">${t(`level.${i.level}`)}</span></td><td class="n">${pct(locale, i.percentMet)}</td><td><span class="s ${i.status}">${t(`status.${i.status}`)}</span></td><td class="n">${i.costPerUnit === null ? '—' : html`${money(locale, i.costPerUnit)}<br><span class="small muted">${t('web.funding.results.per', { unit: i.unit[locale] })}</span>`}</td></tr>`,
    );
  });
  const c = a.coverage;
  return html`<section aria-labelledby="results"><h2 id="results">${t('web.funding.results.title')}</h2>
<p>${c.share === null ? t('web.funding.results.noObligations') : t('web.funding.results.coverage', { share: pct(locale, c.share), covered: money(locale, c.covered), obligated: money(locale, c.obligated) })}</p>
${a.programs.length === 0 ? html`<p class="muted">${t('web.funding.results.none')}</p>` : html`<table><caption>${t('web.funding.results.caption')}</caption><thead><tr>${th(t('web.funding.col.program'))}${th(t('web.funding.flow.obligated'), true)}${th(t('web.funding.flow.disbursed'), true)}${th(t('web.funding.col.indicator'))}${th(t('web.funding.results.met'), true)}${th(t('web.funding.col.status'))}${th(t('web.funding.results.costPerUnit'), true)}</tr></thead><tbody>${rows}</tbody></table>`}
${a.programCount > a.programs.length ? html`<p class="small">${t('web.funding.results.some', { shown: a.programs.length, count: a.programCount })}</p>` : ''}
<p class="small muted">${t('web.funding.results.note')}</p></section>`;
}

/** Dollars in the stages recorded, for the takeaway: obligated, disbursed and undisbursed in total. */
export function totals(a: FundingAnalysis) {
  const sum = (s: FundingStage) => a.flow.reduce((x, f) => x + f.stages[s], 0);
  const obligated = sum('obligation');
  const spent = sum('disbursement') + sum('expenditure');
  return { obligated, spent, undisbursed: a.pipeline.reduce((x, p) => x + p.undisbursed, 0) };
}
