/**
 * The documented series by topic (`/documented/{topic}`): arms flows (firearms recovered in Mexico and
 * traced, seized at the border, smuggled), extraditions, and the National Guard's strength and the
 * military's deployment in public security. Each page lists its figures with their qualifiers,
 * confidence levels, statements and sources; figures of one measure, place and period that disagree
 * stand side by side, never averaged, and multi-year totals are marked never to be summed with yearly
 * rows (`stats/documented-groups.ts`, the rules of reference/literature/documented-series.md).
 * @module
 */
import { translator } from '../../i18n/index.js';
import { documentedSeriesGroups } from '../../stats/documented-groups.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { emptyStore } from '../explorer.js';
import { seriesSection } from '../figures-series.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';

/** Each topic and the measures of the documented series it holds. */
export const TOPICS = {
  firearms: /^firearms_/,
  extraditions: /^extraditions_/,
  'national-guard': /^(national_guard_|military_personnel_deployed)/,
} as const;
export type Topic = keyof typeof TOPICS;

export const isTopic = (name: string): name is Topic => Object.hasOwn(TOPICS, name);

/** Links to every topic's page, the current one marked. */
export function topicLinks(reader: Reader, current?: Topic) {
  const t = translator(reader.locale);
  return html`<nav aria-label="${t('web.documented.topics')}">
    <ul class="inline">
      ${(Object.keys(TOPICS) as Topic[]).map(
        (topic) =>
          html`<li>
            <a href="/documented/${topic}" ${topic === current ? html`aria-current="page"` : ''}
              >${t(`web.documented.${topic}.title`)}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

export async function renderTopic(
  stats: StatsStore | undefined,
  reader: Reader,
  topic: Topic,
): Promise<string> {
  const t = translator(reader.locale);
  const title = t(`web.documented.${topic}.title`);
  if (!stats)
    return page({ reader, title, section: 'figures', body: html`<h1>${title}</h1>${emptyStore(t)}` });
  const groups = (await documentedSeriesGroups(stats)).filter((g) => TOPICS[topic].test(g.measure));
  const conflicts = groups.filter((g) => g.conflict).length;
  return page({
    reader,
    title,
    section: 'figures',
    body: html`<p class="small"><a href="/figures#series">${t('web.figures.series.title')}</a></p>
      <h1>${title}</h1>
      ${topicLinks(reader, topic)}
      <p class="lead">${t(`web.documented.${topic}.lead`)}</p>
      <p class="card">${t('web.documented.rules', { conflicts })}</p>
      ${
        groups.length
          ? seriesSection(groups, reader.locale, {
              title: t('web.documented.figures'),
              intro: '',
            })
          : html`<p class="card">${t('web.documented.none')}</p>`
      }`,
  });
}
