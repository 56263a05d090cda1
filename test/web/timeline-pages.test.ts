/**
 * The timeline and incident pages in Chromium, in English and Spanish, over the starter statistics and
 * the example workspace's public incidents: the timeline marks each incident and intervention of a
 * place, numbered as its list; a reporter records an incident through the form (a date after today and
 * a missing source are refused beside their fields, and change nothing), and it is shown to officials
 * but not to the public; axe finds no serious violation. With `MARCO_SHOTS` set, screenshots are
 * written there.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineEvents } from '../../src/incidents/timeline.js';
import { listIncidents } from '../../src/records/incident-repository.js';
import { ensureStarter } from '../../src/stats/starter.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { seriousViolations } from './axe.js';
import { haveChromium } from './chromium.js';
import { openExampleSite, type ExampleSite } from './example-site.js';

const shots = process.env.MARCO_SHOTS;

describe.runIf(haveChromium)('the timeline and incident pages', () => {
  let site: ExampleSite;
  let stats: StatsStore;
  beforeAll(async () => {
    stats = await openStats({ memory: true });
    await ensureStarter(stats, 'test');
    site = await openExampleSite(
      [
        ['rita', 'MX', 'SSPC', ['viewer', 'reporter']],
        ['uma', 'US', 'INL', ['viewer']],
      ],
      { stats },
    );
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    stats?.close();
  });

  for (const lang of ['en', 'es'] as const)
    it(`marks Sinaloa's incidents and interventions on its homicides, numbered as the list (${lang})`, async () => {
      const expected = await timelineEvents(site.records, null, { geo: '25', from: '2006-01-01' });
      // The built-in interventions in Sinaloa and the example's public incidents: national ones too.
      const names = expected.map((e) => (e.kind === 'incident' ? e.incident.code : e.intervention.id));
      expect(names).toContain('INC-2023-01-05-CULIACAN');
      expect(names).toContain('INC-2021-10-08-BICENTENNIAL');
      expect(names).toContain('op-culiacan-navolato');
      expect(names).not.toContain('op-tijuana');
      const page = await site.browser.newPage();
      await page.goto(`${site.base}/timeline?lang=${lang}&geo=25&from=2006-01&measure=homicides&by=month`);
      const items = page.locator('ol.timeline > li');
      expect(await items.count()).toBe(expected.length);
      expect(await items.first().innerText()).toContain(
        expected[0]!.kind === 'intervention' ? expected[0]!.intervention.name : '',
      );
      const culiacan = page.locator('#incident-INC-2023-01-05-CULIACAN');
      expect(await culiacan.innerText()).toContain(
        lang === 'en'
          ? 'Ovidio Guzmán López is captured in Culiacán'
          : 'Ovidio Guzmán López es capturado en Culiacán',
      );
      // Every number of the list is printed on the chart, in the incident's or the intervention's colour.
      const marks = await page
        .locator('svg[role="img"] text')
        .evaluateAll((ts) => ts.map((t) => t.textContent));
      for (const e of expected) expect(marks).toContain(String(e.number));
      const rules = page.locator(
        'svg[role="img"] line[stroke="#D55E00"], svg[role="img"] [stroke="#D55E00"] line',
      );
      expect(await rules.count()).toBe(expected.filter((e) => e.kind === 'incident').length);
      expect(await page.locator('main').innerText()).toContain(
        lang === 'en'
          ? 'not that it caused what the series does next'
          : 'no que causara lo que la serie hace después',
      );
      expect(await seriousViolations(page)).toEqual([]);
      if (shots) await page.screenshot({ path: path.join(shots, `timeline-${lang}.png`) });
      // Only interventions, when incidents are unticked.
      await page.goto(`${site.base}/timeline?lang=${lang}&geo=25&from=2006-01&shown=1&interventions=1`);
      expect(await page.locator('ol.timeline > li[id^="incident-"]').count()).toBe(0);
      await page.close();
    }, 60_000);

  it('refuses a filter that is not one, saying which and why, and lists nothing', async () => {
    const page = await site.browser.newPage();
    const incidents = await page.goto(`${site.base}/incidents?lang=es&from=2020-13-01&kind=riot`);
    expect(incidents!.status()).toBe(400);
    const alert = await page.getByRole('alert').innerText();
    expect(alert).toContain('Tipo:');
    expect(alert).toContain('Desde:');
    expect(await page.locator('ul.incidents > li').count()).toBe(0);
    const timeline = await page.goto(`${site.base}/timeline?lang=en&geo=25&kind=riot`);
    expect(timeline!.status()).toBe(400);
    expect(await page.getByRole('alert').innerText()).toContain('"riot" is not a kind of incident');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('records an incident through the form, refusing a future date and a missing source first', async () => {
    const page = await site.signedIn('rita', 'es', '/incidents/new');
    const before = await listIncidents(site.records.db);
    await page.getByLabel('Clave').fill('INC-2024-07-25-ZAMBADA');
    await page.getByLabel('Fecha').fill('2999-01-01');
    await page.getByLabel('Tipo').selectOption('capture');
    await page.getByLabel('Lugares').fill('25, US');
    await page.getByLabel('Título en inglés').fill('A leader is detained in the United States');
    await page.getByLabel('Título en español').fill('Un líder es detenido en Estados Unidos');
    await page.getByLabel('Resumen en inglés').fill('Detained on arrival in the United States.');
    await page.getByLabel('Resumen en español').fill('Detenido a su llegada a Estados Unidos.');
    // The browser would stop a post without a source (`required`): the server's own check is tested.
    await page.locator('form.entry').evaluate((f) => {
      (f as unknown as { noValidate: boolean }).noValidate = true;
    });
    await page.getByRole('button', { name: 'Guardar el incidente' }).click();
    expect(await page.locator('#date-error').innerText()).toMatch(/posterior a hoy/);
    expect(await page.locator('#sources-error').innerText()).toMatch(/al menos una fuente/);
    expect(await listIncidents(site.records.db)).toEqual(before);
    expect(await seriousViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: path.join(shots, 'incident-form-es.png'), fullPage: true });
    await page.getByLabel('Fecha').fill('2024-07-25');
    await page
      .getByLabel('Fuentes')
      .fill('U.S. Department of Justice, press release, 25 July 2024\nhttps://www.justice.gov/');
    await page.getByRole('button', { name: 'Guardar el incidente' }).click();
    await page.waitForURL((url) => url.pathname === '/incidents');
    expect(await page.getByRole('status').innerText()).toContain('Incidente INC-2024-07-25-ZAMBADA guardado');
    const saved = page.locator('#incident-INC-2024-07-25-ZAMBADA');
    expect(await saved.innerText()).toContain('de uso oficial');
    expect(await saved.getByRole('link', { name: 'https://www.justice.gov/' }).count()).toBe(1);
    const [stored] = await listIncidents(site.records.db, { codes: ['INC-2024-07-25-ZAMBADA'] });
    expect(stored).toMatchObject({
      country: 'MX',
      agency: 'SSPC',
      classification: 'official_use',
      places: ['25', 'US'],
    });
    const audit = await site.records.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('entity', '=', 'incident')
      .where('entity_key', '=', 'INC-2024-07-25-ZAMBADA')
      .execute();
    expect(audit).toEqual([{ actor: 'rita', action: 'create' }]);
    // The same code again on the new-incident form is refused, not overwritten.
    await page.goto(`${site.base}/incidents/new?lang=en`);
    const fields: [string, string][] = [
      ['Code', 'INC-2024-07-25-ZAMBADA'],
      ['Date', '2024-07-26'],
      ['Places', 'US'],
      ['Title in English', 'Another'],
      ['Title in Spanish', 'Otro'],
      ['Summary in English', 'Another'],
      ['Summary in Spanish', 'Otro'],
      ['Sources', 'A source'],
    ];
    for (const [label, value] of fields) await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByLabel('Kind').selectOption('policy');
    await page.getByRole('button', { name: 'Save the incident' }).click();
    expect(await page.locator('#code-error').innerText()).toContain('is taken by another incident');
    const [kept] = await listIncidents(site.records.db, { codes: ['INC-2024-07-25-ZAMBADA'] });
    expect(kept).toMatchObject({ date: '2024-07-25', version: 1 });
    await page.close();
  }, 60_000);

  for (const lang of ['en', 'es'] as const)
    it(`lists incidents as their classification allows (${lang})`, async () => {
      const anonymous = await site.browser.newPage();
      await anonymous.goto(`${site.base}/incidents?lang=${lang}`);
      const open = await anonymous.locator('ul.incidents > li').evaluateAll((li) => li.map((l) => l.id));
      expect(open).toContain('incident-INC-2007-10-22-MERIDA');
      expect(open).not.toContain('incident-INC-2024-07-25-ZAMBADA');
      expect(await anonymous.locator('main').innerText()).not.toContain('rita');
      expect(await seriousViolations(anonymous)).toEqual([]);
      if (shots) await anonymous.screenshot({ path: path.join(shots, `incidents-${lang}.png`) });
      await anonymous.close();
      const official = await site.signedIn('uma', lang, '/incidents/new');
      await official.goto(`${site.base}/incidents?lang=${lang}&kind=capture`);
      const seen = await official.locator('ul.incidents > li').evaluateAll((li) => li.map((l) => l.id));
      expect(seen).toEqual(['incident-INC-2024-07-25-ZAMBADA', 'incident-INC-2023-01-05-CULIACAN']);
      await official.close();
    }, 60_000);
});
