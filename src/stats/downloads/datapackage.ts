/**
 * Frictionless data packages (Tabular Data Package, v1) for series downloads: a descriptor whose
 * resource is the CSV download, with the Table Schema of the long layout (`series-columns.ts`: names,
 * types, descriptions, `geo` as text), the CSV dialect, and the licence and source of every publisher
 * behind it with the checksums of the files in force. One for a query, or one for the whole statistics
 * store (a resource per measure and level held, at its finest period).
 * @module
 */
import { measureById } from '../measures.js';
import { sourceById } from '../sources/index.js';
import type { StatsStore } from '../stats-store.js';
import { SERIES_COLUMNS } from './series-columns.js';

type Json = Record<string, unknown>;

/** A query of a series download, as `GET /api/v1/series` takes it in its URL. */
export type DownloadQuery = Record<string, string>;

/**
 * The Open Definition licence of a publisher's terms, as Frictionless names licences: public-domain
 * works, Creative Commons where the terms name it, and otherwise reuse with attribution.
 */
export function licenceOf(terms: string): { name: string; title: string } {
  if (/public domain/i.test(terms)) return { name: 'other-pd', title: terms };
  if (/CC[- ]BY[- ]4\.0/i.test(terms)) return { name: 'CC-BY-4.0', title: terms };
  return { name: 'other-at', title: terms };
}

/** The Frictionless Table Schema of the long layout, in `locale`'s descriptions. */
export function seriesTableSchema(locale: 'en' | 'es' = 'en'): Json {
  return {
    fields: SERIES_COLUMNS.map((c) => ({
      name: c.name,
      type: c.type,
      description: c.description[locale],
      ...(c.name === 'geo'
        ? { constraints: { required: true, pattern: '^(MX|US|\\d{2}|\\d{5}|[A-Z]{2})$' } }
        : {}),
    })),
    missingValues: [''],
    primaryKey: ['geo', 'period'],
  };
}

const CSV_DIALECT = { delimiter: ',', doubleQuote: true, header: true, lineTerminator: '\n' };

/** The sources that hold `measure` in this store (and the population's when a rate is asked). */
async function sourcesBehind(stats: StatsStore, measures: string[]) {
  const meta = await stats.metadata();
  const ids = [...new Set(meta.coverage.filter((c) => measures.includes(c.measure)).map((c) => c.source))];
  return ids.flatMap((id) => {
    const source = sourceById(id);
    if (!source) return [];
    const files = meta.vintages.filter((v) => v.source === id);
    return [{ source, files }];
  });
}

async function resource(
  stats: StatsStore,
  name: string,
  url: string,
  query: DownloadQuery,
  locale: 'en' | 'es',
): Promise<Json> {
  const measure = measureById(query.measure ?? '');
  const behind = await sourcesBehind(stats, [query.measure ?? '', ...(query.per ? ['population'] : [])]);
  return {
    name,
    profile: 'tabular-data-resource',
    path: url,
    title: measure ? measure.title[locale] : query.measure,
    description: measure?.definition[locale],
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    dialect: CSV_DIALECT,
    schema: seriesTableSchema(locale),
    sources: behind.map(({ source, files }) => ({
      title: `${source.publisher}: ${source.title[locale]}`,
      path: source.landing,
      // The files in force, each with its checksum: what a reader can fetch again and compare.
      files: files.map((f) => ({ name: f.file_name, sha256: f.sha256, imported: f.imported_at })),
    })),
    licenses: dedupe(behind.map(({ source }) => licenceOf(source.licence))),
  };
}

const dedupe = <T extends { name: string; title: string }>(xs: T[]) => [
  ...new Map(xs.map((x) => [`${x.name}|${x.title}`, x])).values(),
];

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);

/** The data package of one series download: `csvUrl` is where the CSV is fetched. */
export async function seriesDataPackage(
  stats: StatsStore,
  query: DownloadQuery,
  csvUrl: string,
  options: { locale?: 'en' | 'es'; created: string },
): Promise<Json> {
  const locale = options.locale ?? 'en';
  const r = await resource(stats, slug(`series-${query.measure ?? ''}`), csvUrl, query, locale);
  return {
    profile: 'tabular-data-package',
    name: slug(`marco-${query.measure ?? 'series'}`),
    title: `Marco: ${r.title as string}`,
    created: options.created,
    licenses: r.licenses,
    sources: r.sources,
    resources: [r],
  };
}

/**
 * The data package of the whole statistics store: for each measure and place level held, the series
 * at the finest period its sources publish, as a CSV download from `base` (the server's origin).
 */
export async function storeDataPackage(
  stats: StatsStore,
  base: string,
  options: { locale?: 'en' | 'es'; created: string },
): Promise<Json> {
  const locale = options.locale ?? 'en';
  const meta = await stats.metadata();
  const held = new Map<string, { measure: string; level: string; granularity: string }>();
  for (const c of meta.coverage) {
    if (c.geo_level === 'country' || !measureById(c.measure)) continue;
    const key = `${c.measure}|${c.geo_level}`;
    const by = c.granularity === 'month' ? 'month' : c.granularity === 'quarter' ? 'quarter' : 'year';
    const known = held.get(key);
    // The finest period any source of the measure publishes at this level.
    const rank = (g: string) => ['year', 'quarter', 'month'].indexOf(g);
    if (!known || rank(by) > rank(known.granularity))
      held.set(key, { measure: c.measure, level: c.geo_level, granularity: by });
  }
  const resources: Json[] = [];
  for (const { measure, level, granularity } of [...held.values()].sort((a, b) =>
    `${a.measure}|${a.level}`.localeCompare(`${b.measure}|${b.level}`),
  )) {
    const query = { measure, level, by: granularity };
    const url = `${base}/api/v1/series.csv?${new URLSearchParams(query)}`;
    resources.push(await resource(stats, slug(`${measure}-${level}-${granularity}`), url, query, locale));
  }
  return {
    profile: 'tabular-data-package',
    name: 'marco-statistics',
    title: locale === 'es' ? 'Marco: estadísticas oficiales' : 'Marco: official statistics',
    created: options.created,
    licenses: dedupe(resources.flatMap((r) => r.licenses as { name: string; title: string }[])),
    resources,
  };
}
