/**
 * The statistics store as a DCAT catalogue (W3C Data Catalog Vocabulary, version 3) in JSON-LD, for
 * data portals and harvesters: one dataset per source, with its publisher, licence, landing page, the
 * periods it covers and the measures it holds, and as distributions both the publisher's files in force
 * (each with its SHA-256, as SPDX records checksums) and Marco's CSV download of each measure. The
 * context is inline, so the document needs nothing fetched to be read.
 * @module
 */
import { measureById } from '../measures.js';
import { SOURCES } from '../sources/index.js';
import type { StatsStore } from '../stats-store.js';
import { licenceOf } from './datapackage.js';

type Json = Record<string, unknown>;

export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  spdx: 'http://spdx.org/rdf/terms#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

const text = (en: string, es: string) => [
  { '@value': en, '@language': 'en' },
  { '@value': es, '@language': 'es' },
];

/** The catalogue of every source of the store, its files in force and Marco's downloads, from `base`. */
export async function dcatCatalogue(stats: StatsStore, base: string, issued: string): Promise<Json> {
  const meta = await stats.metadata();
  const datasets = SOURCES.flatMap((source) => {
    const coverage = meta.coverage.filter((c) => c.source === source.id);
    const files = meta.vintages.filter((v) => v.source === source.id);
    if (files.length === 0) return [];
    const from = coverage.map((c) => c.period_from).sort()[0];
    const to = coverage
      .map((c) => c.period_to)
      .sort()
      .at(-1);
    const measures = [...new Set(coverage.map((c) => c.measure))].filter((m) => measureById(m));
    return [
      {
        '@id': `${base}/api/v1/sources#${source.id}`,
        '@type': 'dcat:Dataset',
        'dct:identifier': source.id,
        'dct:title': text(source.title.en, source.title.es),
        'dct:publisher': { '@type': 'foaf:Organization', 'foaf:name': source.publisher },
        'dct:license': {
          '@type': 'dct:LicenseDocument',
          'dct:identifier': licenceOf(source.licence).name,
          'dct:title': source.licence,
        },
        'dct:rightsHolder': source.attribution,
        'dcat:landingPage': { '@id': source.landing },
        'dcat:keyword': measures,
        ...(from && to
          ? {
              'dct:temporal': {
                '@type': 'dct:PeriodOfTime',
                'dcat:startDate': { '@value': from, '@type': 'xsd:date' },
                'dcat:endDate': { '@value': to, '@type': 'xsd:date' },
              },
            }
          : {}),
        'dcat:distribution': [
          ...files.map((f) => ({
            '@type': 'dcat:Distribution',
            'dct:title': f.file_name,
            'dct:issued': { '@value': f.imported_at, '@type': 'xsd:dateTime' },
            'spdx:checksum': {
              '@type': 'spdx:Checksum',
              'spdx:algorithm': { '@id': 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256' },
              'spdx:checksumValue': f.sha256,
            },
          })),
          ...measures.map((m) => ({
            '@type': 'dcat:Distribution',
            'dct:title': `Marco CSV: ${m}`,
            'dcat:accessURL': { '@id': `${base}/api/v1/series.csv?measure=${m}` },
            'dcat:mediaType': { '@id': 'https://www.iana.org/assignments/media-types/text/csv' },
            'dct:conformsTo': { '@id': `${base}/api/v1/datapackage.json` },
          })),
        ],
      },
    ];
  });
  return {
    '@context': DCAT_CONTEXT,
    '@id': `${base}/api/v1/catalog`,
    '@type': 'dcat:Catalog',
    'dct:title': text('Marco: official statistics', 'Marco: estadísticas oficiales'),
    'dct:description': text(
      'Official statistics on security in Mexico and the United States, as imported by this Marco server, with the files behind them.',
      'Estadísticas oficiales de seguridad de México y Estados Unidos, tal como las importó este servidor de Marco, con los archivos de origen.',
    ),
    'dct:issued': { '@value': issued, '@type': 'xsd:dateTime' },
    'dcat:dataset': datasets,
  };
}
