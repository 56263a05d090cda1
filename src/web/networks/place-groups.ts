/**
 * The criminal groups of a Mexican place's state, on its profile: for anyone, how many groups the network
 * in force places there, with its alliances and rivalries; for a reader the network's classification
 * admits, the groups themselves, each linked to its page. Nothing when no network is imported.
 * @module
 */
import type { NetworkAccess } from '../../config.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { canSeeNetwork, networkAnalysis } from '../../networks/network-view.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { html, type Html } from '../html.js';
import type { Reader } from '../reader.js';

export async function placeGroups(
  stats: StatsStore,
  reader: Reader,
  access: NetworkAccess,
  state: string,
  stateName: string,
): Promise<Html | ''> {
  const { analysis, vintages } = await networkAnalysis(stats);
  if (vintages.length === 0) return '';
  const t = translator(reader.locale);
  const counts = analysis.states.find((s) => s.state === state);
  const n = (v: number) => formatNumber(reader.locale, v);
  const summary = counts
    ? t('web.networks.place.summary', {
        state: stateName,
        groups: n(counts.groups),
        alliances: n(counts.alliancesWithin),
        rivalries: n(counts.rivalries),
      })
    : t('web.networks.place.none', { state: stateName });
  const groups = canSeeNetwork(reader.viewer, access)
    ? analysis.groups
        .filter((g) => g.state === state)
        .sort((a, b) => b.degree.all - a.degree.all || a.name.localeCompare(b.name))
    : [];
  return html`<h2>${t('web.networks.place.title')}</h2>
    <p>${summary} <a href="/networks">${t('web.networks.place.more')}</a></p>
    ${
      groups.length
        ? html`<ul>
          ${groups.map(
            (g) =>
              html`<li>
                <a href="/networks/groups/${g.node}">${g.name}</a>
                <span class="small muted"
                  >${t('web.networks.place.ties', { allies: g.degree.alliance, rivals: g.degree.rivalry })}</span
                >
              </li>`,
          )}
        </ul>`
        : ''
    }`;
}
