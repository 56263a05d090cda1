/**
 * The funding pages: the country (`/funding`), a program (`/programs/{code}/funding`) and a framework
 * node (`/nodes/{ref}/funding`), in current or constant dollars (`?dollars=constant&base=FY2021`).
 * Approved lines only, whoever reads; each chart has its data in a table beside it, and the lines
 * counted can be downloaded as CSV and XLSX with the same columns.
 * @module
 */
import { NotFoundError, ValidationError, textIssue } from '../../error.js';
import type { Dollars } from '../../domain/funding/deflator.js';
import { chosenDollars, deflatorInForce, type DeflatorInForce } from '../../funding/deflator-service.js';
import type { FundingAnalysis, FundingScope } from '../../funding/funding-analysis.js';
import { keptAnalysis } from '../../funding/analysis-cache.js';
import { translator, type Translate } from '../../i18n/index.js';
import type { RecordsStore } from '../../records/database.js';
import { getProgram } from '../../records/program-repository.js';
import { listNodes } from '../../records/framework-repository.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { notFoundPage } from '../places.js';
import type { Reader } from '../reader.js';
import {
  accountsSection,
  flowSection,
  money,
  nodesSection,
  pipelineSection,
  resultsSection,
  shareSection,
  totals,
  type Ctx,
} from './funding-sections.js';

type Rendered = { status: 200 | 400 | 404; body: string };

/** Programs in a page's funding-against-results table: the most obligated; the downloads hold all. */
export const PAGE_PROGRAMS = 20;

/** The page's path for a scope. */
export function fundingPath(scope: FundingScope): string {
  if (scope.kind === 'program') return `/programs/${encodeURIComponent(scope.code)}/funding`;
  if (scope.kind === 'node') return `/nodes/${scope.ref}/funding`;
  return '/funding';
}

/** The dollars the URL asks for: `dollars=constant` and an optional `base`, checked against the deflator. */
export function dollarsOf(url: URL, deflator: DeflatorInForce): Dollars {
  const kind = url.searchParams.get('dollars') ?? 'current';
  const base = url.searchParams.get('base') ?? undefined;
  if (kind !== 'current' && kind !== 'constant')
    throw new ValidationError([textIssue('dollars', 'funding.dollarsKind', { value: kind })], 'url');
  return chosenDollars(deflator, { constant: kind === 'constant', base }, 'base');
}

/** The page's title and breadcrumb for a scope. */
async function heading(store: RecordsStore, reader: Reader, t: Translate, scope: FundingScope) {
  const { locale } = reader;
  const home = html`<a href="/">${t('web.nav.home')}</a> › `;
  if (scope.kind === 'program') {
    const program = await getProgram(store, reader.viewer, scope.code);
    const title = t('web.funding.programTitle', { program: program.title[locale] });
    return {
      title,
      crumbs: html`${home}<a href="/funding">${t('web.funding.countryTitle')}</a> › <a href="/programs/${program.code}">${program.title[locale]}</a>`,
    };
  }
  if (scope.kind === 'node') {
    const node = (await listNodes(store)).find((n) => n.ref === scope.ref);
    if (!node) throw new NotFoundError('framework node', scope.ref);
    const title = t('web.funding.nodeTitle', { node: node.title[locale] });
    return {
      title,
      crumbs: html`${home}<a href="/funding">${t('web.funding.countryTitle')}</a> › <a href="/nodes/${node.ref}">${node.title[locale]}</a>`,
    };
  }
  return { title: t('web.funding.countryTitle'), crumbs: home };
}

/** The switch between current and constant dollars, and what the constant ones are. */
function dollarSwitch(
  t: Translate,
  path: string,
  locale: string,
  a: FundingAnalysis,
  deflator: DeflatorInForce,
): Html {
  const here = a.dollars.kind;
  const link = (kind: 'current' | 'constant', label: string) =>
    here === kind
      ? html`<strong aria-current="true">${label}</strong>`
      : html`<a href="${path}?lang=${locale}${kind === 'constant' ? '&dollars=constant' : ''}">${label}</a>`;
  const constant = deflator.base ? t('web.funding.dollars.constant', { base: deflator.base }) : '';
  return html`<p class="small">${t('web.funding.dollars.label')}: ${link('current', t('web.funding.dollars.current'))}${
    deflator.origin === 'none'
      ? html` · <span class="muted">${t('web.funding.dollars.noDeflator')}</span>`
      : html` · ${link('constant', constant)}`
  }</p>${
    a.dollars.kind === 'constant'
      ? html`<p class="small muted">${t(`web.funding.deflator.${deflator.origin}`, { base: a.dollars.base })} ${deflator.sources.join('; ')}</p>`
      : ''
  }`;
}

/** The funding page of `scope`. */
export async function renderFunding(
  store: RecordsStore,
  stats: StatsStore | undefined,
  reader: Reader,
  scope: FundingScope,
): Promise<Rendered> {
  const { locale, url } = reader;
  const t = translator(locale);
  let head;
  try {
    head = await heading(store, reader, t, scope);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundPage(reader, error.messageIn(locale));
    throw error;
  }
  const deflator = await deflatorInForce(store, stats);
  let dollars: Dollars;
  try {
    dollars = dollarsOf(url, deflator);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return {
      status: 400,
      body: page({
        reader,
        title: head.title,
        section: 'funding',
        body: html`<h1>${head.title}</h1><p class="card warn" role="alert">${error.messageIn(locale)}</p>`,
      }),
    };
  }
  const a = await keptAnalysis(store, stats, reader.viewer, scope, dollars, {
    programLimit: PAGE_PROGRAMS,
  });
  const unit =
    dollars.kind === 'current'
      ? t('web.funding.dollars.currentUnit')
      : t('web.funding.dollars.constantUnit', { base: dollars.base });
  const ctx: Ctx = { t, locale, a, unit };
  const path = fundingPath(scope);
  const query = new URLSearchParams({
    lang: locale,
    ...(scope.kind === 'program' ? { program: scope.code } : {}),
    ...(scope.kind === 'node' ? { node: scope.ref } : {}),
  });
  const sum = totals(a);
  const years = a.fiscalYears;
  const takeaway =
    a.counted === 0
      ? t('web.funding.empty')
      : t('web.funding.takeaway', {
          from: years[0]!,
          to: years.at(-1)!,
          obligated: money(locale, sum.obligated),
          spent: money(locale, sum.spent),
          undisbursed: money(locale, sum.undisbursed),
        });
  const body = html`<p class="small">${head.crumbs}</p>
<h1>${head.title}</h1>
<p class="takeaway">${takeaway}</p>
<p class="small muted">${t('web.funding.approvedOnly', { lines: a.counted })}</p>
${reader.session?.roles.some((r) => r === 'reporter' || r === 'approver') ? html`<p><a href="/funding/lines?lang=${locale}">${t('web.fundingLines.link')}</a></p>` : ''}
${dollarSwitch(t, path, locale, a, deflator)}
${a.leftOut.length ? html`<p class="card warn" role="note">${t('web.funding.leftOut', { years: [...new Set(a.leftOut.map((l) => l.fiscal_year))].join(', ') })}</p>` : ''}
${a.counted === 0 ? '' : html`${flowSection(ctx)}${accountsSection(ctx)}${pipelineSection(ctx)}${shareSection(ctx)}${scope.kind === 'program' ? '' : nodesSection(ctx)}`}
${resultsSection(ctx)}
<section aria-labelledby="downloads"><h2 id="downloads">${t('web.funding.downloads.title')}</h2>
<p>${t('web.funding.downloads.lead')}</p>
<ul><li><a href="/funding/lines.csv?${query.toString()}" download>${t('web.funding.downloads.csv')}</a></li><li><a href="/funding/lines.xlsx?${query.toString()}" download>${t('web.funding.downloads.xlsx')}</a></li><li><a href="/api/v1/funding/summary?${query.toString()}${dollars.kind === 'constant' ? `&dollars=constant&base=${dollars.base}` : ''}">${t('web.funding.downloads.json')}</a></li></ul>
<p class="small muted">${t('web.funding.downloads.docs')}</p></section>`;
  return { status: 200, body: page({ reader, title: head.title, section: 'funding', body }) };
}
