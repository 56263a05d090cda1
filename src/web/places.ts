/**
 * Place pages: a search that finds any state or municipality by name, with or without accents, and the
 * 404 page. Each place's profile is in `profiles/`.
 * @module
 */
import { translator, type Translate } from '../i18n/index.js';
import type { StatsStore } from '../stats/stats-store.js';
import { html, type Html } from './html.js';
import type { Reader } from './reader.js';
import { page } from './layout.js';

/** Lower case without accents: `Juárez` and `juarez` match. */
export const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();

export type Place = { code: string; level: string; name: string; parent: string | null };

/** A place's name in the reader's language: the two countries are named by the catalog, the rest as published. */
export const placeName = (t: Translate, code: string, name?: string | null): string =>
  code === 'MX' || code === 'US' ? t(`web.places.country.${code}`) : (name ?? code);

/** Place names by code from the statistics store's catalogue, when this server has one. */
export const placeNames = async (stats: StatsStore | undefined) =>
  stats ? (await stats.metadata()).places : undefined;

/** A place as a form or a list shows it: its name first, its code second (`Chihuahua (08)`). */
export function placeLabel(
  t: Translate,
  code: string,
  places?: ReadonlyMap<string, { name: string }>,
): string {
  const name = placeName(t, code, places?.get(code)?.name);
  return name === code ? code : `${name} (${code})`;
}

export async function renderSearch(stats: StatsStore | undefined, reader: Reader): Promise<string> {
  const { locale, url } = reader;
  const t = translator(locale);
  const q = (url.searchParams.get('q') ?? '').slice(0, 100);
  const places = stats ? [...(await stats.metadata()).places.values()] : [];
  const mx = places.filter((p) => /^\d+$/.test(p.code));
  const wanted = fold(q);
  const found = wanted
    ? mx
        .filter((p) => fold(p.name).includes(wanted) || p.code === q.trim())
        .sort(
          (a, b) =>
            Number(!fold(a.name).startsWith(wanted)) - Number(!fold(b.name).startsWith(wanted)) ||
            a.code.localeCompare(b.code),
        )
        .slice(0, 200)
    : mx.filter((p) => p.level === 'state');
  const byCode = new Map(places.map((p) => [p.code, p]));
  const list = found.length
    ? html`<ul>
        ${found.map(
          (p) =>
            html`<li>
              <a href="/places/${p.code}">${p.name}</a>
              <span class="muted small"
                >${p.code}${
                  p.level === 'municipality' && p.parent ? `, ${byCode.get(p.parent)?.name ?? p.parent}` : ''
                }</span
              >
            </li>`,
        )}
      </ul>`
    : html`<p>${t('web.places.none', { query: q })}</p>`;
  const body = html`<h1>${t('web.places.title')}</h1>
    ${searchBox(t, q)}
    <h2>${wanted ? t('web.places.results', { count: found.length, query: q }) : t('web.places.states')}</h2>
    ${list}`;
  return page({ reader, title: t('web.places.title'), section: 'places', body });
}

export function searchBox(t: Translate, q = ''): Html {
  return html`<form method="get" action="/places" role="search">
    <label
      >${t('web.places.search')}
      <input name="q" type="search" value="${q}" placeholder="Juárez, Culiacán, Oaxaca…"
    /></label>
    <button type="submit">${t('web.places.find')}</button>
  </form>`;
}

/** The 404 page, in the reader's language. */
export function notFoundPage(reader: Reader, message?: string): { status: 404; body: string } {
  const { locale, url } = reader;
  const t = translator(locale);
  return {
    status: 404,
    body: page({
      reader,
      title: t('web.notFound.title'),
      body: html`<h1>${t('web.notFound.title')}</h1>
        <p>${message ?? t('web.notFound.text', { path: url.pathname })}</p>
        ${searchBox(t)}
        <p><a href="/">${t('web.notFound.home')}</a></p>`,
    }),
  };
}
