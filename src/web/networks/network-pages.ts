/**
 * The network pages. `/networks`: the network in force, its provenance, and for each state the groups
 * present, the alliances and rivalries among them and the rivalries around them, on a map and in a table
 * beside the state's homicide rate (with the caveat that the two are shown side by side, not as cause and
 * effect); then, for a reader the classification lets in, the network drawn and its most central groups.
 * `/networks/groups/{node}`: one group, its state, centralities, allies and rivals. Anyone reads the
 * counts; group-level detail follows the network's classification, as in the API.
 * @module
 */
import type { NetworkAccess } from '../../config.js';
import { formatNumber, translator, type Translate } from '../../i18n/index.js';
import { groupDetail, networkAnalysis, networkSummary, type GroupTie } from '../../networks/network-view.js';
import { mapFeatures } from '../../stats/boundary-maps.js';
import { querySeries } from '../../stats/series.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { choropleth } from '../charts.js';
import { emptyStore } from '../explorer.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { unlessRefused } from '../refused.js';
import type { Reader } from '../reader.js';
import { networkSvg } from './network-svg.js';

/** The year of the BACRIM snapshot, whose homicide rates sit beside its rivalries. */
const RATE_YEAR = '2020';

/** How many of the most central groups the overview lists. */
const CENTRAL = 15;

/** Each state's homicide rate per 100,000 in `year`, where the statistics store has it. */
async function stateRates(stats: StatsStore, year: string): Promise<Map<string, number>> {
  const result = await querySeries(stats, {
    measure: 'homicides',
    level: 'state',
    by: 'year',
    from: year,
    to: year,
    per: 100000,
  }).catch(unlessRefused);
  return new Map(
    (result?.series ?? []).flatMap((s) => {
      const rate = s.points[0]?.rate;
      return rate === undefined || rate === null ? [] : [[s.geo, rate] as const];
    }),
  );
}

const number = (locale: 'en' | 'es', v: number | null, digits = 0) =>
  v === null
    ? '—'
    : formatNumber(locale, v, { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A table's column headings, each `[text, numeric]` (numbers are right-aligned). */
const head = (columns: [string, boolean][]): Html =>
  html`<thead>
    <tr>
      ${columns.map(([text, n]) => (n ? html`<th scope="col" class="n">${text}</th>` : html`<th scope="col">${text}</th>`))}
    </tr>
  </thead>`;

/** The sentence that names the network's files and their checksums. */
function provenance(t: Translate, vintages: { file: string; sha256: string; importedAt: string }[]): Html {
  return html`<p class="small muted">
    ${t('web.networks.source')}
    ${vintages.map(
      (v, i) => html`${i ? '; ' : ''}<code>${v.file}</code> (SHA-256 <code>${v.sha256.slice(0, 12)}</code>)`,
    )}
  </p>`;
}

export async function renderNetworks(
  stats: StatsStore | undefined,
  reader: Reader,
  access: NetworkAccess,
): Promise<string> {
  const { locale } = reader;
  const t = translator(locale);
  const title = t('web.networks.title');
  if (!stats)
    return page({ reader, title, section: 'networks', body: html`<h1>${title}</h1>${emptyStore(t)}` });
  const summary = await networkSummary(stats, reader.viewer, access);
  if (summary.vintages.length === 0)
    return page({
      reader,
      title,
      section: 'networks',
      body: html`<h1>${title}</h1>
        <p class="card">${t('web.networks.none')}</p>`,
    });
  const places = (await stats.metadata()).places;
  const rates = await stateRates(stats, RATE_YEAR);
  const nameOf = (code: string) => places.get(code)?.name ?? code;
  const features = await mapFeatures(stats, 'state', 'MX').catch(unlessRefused);
  const map = features
    ? html`<figure>
        ${choropleth(features.features, new Map(summary.states.map((s) => [s.state, s.groups])), {
          country: 'MX',
          label: t('web.networks.mapLabel'),
          locale,
          noData: t('web.networks.noGroups'),
          href: (code) => `/places/${code}`,
        })}
        <figcaption>${t('web.networks.mapCaption')}</figcaption>
      </figure>`
    : '';
  const rows = [...summary.states]
    .sort((a, b) => b.rivalries - a.rivalries || a.state.localeCompare(b.state))
    .map(
      (s) => html`<tr>
        <th scope="row"><a href="/places/${s.state}">${nameOf(s.state)}</a></th>
        <td class="n">${number(locale, s.groups)}</td>
        <td class="n">${number(locale, s.alliancesWithin)}</td>
        <td class="n">${number(locale, s.rivalriesWithin)}</td>
        <td class="n">${number(locale, s.allianceDensity, 2)}</td>
        <td class="n">${number(locale, s.rivalryDensity, 2)}</td>
        <td class="n">${number(locale, s.rivalries)}</td>
        <td class="n">${number(locale, rates.get(s.state) ?? null, 1)}</td>
      </tr>`,
    );
  const detail = summary.detail ? await detailSection(stats, reader, t) : signInNote(reader, t, access);
  return page({
    reader,
    title,
    section: 'networks',
    body: html`<h1>${title}</h1>
      <nav aria-label="${t('web.networks.related')}">
        <ul class="inline">
          <li><a href="/drug-supply">${t('web.drugs.title')}</a></li>
          <li><a href="/documented/firearms">${t('web.documented.firearms.title')}</a></li>
          <li><a href="/documented/extraditions">${t('web.documented.extraditions.title')}</a></li>
          <li><a href="/documented/national-guard">${t('web.documented.national-guard.title')}</a></li>
        </ul>
      </nav>
      <p class="lead">
        ${t('web.networks.lead', {
          groups: summary.groups,
          alliances: summary.alliances,
          rivalries: summary.rivalries,
        })}
      </p>
      ${provenance(t, summary.vintages)}
      <p class="card warn" role="note">${t('web.networks.caveat')}</p>
      <h2>${t('web.networks.byState')}</h2>
      ${map}
      <table>
        <caption>
          ${t('web.networks.tableCaption', { year: RATE_YEAR })}
        </caption>
        ${head([
          [t('web.networks.col.state'), false],
          [t('web.networks.col.groups'), true],
          [t('web.networks.col.alliancesWithin'), true],
          [t('web.networks.col.rivalriesWithin'), true],
          [t('web.networks.col.allianceDensity'), true],
          [t('web.networks.col.rivalryDensity'), true],
          [t('web.networks.col.rivalries'), true],
          [t('web.networks.col.rate', { year: RATE_YEAR }), true],
        ])}
        <tbody>
          ${rows}
        </tbody>
      </table>
      ${detail}`,
  });
}

/** For a reader the classification keeps out: what they may not see and how to see it. */
function signInNote(reader: Reader, t: Translate, access: NetworkAccess): Html {
  return html`<h2>${t('web.networks.groupsTitle')}</h2>
    <p class="card">
      ${
        reader.viewer === null
          ? html`${t('web.networks.signIn', { classification: access.classification })}
            <a href="/login?next=${encodeURIComponent('/networks')}">${t('web.session.signIn')}</a>`
          : t('web.networks.restricted', { country: access.country })
      }
    </p>`;
}

/** The network drawn, its structure, and its most central groups. */
async function detailSection(stats: StatsStore, reader: Reader, t: Translate): Promise<Html> {
  const { locale } = reader;
  const { analysis, layout } = await networkAnalysis(stats);
  const places = (await stats.metadata()).places;
  const stateName = (code: string) => places.get(code)?.name ?? code;
  const svg = networkSvg(analysis, layout, {
    label: t('web.networks.drawingLabel', {
      groups: layout.positions.size,
      alliances: analysis.ties.alliance.length,
      rivalries: analysis.ties.rivalry.length,
    }),
    groupTitle: (g) =>
      t('web.networks.groupTitle', {
        name: g.name,
        state: stateName(g.state),
        allies: g.degree.alliance,
        rivals: g.degree.rivalry,
      }),
    alliance: t('web.networks.alliance'),
    rivalry: t('web.networks.rivalry'),
  });
  const central = [...analysis.groups]
    .sort((a, b) => b.betweenness.all - a.betweenness.all || a.node.localeCompare(b.node))
    .slice(0, CENTRAL)
    .map(
      (g) => html`<tr>
        <th scope="row"><a href="/networks/groups/${g.node}">${g.name}</a></th>
        <td>${stateName(g.state)}</td>
        <td class="n">${number(locale, g.degree.alliance)}</td>
        <td class="n">${number(locale, g.degree.rivalry)}</td>
        <td class="n">${number(locale, g.weightedDegree.all)}</td>
        <td class="n">${number(locale, g.betweenness.all, 1)}</td>
        <td class="n">${g.community === null ? '—' : number(locale, g.community)}</td>
      </tr>`,
    );
  const largest = analysis.components[0]?.nodes.length ?? 0;
  return html`<h2>${t('web.networks.groupsTitle')}</h2>
    <p>
      ${t('web.networks.structure', {
        components: analysis.components.length,
        largest,
        isolated: layout.isolated.length,
        communities: analysis.communities.length,
        modularity: number(locale, analysis.modularity, 2),
      })}
    </p>
    <figure>${svg}<figcaption>${t('web.networks.drawingCaption')}</figcaption></figure>
    <table>
      <caption>
        ${t('web.networks.centralCaption', { count: CENTRAL })}
      </caption>
      ${head([
        [t('web.networks.col.group'), false],
        [t('web.networks.col.state'), false],
        [t('web.networks.col.allies'), true],
        [t('web.networks.col.rivals'), true],
        [t('web.networks.col.weighted'), true],
        [t('web.networks.col.betweenness'), true],
        [t('web.networks.col.community'), true],
      ])}
      <tbody>
        ${central}
      </tbody>
    </table>`;
}

export async function renderGroup(
  stats: StatsStore,
  reader: Reader,
  access: NetworkAccess,
  node: string,
): Promise<string> {
  const { locale } = reader;
  const t = translator(locale);
  const { group, allies, rivals, vintages } = await groupDetail(stats, reader.viewer, access, node);
  const places = (await stats.metadata()).places;
  const stateName = (code: string) => places.get(code)?.name ?? code;
  const ties = (caption: string, list: GroupTie[]) =>
    list.length === 0
      ? html`<p>${t('web.networks.noTies')}</p>`
      : html`<table>
          <caption>
            ${caption}
          </caption>
          ${head([
            [t('web.networks.col.group'), false],
            [t('web.networks.col.state'), false],
            [t('web.networks.col.weight'), true],
            [t('web.networks.col.reported'), false],
          ])}
          <tbody>
            ${list.map(
              (x) => html`<tr>
                <th scope="row"><a href="/networks/groups/${x.node}">${x.name}</a></th>
                <td><a href="/places/${x.state}">${stateName(x.state)}</a></td>
                <td class="n">${number(locale, x.weight)}</td>
                <td>${t(`web.networks.reported.${x.reported}`)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`;
  const layers = ['alliance', 'rivalry', 'all'] as const;
  return page({
    reader,
    title: group.name,
    section: 'networks',
    body: html`<p class="small"><a href="/networks">${t('web.networks.title')}</a></p>
      <h1>${group.name}</h1>
      <p class="lead">
        ${t('web.networks.groupLead', { node: group.node, component: group.component })}
        ${
          group.community === null
            ? t('web.networks.noCommunity')
            : t('web.networks.community', { community: group.community })
        }
        ${t('web.networks.presentIn')} <a href="/places/${group.state}">${stateName(group.state)}</a>.
      </p>
      ${provenance(t, vintages)}
      <table>
        <caption>
          ${t('web.networks.metricsCaption')}
        </caption>
        ${head([
          [t('web.networks.col.layer'), false],
          [t('web.networks.col.degree'), true],
          [t('web.networks.col.weighted'), true],
          [t('web.networks.col.betweenness'), true],
        ])}
        <tbody>
          ${layers.map(
            (l) => html`<tr>
              <th scope="row">${t(`web.networks.layer.${l}`)}</th>
              <td class="n">${number(locale, group.degree[l])}</td>
              <td class="n">${number(locale, group.weightedDegree[l])}</td>
              <td class="n">${number(locale, group.betweenness[l], 1)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <h2>${t('web.networks.allies', { count: allies.length })}</h2>
      ${ties(t('web.networks.alliesCaption'), allies)}
      <h2>${t('web.networks.rivals', { count: rivals.length })}</h2>
      ${ties(t('web.networks.rivalsCaption'), rivals)}`,
  });
}
