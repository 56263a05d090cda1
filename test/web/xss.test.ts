/**
 * Stored and reflected cross-site scripting, in a real browser. A corpus of 60 payloads goes through
 * every text field that reaches a page: state and municipality names of an uploaded INEGI catalogue,
 * every bilingual title, name and note of the example workspace (programs, indicators, framework
 * nodes, results), evaluation titles, and query parameters of the explorer, the place search and
 * unknown paths. Chromium visits every kind of page in English and Spanish with the Content-Security-
 * Policy switched off (`bypassCSP`), so the escaping alone is on trial: no dialog may open, and no page
 * may hold a script, an event-handler attribute or a `javascript:` URL. Each page must show payloads as
 * text, so the test cannot pass by leaving them out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, haveChromium, listen } from './chromium.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { openRecords, type RecordsStore } from '../../src/records/database.js';
import { saveEvaluation } from '../../src/records/evaluation-repository.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { createApp } from '../../src/server/app.js';
import { importFile } from '../../src/stats/importer.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { EXPLORE_PARAMS } from '../../src/web/explorer.js';
import { XSS_PAYLOADS } from '../fixtures/xss-payloads.js';
import { exampleWorkspace } from '../fixtures/workspace.js';
import { sharedFile, sharedLines } from '../stats/shared-data.js';

const FILES = {
  states: sharedFile('geo/cve_nom_estados.csv'),
  municipalities: sharedFile('geo/cve_nom_municipios.csv'),
  homicides: sharedFile('inegi/mexico-state-month-homicide-rates-2000-2022.csv'),
  population: sharedFile('conapo/pop_states_monthly_1990_2050.csv'),
  boundaries: sharedFile('geo/municipios.shp'),
};
const haveData = Object.values(FILES).every(Boolean);

const payload = (i: number) => XSS_PAYLOADS[i % XSS_PAYLOADS.length]!;
const csvCell = (text: string) => (/[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** Every `{en, es}` text of a document, replaced by payloads in turn (codes and numbers stay valid). */
function poison(value: unknown, next: () => string): unknown {
  if (Array.isArray(value)) return value.map((v) => poison(v, next));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length > 0 && entries.every(([k, v]) => (k === 'en' || k === 'es') && typeof v === 'string'))
    return Object.fromEntries(entries.map(([k]) => [k, next()]));
  return Object.fromEntries(entries.map(([k, v]) => [k, poison(v, next)]));
}

/** The parts of the browser's DOM the checks read (the project's types have no DOM library). */
interface DomElement {
  tagName: string;
  attributes: ArrayLike<{ name: string; value: string }>;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
}
interface DomDocument {
  title: string;
  body: { textContent: string | null };
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

/** What a page holds that only an injection would put there (runs in the page). */
const injected = () => {
  const document = (globalThis as unknown as { document: DomDocument }).document;
  const found: string[] = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background'];
  for (const el of Array.from(document.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'base', 'frame', 'applet'].includes(tag))
      found.push(`<${tag}>`);
    if (tag === 'meta' && el.hasAttribute('http-equiv')) found.push('<meta http-equiv>');
    for (const a of Array.from(el.attributes)) {
      if (/^on/i.test(a.name)) found.push(`<${tag} ${a.name}>`);
      // The shell's empty favicon (`<link rel="icon" href="data:,">`) is the one data URL Marco writes.
      const favicon = tag === 'link' && el.getAttribute('rel') === 'icon' && a.value === 'data:,';
      if (
        urlAttributes.includes(a.name.toLowerCase()) &&
        /^\s*(javascript|data|vbscript):/i.test(a.value) &&
        !favicon
      )
        found.push(`<${tag} ${a.name}="${a.value}">`);
    }
  }
  return found;
};

(haveChromium && haveData ? describe : describe.skip)(
  '60 XSS payloads in every text field, in Chromium',
  () => {
    let dir: string;
    let stats: StatsStore;
    let records: RecordsStore;
    let server: Awaited<ReturnType<typeof listen>>;
    let base: string;
    let browser: Browser;
    let page: Page;
    const dialogs: string[] = [];
    const codes = { programs: [] as string[], indicators: [] as string[], nodes: [] as string[] };
    let evaluationId = 0;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'marco-xss-'));
      // An uploaded INEGI catalogue whose state and municipality names are payloads.
      const states = await sharedLines(FILES.states!);
      const hostileStates = [
        states[0]!,
        ...states.slice(1).map((line, i) => `${csvCell(payload(i))},${line.split(',').at(-1)}`),
      ];
      const municipalities = await sharedLines(FILES.municipalities!);
      const hostileMunicipalities = [
        municipalities[0]!,
        ...municipalities.slice(1, 1 + XSS_PAYLOADS.length).map((line, i) => {
          const [geo, , ent, , mun] = line.split(',');
          return [geo, csvCell(payload(i + 32)), ent, csvCell(`Municipio ${payload(i)}`), mun].join(',');
        }),
      ];
      await writeFile(path.join(dir, 'states.csv'), `${hostileStates.join('\n')}\n`);
      await writeFile(path.join(dir, 'municipios.csv'), `${hostileMunicipalities.join('\n')}\n`);
      stats = await openStats({ dataDir: dir });
      for (const [id, file] of [
        ['inegi-homicides-state', FILES.homicides!],
        ['conapo-population-state-monthly', FILES.population!],
        ['inegi-boundaries', FILES.boundaries!],
        ['inegi-geo-catalog', path.join(dir, 'states.csv')],
        ['inegi-geo-catalog', path.join(dir, 'municipios.csv')],
      ] as const)
        await importFile(stats, sourceById(id)!, file, { version: 'test' });

      // The example workspace with every bilingual text a payload.
      records = await openRecords({ memory: true });
      await loadBuiltins(records, 'test');
      let n = 0;
      const hostile = poison(await exampleWorkspace(), () => payload(n++)) as {
        programs?: { code: string; indicators?: { code: string }[] }[];
      };
      await loadWorkspace(records, hostile, { actor: 'test' });
      for (const p of hostile.programs ?? []) {
        codes.programs.push(p.code);
        for (const i of p.indicators ?? []) codes.indicators.push(i.code);
      }
      codes.nodes.push('bicentennial:1', 'bicentennial:1.1', 'merida:1');

      // A saved evaluation whose title is a payload.
      const spec = (
        await readDocumentFile(
          path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-states.yaml'),
        )
      ).data as { title: string; estimators: { cs: { draws: number } } };
      spec.title = payload(33);
      spec.estimators.cs.draws = 99;
      evaluationId = await saveEvaluation(records, await evaluate(stats, spec, 'test'), { actor: 'test' });

      const app = createApp({ store: records, stats });
      server = await listen(app);
      base = server.base;
      browser = await chromium.launch({ executablePath: CHROMIUM });
      const context = await browser.newContext({ bypassCSP: true });
      page = await context.newPage();
      page.on('dialog', (d) => {
        dialogs.push(`${d.type()}: ${d.message()} on ${page.url()}`);
        void d.dismiss();
      });
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      stats?.close();
      await records?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** Loads a page; returns what was injected and how many payload texts it shows. */
    async function check(url: string): Promise<{ injected: string[]; shown: number; status: number }> {
      const response = await page.goto(base + url, { waitUntil: 'load' });
      // Give an event such as onfocus, ontoggle or an animation's onbegin the time to fire.
      await page.waitForTimeout(20);
      const found = await page.evaluate(injected);
      // What the reader gets as text: the page's text, its title and every attribute value, decoded.
      const text = await page.evaluate(() => {
        const document = (globalThis as unknown as { document: DomDocument }).document;
        return [
          document.title,
          document.body.textContent ?? '',
          ...Array.from(document.querySelectorAll('*')).flatMap((el) =>
            Array.from(el.attributes, (a) => a.value),
          ),
        ].join('\n');
      });
      const shown = XSS_PAYLOADS.filter((p) => text.includes(p)).length;
      return { injected: found, shown, status: response!.status() };
    }

    it('runs no payload on any page that shows stored text, in either language', async () => {
      const pages = [
        '/',
        '/explore',
        '/explore?measure=homicides&level=state&by=year&from=2015&per=100000',
        '/places',
        '/places?q=alert',
        '/places?q=municipio',
        '/evaluations',
        `/evaluations/${evaluationId}`,
        ...Array.from({ length: 32 }, (_, i) => `/places/${String(i + 1).padStart(2, '0')}`),
        ...codes.programs.map((c) => `/programs/${c}`),
        ...codes.indicators.map((c) => `/indicators/${c}`),
        ...codes.nodes.map((r) => `/nodes/${r}`),
      ];
      expect(pages.length).toBeGreaterThan(40);
      const silent: string[] = [];
      for (const lang of ['en', 'es'])
        for (const url of pages) {
          const full = `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
          const r = await check(full);
          expect(r.injected, full).toEqual([]);
          if (r.shown === 0) silent.push(full);
        }
      // Every page but the framework nodes (which show node titles from the built-in frameworks, not the
      // workspace) shows some payload as text.
      expect(silent.filter((u) => !u.startsWith('/nodes/'))).toEqual([]);
      expect(dialogs).toEqual([]);
    }, 600_000);

    it('runs no payload given in a query parameter or a path', async () => {
      const reflected = XSS_PAYLOADS.flatMap((p, i) => {
        const lang = i % 2 ? 'en' : 'es';
        const param = EXPLORE_PARAMS[i % EXPLORE_PARAMS.length]!;
        return [
          `/explore?${param}=${encodeURIComponent(p)}&lang=${lang}`,
          `/places?q=${encodeURIComponent(p)}&lang=${lang}`,
          `/places/${encodeURIComponent(p)}?lang=${lang}`,
          `/nope/${encodeURIComponent(p)}?lang=${lang === 'en' ? 'es' : 'en'}`,
        ];
      });
      for (const url of reflected) {
        const r = await check(url);
        expect(r.injected, url).toEqual([]);
        expect(r.status, url).toBeLessThan(500);
      }
      expect(dialogs).toEqual([]);
    }, 600_000);
  },
);
