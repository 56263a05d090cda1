/**
 * The web pages in a real browser: headless Debian Chromium driven by playwright-core, against a real
 * server over loopback holding the shared datasets. Each page type is loaded in English and Spanish; the
 * test fails on any console error or failed request, checks key numbers against the store, runs axe-core
 * (no serious or critical violation), and saves a screenshot under test-artifacts/.
 */
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, haveChromium, listen } from './chromium.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { buildScorecard } from '../../src/indicators/scorecard.js';
import { createApp } from '../../src/server/app.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { saveEvaluation } from '../../src/records/evaluation-repository.js';
import { ensureFigures } from '../../src/stats/claims.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { sharedFile } from '../stats/shared-data.js';
import { formatP, formatPValue } from '../../src/i18n/index.js';

const FILES: [string, string | undefined][] = [
  ['inegi-geo-catalog', sharedFile('geo/cve_nom_estados.csv')],
  ['inegi-geo-catalog', sharedFile('geo/cve_nom_municipios.csv')],
  ['inegi-homicides-state', sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv')],
  ['inegi-homicides-municipal', sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz')],
  ['conapo-population-state-monthly', sharedFile('conapo/pop_states_monthly_1990_2050.csv')],
  ['conapo-population-state', sharedFile('conapo/conapo_pob_ent_gender_1950_2070.csv')],
  ['conapo-population-municipal', sharedFile('conapo/municipio-population1990-2009.csv')],
  ['conapo-population-municipal', sharedFile('conapo/municipio-population2010-2030.csv')],
  ['sesnsp-victims', sharedFile('sesnsp/db_victimas_delitos_ent_long.csv.bz2')],
  ['cdc-vsrr-overdose', sharedFile('cdc/vsrr_provisional_drug_overdose_death_counts.csv')],
  ['inegi-boundaries', sharedFile('geo/municipios.shp')],
];
const haveData = FILES.every(([, f]) => f);
const ARTIFACTS = path.join(PACKAGE_ROOT, 'test-artifacts');

(haveChromium && haveData ? describe : describe.skip)('web pages in Chromium', () => {
  let dir: string;
  let stats: StatsStore;
  let records: RecordsStore;
  let server: Awaited<ReturnType<typeof listen>>;
  let base: string;
  let browser: Browser;
  let axeSource: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-web-'));
    stats = await openStats({ dataDir: dir });
    for (const [id, file] of FILES) await importFile(stats, sourceById(id)!, file!, { version: 'test' });
    await ensureFigures(stats, 'test');
    records = await openRecords({ memory: true });
    await loadBuiltins(records, 'test');
    await loadWorkspace(records, (await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE)).data, {
      actor: 'test',
    });
    const app = createApp({ store: records, stats });
    server = await listen(app);
    base = server.base;
    browser = await chromium.launch({ executablePath: CHROMIUM });
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await mkdir(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    stats?.close();
    await records?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Opens a page, failing on console errors and failed requests, checks accessibility with axe-core and
   * saves a screenshot; returns the page for further checks.
   */
  async function visit(url: string, shot: string, expectedStatus = 200, host = base): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      // A page that is meant to be a 404 logs its own status once; anything else is a problem.
      if (
        m.type() === 'error' &&
        !(expectedStatus === 404 && /status of 404/.test(m.text()) && !problems.includes('404 once'))
      )
        problems.push(`console: ${m.text()}`);
      else if (m.type() === 'error') problems.push('404 once');
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) =>
      problems.push(`failed request: ${r.url()} ${r.failure()?.errorText ?? ''}`),
    );
    page.on('response', (r) => {
      if (r.status() >= 400 && r.url() !== host + url) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    const response = await page.goto(host + url);
    expect(response!.status(), url).toBe(expectedStatus);
    // Evaluated through the DevTools protocol, which the pages' CSP (no script at all) does not govern.
    await page.evaluate(axeSource);
    const violations = (await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: {
            run: (
              ctx: unknown,
              opts: unknown,
            ) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
          };
        }
      ).axe;
      const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    })) as { id: string; impact: string; nodes: number }[];
    expect(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      `${url}: ${JSON.stringify(violations)}`,
    ).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, `${shot}.png`), fullPage: true });
    expect(
      problems.filter((p) => p !== '404 once'),
      url,
    ).toEqual([]);
    return page;
  }

  const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

  it('home: headline rates computed from the store, in English and Spanish', async () => {
    const series = await querySeries(stats, {
      measure: 'homicides',
      geo: ['MX'],
      by: 'year',
      from: '2000',
      per: 100_000,
    });
    const last = series.series[0]!.points.at(-1)!;
    const en = await visit('/?lang=en', 'home-en');
    expect(await en.getAttribute('html', 'lang')).toBe('en-US');
    expect(await text(en, '.headline[data-measure=homicides]')).toBe(
      new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(last.rate!),
    );
    expect(await en.locator('h1').innerText()).toBe('Marco');
    const es = await visit('/?lang=es', 'home-es');
    expect(await es.getAttribute('html', 'lang')).toBe('es-MX');
    expect(await text(es, '.headline[data-measure=homicides]')).toBe(
      new Intl.NumberFormat('es-MX', { maximumFractionDigits: 1 }).format(last.rate!),
    );
    // The choice of language is remembered.
    await es.goto(`${base}/figures`);
    expect(await es.getAttribute('html', 'lang')).toBe('es-MX');
    await Promise.all([en.close(), es.close()]);
  });

  it('explorer: a state choropleth inside its frame, a table and a CSV equal to the API', async () => {
    const query = 'measure=homicides&level=state&by=year&from=2018&to=2020&per=100000';
    for (const lang of ['en', 'es']) {
      const page = await visit(`/explore?${query}&lang=${lang}`, `explore-states-${lang}`);
      // Every state is drawn, and none covers the whole frame (a wrongly wound polygon would).
      const shapes = page.locator('svg[aria-label] path[data-code]');
      expect(await shapes.count()).toBe(32);
      const frame = (await page.locator('svg[aria-label]').first().boundingBox())!;
      for (const code of ['08', '23', '02']) {
        const box = (await page.locator(`path[data-code="${code}"]`).boundingBox())!;
        expect(box.width).toBeLessThan(frame.width * 0.6);
        expect(box.x).toBeGreaterThanOrEqual(frame.x - 1);
        expect(box.x + box.width).toBeLessThanOrEqual(frame.x + frame.width + 1);
      }
      const api = (await (await fetch(`${base}/api/v1/series?${query}`)).json()) as {
        series: { geo: string; points: { period: string; rate: number }[] }[];
      };
      const chihuahua2020 = api.series
        .find((s) => s.geo === '08')!
        .points.find((p) => p.period === '2020')!.rate;
      // The place × period grid: Chihuahua's row, 2020's column.
      const cell = page.locator('table.grid-table tr[data-geo="08"] td[data-period="2020"]');
      expect(await cell.innerText()).toBe(
        new Intl.NumberFormat(lang === 'es' ? 'es-MX' : 'en-US', { maximumFractionDigits: 2 }).format(
          chihuahua2020,
        ),
      );
      await page.close();
    }
    // The CSV download holds the API's answer, point for point.
    const csv = await (await fetch(`${base}/explore.csv?${query}`)).text();
    const api = (await (await fetch(`${base}/api/v1/series?${query}`)).json()) as {
      series: {
        geo: string;
        method: string;
        source: string;
        points: {
          period: string;
          value: number;
          population: number;
          populationSource: string;
          rate: number;
          method: string;
          source: string;
          partial: boolean;
        }[];
      }[];
    };
    const [header, ...lines] = csv.trim().split('\n');
    const rows = lines.map((l) => l.split(','));
    // Columns by name, so a column added to the layout does not shift what is compared.
    const col = (name: string) => header!.split(',').indexOf(name);
    const points = api.series.flatMap((s) => s.points.map((p) => ({ s, p })));
    expect(rows).toHaveLength(points.length);
    for (const [i, { s, p }] of points.entries()) {
      const r = rows[i]!;
      const at = (name: string) => r[col(name)];
      expect([
        at('geo'),
        at('period'),
        Number(at('value')),
        Number(at('population')),
        at('population_source'),
        Number(at('rate')),
        at('method'),
        at('source'),
        at('partial'),
      ]).toEqual([
        s.geo,
        p.period,
        p.value,
        p.population,
        p.populationSource,
        p.rate,
        p.method,
        p.source,
        String(p.partial),
      ]);
    }
  });

  it('explorer: a partial period is drawn as the one hollow dot, in both languages', async () => {
    // SESNSP's 2025 holds January to June only: the chart's 2025 point is the one hollow dot.
    for (const lang of ['en', 'es']) {
      const page = await visit(
        `/explore?measure=homicide_victims&geo=MX&from=2022&to=2025&lang=${lang}`,
        `explore-partial-${lang}`,
      );
      const dots = await page.locator('figure svg circle').evaluateAll((circles) =>
        circles.map((c) => {
          // Runs in the page: the browser's own computed style (the tests compile without the DOM types).
          const style = (
            globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }
          ).getComputedStyle(c);
          return [style.fill, c.getBoundingClientRect().x] as const;
        }),
      );
      expect(dots).toHaveLength(4);
      const hollow = dots.filter(([fill]) => fill === 'rgb(255, 255, 255)');
      expect(hollow).toHaveLength(1);
      // It is the last year's, the rightmost.
      expect(hollow[0]![1]).toBe(Math.max(...dots.map(([, x]) => x)));
      await page.close();
    }
  });

  it('explorer: the municipal map of a state, and a clear message for a bad query', async () => {
    const page = await visit(
      '/explore?measure=homicides&level=municipality&within=08&by=year&from=2019&to=2021&per=100000',
      'explore-municipalities',
    );
    const [count] = await stats.all<{ n: number }>(
      `select count(*) as n from boundaries where level = 'municipality' and code like '08%'`,
    );
    expect(await page.locator('svg[aria-label] path[data-code]').count()).toBe(count!.n);
    await page.close();
    const none = await visit(
      '/explore?measure=homicides&geo=MX&from=1950&to=1951&lang=es',
      'explore-nothing-es',
    );
    expect(await none.locator('main .card').innerText()).toContain('No hay datos para esta vista');
    await none.close();
    const bad = await visit('/explore?measure=nothing&geo=MX&lang=es', 'explore-error-es', 404);
    expect(await bad.locator('[role=alert]').innerText()).toContain('nothing');
    await bad.close();
  });

  it('place profiles: a municipality and a state, with rates, traffic lights and reconciliation', async () => {
    const juarez = await querySeries(stats, {
      measure: 'homicides',
      geo: ['08037'],
      by: 'year',
      from: '2019',
      to: '2019',
      per: 100_000,
    });
    const rate2019 = juarez.series[0]!.points[0]!.rate!;
    for (const lang of ['es', 'en']) {
      const page = await visit(`/places/08037?lang=${lang}`, `profile-08037-${lang}`);
      expect(await page.locator('h1').innerText()).toBe('Juárez');
      const row = page.locator('table').first().locator('tr', { hasText: 'Juárez' });
      expect(await row.innerText()).toContain(
        new Intl.NumberFormat(lang === 'es' ? 'es-MX' : 'en-US', { maximumFractionDigits: 2 }).format(
          rate2019,
        ),
      );
      expect(await page.locator('.s.green, .s.amber, .s.red, .s.no_data').count()).toBeGreaterThanOrEqual(5);
      await page.close();
    }
    const state = await visit('/places/08?lang=en', 'profile-08-en');
    expect(await state.locator('h2', { hasText: 'INEGI homicides against SESNSP' }).count()).toBe(1);
    await state.close();
  });

  it('place search finds names with or without accents; unknown places are a 404 in the reader’s language', async () => {
    for (const q of ['juarez', 'Juárez', 'CULIACAN']) {
      const page = await visit(
        `/places?q=${encodeURIComponent(q)}`,
        `search-${q.normalize('NFD').replace(/[^\w]/g, '')}`,
      );
      expect(await page.locator('main li a').count()).toBeGreaterThan(0);
      await page.close();
    }
    const es = await visit('/places?q=culiacan&lang=es', 'search-es');
    expect(await es.locator('h2').innerText()).toMatch(/lugar/);
    expect(await es.locator('a[href="/places/25006"]').count()).toBe(1);
    await es.close();
    const found = await visit('/places?q=juarez', 'search-juarez');
    expect(await found.locator('a[href="/places/08037"]').count()).toBe(1);
    await found.close();
    const missing = await visit('/places/99999?lang=es', 'not-found-es', 404);
    expect(await missing.locator('h1').innerText()).toBe('Página no encontrada');
    await missing.close();
    const nowhere = await visit('/no-such-page?lang=en', 'not-found-en', 404);
    expect(await nowhere.locator('h1').innerText()).toBe('Page not found');
    await nowhere.close();
  });

  it('documented figures: the computed value and verdict of each, linked to the explorer', async () => {
    const page = await visit('/figures?lang=en', 'figures-en');
    const row = page.locator('tr#mx-homicide-rate-2007');
    expect(await row.innerText()).toContain('consistent');
    const link = row.locator('a', { hasText: 'Reproduce in the explorer' });
    await link.click();
    await page.waitForURL(/\/explore\?/);
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await page.close();
    const es = await visit('/figures?lang=es', 'figures-es');
    expect(await es.locator('tr#mx-homicide-rate-2007').innerText()).toContain('consistente');
    await es.close();
  });

  it('program, indicator and framework-node pages: tracking table, checklist, reference sheet, crosswalk', async () => {
    const card = (await buildScorecard(records, { program: 'EX-CHIHUAHUA-PREVENTION', viewer: null, stats }))
      .programs[0]!;
    const indicator = card.indicators.find((i) => i.code === 'EX-HOM-RATE-08')!;
    const p2019 = indicator.periods.find((p) => p.period === '2019')!;
    for (const lang of ['en', 'es']) {
      const locale = lang === 'es' ? 'es-MX' : 'en-US';
      const page = await visit(`/programs/EX-CHIHUAHUA-PREVENTION?lang=${lang}`, `program-${lang}`);
      const row = page.locator('table').first().locator('tr', { hasText: '2019' });
      expect(await row.innerText()).toContain(
        new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(p2019.actual!),
      );
      expect(await page.locator('table').nth(1).locator('tbody tr').count()).toBe(8); // the GAO practices
      await page.close();
      const ind = await visit(`/indicators/EX-HOM-RATE-08?lang=${lang}`, `indicator-${lang}`);
      expect(await ind.locator('svg[role=img]').count()).toBe(1);
      expect(await ind.locator('table').last().locator('tr').count()).toBe(17); // every PIRS field
      await ind.close();
    }
    // A program without an outcome indicator says so.
    const outputs = (await buildScorecard(records, { viewer: null, stats })).programs.find(
      (p) => !p.hasOutcomeIndicator,
    );
    expect(outputs).toBeDefined();
    const noOutcome = await visit(`/programs/${outputs!.code}?lang=en`, 'program-no-outcome');
    expect(await noOutcome.locator('[role=note]').innerText()).toContain('no outcome or impact indicator');
    await noOutcome.close();
    for (const lang of ['en', 'es']) {
      const node = await visit(`/nodes/bicentennial:1?lang=${lang}`, `node-${lang}`);
      // Names first: the node's title, its code on the line below.
      expect(await node.locator('h1').innerText()).toBe(
        lang === 'en' ? 'Protect Our People' : 'Proteger a nuestra gente',
      );
      // Each program serving the node links to its page.
      const served = (await buildScorecard(records, { node: 'bicentennial:1', viewer: null, stats }))
        .programs;
      expect(served.length).toBeGreaterThan(0);
      for (const p of served) expect(await node.locator(`a[href="/programs/${p.code}"]`).count()).toBe(1);
      await node.close();
    }
    const missing = await visit('/programs/NO-SUCH?lang=es', 'program-404-es', 404);
    expect(await missing.locator('h1').innerText()).toBe('Página no encontrada');
    await missing.close();
  });

  it('evaluations: the saved runs, and a run with its plot, tables, warnings and specification', async () => {
    const empty = await visit('/evaluations?lang=es', 'evaluations-empty-es');
    expect(await text(empty, 'main')).toContain('Aún no se ha guardado ninguna evaluación');
    await empty.close();
    const result = await evaluate(
      stats,
      (
        await readDocumentFile(
          path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-states.yaml'),
        )
      ).data,
      'test',
    );
    const id = await saveEvaluation(records, result, { actor: 'ana' });
    const fmt = (locale: string, v: number) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(v);
    for (const [lang, locale] of [
      ['en', 'en-US'],
      ['es', 'es-MX'],
    ] as const) {
      const list = await visit(`/evaluations?lang=${lang}`, `evaluations-${lang}`);
      expect(await list.locator(`a[href="/evaluations/${id}"]`).innerText()).toBe(result.title);
      expect(await text(list, 'tbody')).toContain(fmt(locale, result.cs!.simple.att));
      await list.close();

      const run = await visit(`/evaluations/${id}?lang=${lang}`, `evaluation-${lang}`);
      expect(await run.locator('figure svg[role="img"]').count()).toBe(1);
      // One table row per event time of either estimator; each TWFE estimate as the store computed it.
      const events = new Set([...result.twfe!.relative, ...result.cs!.dynamic.map((d) => d.event)]);
      const rows = run.locator('table').first().locator('tbody tr');
      expect(await rows.count()).toBe(events.size);
      const first = result.twfe!.relative.indexOf(0);
      const row0 = await rows.filter({ has: run.locator('th', { hasText: /^0$/ }) }).innerText();
      expect(row0).toContain(fmt(locale, result.twfe!.coefficients[first]!));
      expect(await text(run, 'main')).toContain(fmt(locale, result.cs!.simple.att));
      // Randomization inference: its p-value for the overall effect, and one per event time in the table.
      expect(await text(run, 'main')).toContain(formatP(lang, result.cs!.randomization!.simple.p));
      expect(row0).toContain(
        formatPValue(lang, result.cs!.randomization!.dynamic.find((d) => d.event === 0)!.p),
      );
      expect(await text(run, 'main')).toContain(result.hash);
      // The pre-trend test rejects on this panel: the warning says so in the reader's language.
      expect(await text(run, 'ul.warnings')).toMatch(
        lang === 'en' ? /pre-trend test rejects/ : /tendencias previas rechaza/,
      );
      await run.close();

      const svg = await fetch(`${base}/evaluations/${id}/event-study.svg?lang=${lang}`);
      expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(await svg.text()).toContain(
        lang === 'en' ? 'years since treatment' : 'años desde el tratamiento',
      );
    }
    const missing = await visit('/evaluations/999?lang=es', 'evaluation-404-es', 404);
    await missing.close();
  });

  it('a new user with no statistics sees the commands that load them, in both languages', async () => {
    const empty = await openStats({ memory: true });
    const app = createApp({ store: records, stats: empty });
    const emptyServer = await listen(app);
    const host = emptyServer.base;
    try {
      for (const [url, shot] of [
        ['/explore?lang=en', 'empty-explore-en'],
        ['/?lang=es', 'empty-home-es'],
        ['/places/08?lang=es', 'empty-profile-es'],
      ] as const) {
        const page = await visit(url, shot, 200, host);
        expect(await page.locator('pre code').innerText()).toContain('marco import-dir');
        await page.close();
      }
    } finally {
      await emptyServer.close();
      empty.close();
    }
  });
});
