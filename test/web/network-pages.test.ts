/**
 * The network pages in Chromium over BACRIM 2020 and the starter statistics, in English and Spanish: an
 * anonymous reader sees the counts by state beside the homicide rates, the caveat, and a way to sign in,
 * and never a group's name (the group page answers 401); a signed-in official sees the network drawn,
 * the most central groups, and a group's page with its allies and rivals. axe finds no serious
 * violation on any of them. With `MARCO_SHOTS` set, each page's screenshot is written there.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStarter } from '../../src/stats/starter.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { haveBacrim, importBacrim } from '../networks/bacrim.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const shots = process.env.MARCO_SHOTS;

describe.runIf(haveChromium && haveBacrim)('network pages', () => {
  let site: ExampleSite;
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await ensureStarter(stats, 'test');
    await importBacrim(stats);
    site = await openExampleSite([['ines', 'US', 'INL', ['viewer']]], { stats });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    stats?.close();
  });

  for (const lang of ['en', 'es'] as const) {
    it(`shows the public the counts by state only (${lang})`, async () => {
      const page = await site.browser.newPage();
      const res = await page.goto(`${site.base}/networks?lang=${lang}`);
      expect(res?.status()).toBe(200);
      const text = await page.locator('main').innerText();
      expect(text).toContain(
        lang === 'en'
          ? '150 criminal groups, 91 alliances and 92 rivalries'
          : '150 grupos criminales, 91 alianzas y 92 rivalidades',
      );
      expect(text).toContain(
        lang === 'en'
          ? 'to compare states, not to explain them'
          : 'para comparar estados, no para explicarlas',
      );
      expect(text).toContain(lang === 'en' ? 'for OFFICIAL USE: sign in' : 'de USO OFICIAL: inicie sesión');
      // Ciudad de México: 47 groups, the state table's first column links to the place.
      const row = page.getByRole('row', { name: /Ciudad de México/ });
      expect(await row.innerText()).toMatch(/^Ciudad de México\s+47\b/);
      expect(text).not.toMatch(/Cártel Jalisco|Los Cuinis|N10025/);
      expect(await page.locator('svg.network').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      if (shots)
        await page.screenshot({ path: path.join(shots, `networks-public-${lang}.png`), fullPage: true });
      // A group's page sends the anonymous reader to sign in.
      await page.goto(`${site.base}/networks/groups/N10025?lang=${lang}`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(new URL(page.url()).searchParams.get('next')).toBe(`/networks/groups/N10025?lang=${lang}`);
      expect(await page.locator('main').innerText()).not.toContain('Los Cuinis');
      await page.close();
    }, 60_000);

    it(`shows an official the network and each group (${lang})`, async () => {
      const page = await site.signedIn('ines', lang, '/inbox');
      await page.goto(`${site.base}/networks?lang=${lang}`);
      const drawing = page.locator('svg.network');
      // Every group with a tie is drawn; the 36 without one are counted in the text.
      expect(await drawing.locator('circle.group').count()).toBe(114);
      expect(await page.locator('main').innerText()).toContain(
        lang === 'en' ? '36 groups have no tie recorded' : '36 grupos no tienen vínculos registrados',
      );
      expect(await drawing.locator('line.alliance').count()).toBe(91);
      expect(await drawing.locator('line.rivalry').count()).toBe(92);
      const central = page
        .getByRole('table')
        .filter({ hasText: lang === 'en' ? 'Betweenness' : 'Intermediación' });
      expect(await central.locator('tbody tr').first().innerText()).toMatch(
        /^Cártel Jalisco Nueva Generación \(CJNG\)\s+Jalisco/,
      );
      expect(await seriousViolations(page)).toEqual([]);
      if (shots) await page.screenshot({ path: path.join(shots, `networks-${lang}.png`), fullPage: true });

      await drawing.getByRole('link', { name: /^Cártel de Sinaloa, Durango:/ }).click();
      await page.waitForURL(/\/networks\/groups\/N10013/);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Cártel de Sinaloa');
      const allies = await page.getByRole('heading', { level: 2 }).allInnerTexts();
      expect(allies).toEqual(lang === 'en' ? ['21 allies', '11 rivals'] : ['21 aliados', '11 rivales']);
      // CJNG is among Sinaloa's rivals, with the weight the files give the pair.
      const rivals = page
        .getByRole('table')
        .filter({ hasText: lang === 'en' ? 'Rivals, strongest first' : 'Rivales, del más fuerte' });
      expect(await rivals.getByRole('row', { name: /Cártel Jalisco Nueva Generación/ }).innerText()).toMatch(
        /Jalisco\s+7\s/,
      );
      expect(await seriousViolations(page)).toEqual([]);
      if (shots)
        await page.screenshot({ path: path.join(shots, `network-group-${lang}.png`), fullPage: true });
      await page.context().close();
    }, 60_000);
  }

  it('names the groups of a place’s state on its profile for an official, and only counts them for the public', async () => {
    const anonymous = await site.browser.newPage();
    await anonymous.goto(`${site.base}/places/12?lang=en`);
    const open = await anonymous.locator('main').innerText();
    expect(open).toContain('The BACRIM 2020 network places 12 criminal groups in Guerrero');
    expect(open).not.toContain('Guerreros Unidos');
    await anonymous.close();
    const page = await site.signedIn('ines', 'es', '/inbox');
    await page.goto(`${site.base}/places/12?lang=es`);
    const section = page.locator('main');
    expect(await section.innerText()).toContain('La red BACRIM 2020 sitúa 12 grupos criminales en Guerrero');
    expect(await page.getByRole('link', { name: 'Guerreros Unidos' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 60_000);
});
