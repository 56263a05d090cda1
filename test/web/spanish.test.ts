/**
 * No English on a Spanish page: every public page reachable from the home page by links (the example
 * workspace, the real shared statistics, a saved evaluation), rendered for a Spanish reader, is searched
 * for the English text of every catalog message whose Spanish differs. A page that shows one fails the
 * test with the page, the fragment and its catalog key.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runMarco } from '../fixtures/run-marco.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { CATALOGS, catalogKeys } from '../../src/i18n/index.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import type { RecordsStore } from '../../src/records/database.js';
import { saveEvaluation } from '../../src/records/evaluation-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import type { StatsStore } from '../../src/stats/stats-store.js';
import { clock, exampleWorkspace } from '../fixtures/workspace.js';
import { freshStore } from '../records/stores.js';
import { openSharedStats, sharedObservationFiles } from '../stats/shared-store.js';

const files = sharedObservationFiles();

const valueAt = (catalog: unknown, key: string): string | undefined =>
  key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], catalog) as
    string | undefined;

/**
 * The literal runs of an English message that a reader would see, long enough to be unmistakable: the
 * text between its placeholders and ICU branches, two words or more (with four, "United States" on the
 * Spanish explorer went unseen).
 */
function fragments(message: string): string[] {
  return message
    .split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/)
    .flatMap((part) => part.split(/[{}]/))
    .map((part) =>
      part
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''),
    )
    .filter((part) => part.split(' ').length >= 2);
}

/** The English fragments whose Spanish message differs, with the key each comes from. */
function englishOnly(): { fragment: string; key: string }[] {
  const out: { fragment: string; key: string }[] = [];
  for (const key of catalogKeys(CATALOGS.en)) {
    const en = valueAt(CATALOGS.en, key);
    const es = valueAt(CATALOGS.es, key);
    if (typeof en !== 'string' || en === es) continue;
    for (const fragment of fragments(en)) if (!es?.includes(fragment)) out.push({ fragment, key });
  }
  return out;
}

/**
 * What a reader sees of a page: its text without tags, scripts, styles and code samples, and without the
 * citations quoted in their own language (`<cite translate="no">`).
 */
const visible = (html: string) =>
  html
    .replace(/<(script|style|code|pre)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<cite translate="no"[\s\S]*?<\/cite\s*>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

(files ? describe : describe.skip)('every page in Spanish', () => {
  let stats: StatsStore;
  let records: RecordsStore;

  beforeAll(async () => {
    stats = await openSharedStats(files!);
    records = await freshStore('pglite');
    await loadBuiltins(records, 'test');
    await loadWorkspace(records, await exampleWorkspace(), { actor: 'loader', now: clock });
    const spec = await readDocumentFile(
      path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-states.yaml'),
    );
    await saveEvaluation(records, await evaluate(stats, spec.data, 'test'), { actor: 'ana' });
  }, 300_000);
  afterAll(async () => {
    stats?.close();
    await records?.close();
  });

  it('shows no English text that the Spanish catalog translates, on any page linked from the home page', async () => {
    const app = createApp({ store: records, stats, now: clock });
    const english = englishOnly();
    expect(english.length).toBeGreaterThan(200);
    const seen = new Set<string>();
    const queue = ['/'];
    const found: string[] = [];
    while (queue.length > 0 && seen.size < 400) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await app.request(url, { headers: { 'accept-language': 'es-MX' } });
      const type = res.headers.get('content-type') ?? '';
      if (!type.startsWith('text/html')) continue;
      const html = await res.text();
      const text = visible(html);
      for (const { fragment, key } of english)
        if (text.includes(fragment)) found.push(`${url}: "${fragment}" (${key})`);
      // Every link to a page of Marco, without its language switch, and one of each kind of place.
      for (const [, href] of html.matchAll(/href="(\/[^"#]*)"/g)) {
        const link = href!.replace(/&amp;/g, '&');
        if (
          /[?&]lang=en\b|\.(csv|svg|json|xlsx|pdf|xml|js|css|png)(\?|$)|^\/(api|login|logout|assets)\b/.test(
            link,
          )
        )
          continue;
        if (!seen.has(link) && !queue.includes(link)) queue.push(link);
      }
    }
    // The crawl reached the pages of every section.
    for (const section of ['/programs', '/explore', '/places', '/evaluations', '/figures'])
      expect(
        [...seen].some((u) => u.startsWith(section)),
        section,
      ).toBe(true);
    expect(seen.size).toBeGreaterThan(40);
    expect(found).toEqual([]);
  }, 600_000);

  it('links every map region and table row to a profile that exists, in Spanish: Mexico and its states, the United States and its states', async () => {
    const app = createApp({ store: records, stats, now: clock });
    const english = englishOnly();
    const dead: string[] = [];
    const found: string[] = [];
    const profiles = new Set<string>();
    for (const query of [
      'measure=synthetic_opioid_deaths_12m&level=state&within=US&by=year',
      'measure=homicides&level=state&within=MX&by=year&per=100000',
      'measure=homicides&geo=MX,US&by=year',
      'measure=synthetic_opioid_deaths_12m&geo=US&by=year',
    ]) {
      const html = await (await app.request(`/explore?${query}&lang=es`)).text();
      for (const [, code] of html.matchAll(/href="\/places\/([^"?]+)"/g)) profiles.add(code!);
    }
    // Every U.S. state on the map, every Mexican state, and both countries.
    expect(profiles.size).toBeGreaterThanOrEqual(51 + 32 + 1);
    expect([...profiles]).toEqual(expect.arrayContaining(['MX', 'US', 'TX', 'CA', '08', '09']));
    for (const code of profiles) {
      const res = await app.request(`/places/${code}?lang=es`);
      if (res.status !== 200) dead.push(`/places/${code}: ${res.status}`);
      const text = visible(await res.text());
      for (const { fragment, key } of english)
        if (text.includes(fragment)) found.push(`/places/${code}: "${fragment}" (${key})`);
    }
    expect(dead).toEqual([]);
    expect(found).toEqual([]);
    // What a U.S. state's profile shows: CDC's 12-month counts by year against the country, and why it has
    // no seizures of its own.
    const texas = visible(await (await app.request('/places/TX?lang=es')).text());
    expect(texas).toContain('Muertes por sobredosis de opioides sintéticos (CDC)');
    expect(texas).toContain('La CBP publica los decomisos por oficina de campo');
    expect(texas).toMatch(/Estados Unidos/);
    const mexico = visible(await (await app.request('/places/MX?lang=es')).text());
    expect(mexico).toContain('Tasa de homicidios por 100,000 y homicidios por entidad');
  }, 300_000);

  it('refuses a wrong query in Spanish, on the explorer and in the API, naming each problem once', async () => {
    const app = createApp({ store: records, stats, now: clock });
    for (const [query, words] of [
      ['measure=homicides&geo=08068', 'no hay ningún lugar "08068" en el catálogo geográfico'],
      ['measure=homicides&geo=08&from=2020&to=2010', '"2010" termina antes de que empiece "2020"'],
      ['measure=homicide_victims&geo=08&filter=sex:Mujeres', '"Mujeres" no es un valor de sex'],
      ['measure=nothing&geo=08', 'no existe la medida "nothing"'],
      ['measure=homicides&geo=08&per=abc', 'se esperaba un número entero como 100000'],
      ['measure=homicides&geo=08&from=20x', 'no es un periodo: "20x"'],
      // Of 55 subtypes, the nearest are listed, then how many there are.
      [
        'measure=crime_reports&geo=09&filter=crime_subtype:Robos',
        '(55 valores; `marco measures --json` los enumera todos)',
      ],
    ] as const) {
      const page = visible(await (await app.request(`/explore?${query}&lang=es`)).text());
      expect(page, query).toContain(words);
      // Once, not twice, and never the English words.
      expect(page.split(words).length - 1, query).toBe(1);
      expect(page, query).not.toMatch(
        /\bproblems?\b|nothing was written|expected a|not a period|no place|ends before/,
      );
      const api = (await (await app.request(`/api/v1/series?${query}&lang=es`)).json()) as {
        error: { message: string };
      };
      expect(api.error.message, query).toContain(words);
    }
  });

  it('names an evaluation’s outcome and treatment by their labels, not their ids', async () => {
    const app = createApp({ store: records, stats, now: clock });
    const page = visible(await (await app.request('/evaluations/1?lang=es')).text());
    expect(page).toContain('operativos militares');
    expect(page).toMatch(/Homicidios · /);
    const dl = page.slice(0, page.indexOf('{'));
    expect(dl).not.toContain('military_operation');
  });

  it('gives the CLI’s errors in Spanish under --lang es', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-es-'));
    await writeFile(path.join(dir, 'otro.csv'), 'a,b\n1,2\n');
    // A bzip2 header and nothing a decoder can read after it.
    await writeFile(path.join(dir, 'roto.csv.bz2'), 'BZh91AY&SY not compressed data');
    await writeFile(
      path.join(dir, 'bad.yaml'),
      "marco: workspace/1\ndefaults: { country: MX, agency: SSPC }\nresults:\n  - { indicator: NOPE, period: '2020', place: MX, value: 1 }\n",
    );
    try {
      for (const [args, words] of [
        [['stats', '--measure', 'nada', '--geo', '08'], 'no existe la medida "nada"'],
        [['stats', '--measure', 'homicides', '--geo', '08', '--per', 'x'], 'se esperaba un número entero'],
        [['stats', '--measure', 'homicides', '--geo', '08', '--from', '20x'], 'no es un periodo: "20x"'],
        [['fetch'], 'indique la fuente que desea descargar'],
        [['fetch', '--all', '--mirror', 'ftp://x'], 'se esperaba una dirección http:// o https://'],
        [
          ['load', path.join(dir, 'bad.yaml')],
          'indicador desconocido "NOPE"; defínalo en los indicadores de un programa',
        ],
        [['load', path.join(dir, 'nada.yaml')], 'nada.yaml: no existe ese archivo'],
        [
          ['import', 'sesnsp-victims', path.join(dir, 'roto.csv.bz2')],
          'roto.csv.bz2: el archivo bzip2 no se puede descomprimir',
        ],
        [
          ['import', 'inegi-homicides-state', path.join(dir, 'otro.csv')],
          'otro.csv:1: el encabezado no coincide con ningún formato de inegi-homicides-state',
        ],
        [['import', 'inegi-homicides-state', path.join(dir, 'nada.csv')], 'nada.csv: no existe ese archivo'],
      ] as const) {
        const r = await runMarco(dir, '--lang', 'es', ...args);
        expect(r.code, args.join(' ')).not.toBe(0);
        expect(r.stderr, args.join(' ')).toContain(words);
        expect(r.stderr, args.join(' ')).not.toMatch(/\bproblems?\b|expected a|not a period|no measure/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
