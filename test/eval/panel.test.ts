/**
 * The interventions file and the panel builder on the real state homicide file: units, periods and
 * cohorts checked against the raw files, the dropped units said, and bad specifications refused.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/error.js';
import { translator } from '../../src/i18n/index.js';
import { callawaySantAnna } from '../../src/eval/cs.js';
import { readInterventions } from '../../src/eval/interventions.js';
import { buildPanel } from '../../src/eval/panel.js';
import { importFile } from '../../src/stats/importer.js';
import { querySeries } from '../../src/stats/series.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { openStats, type StatsStore } from '../../src/stats/stats-store.js';
import { municipalRateFiles, sharedFile, sharedLines } from '../stats/shared-data.js';
import { EVENTS, firstOperations, POP, STATE, stateStatsStore } from './state-panel.js';

describe('the interventions file', () => {
  it('ships the shared file’s events with their places and sources', async () => {
    const events = await readInterventions();
    expect(events).toHaveLength(18);
    expect(events.find((e) => e.id === 'op-triangulo-dorado')).toMatchObject({
      type: 'military_operation',
      date: '2007-01-22',
      level: 'state',
      places: ['25', '10', '08'],
    });
  });

  it('refuses a bad line with file:line and the reason', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-events-'));
    try {
      const file = path.join(dir, 'bad.csv');
      await writeFile(
        file,
        'event_id,type,name,date,geo_level,geo_codes,source\nx,op,X,2007-13-45,state,08,src\ny,op,Y,2007-01-01,state,8,src\n',
      );
      const error = (await readInterventions(file).catch((e: unknown) => e)) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues.map((i) => i.path)).toEqual([`${file}:2 date`, `${file}:3 geo_codes`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

(STATE && POP && EVENTS ? describe : describe.skip)('the panel builder on state homicide rates', () => {
  const store = stateStatsStore();
  const spec = {
    outcome: { measure: 'homicides', scale: 'log_rate' },
    level: 'state',
    by: 'year',
    from: '2003',
    to: '2012',
    treatment: { types: ['military_operation'] },
  };

  it('builds a balanced state × year panel with the operations’ cohorts', async () => {
    const events = await readInterventions();
    const { panel, units, report } = await buildPanel(store(), spec, events);
    expect(report).toMatchObject({ units: 32, periods: 10, rows: 320, dropped: [] });
    expect(report.ignoredEvents).toEqual([
      'op-mexico-seguro-nuevo-laredo',
      'op-chihuahua',
      'op-juarez-reinforcement',
    ]);
    // Cohorts from the file: the first state operation of each state, by year.
    const first = await firstOperations();
    const expected = new Map<string, number>();
    for (const d of first.values()) expected.set(d.slice(0, 4), (expected.get(d.slice(0, 4)) ?? 0) + 1);
    expect(report.cohorts).toEqual([...expected].sort().map(([period, n]) => ({ period, units: n })));
    expect(report.neverTreated).toBe(32 - first.size);
    expect(units[panel.group.findIndex((g) => g >= 0)]).toMatch(/^\d{2}$/);
    // The outcome is log(1 + the rate per 100,000) of the store's own series for the same place and year.
    const series = await querySeries(store(), {
      measure: 'homicides',
      geo: ['08'],
      by: 'year',
      from: '2005',
      to: '2005',
      per: 100_000,
    });
    expect(panel.y[units.indexOf('08') * panel.periods + 2]).toBe(
      Math.log1p(series.series[0]!.points[0]!.rate!),
    );
    const lines = (await sharedLines(STATE!)).slice(1).map((l) => l.split('|'));
    const h2005 = lines.filter((f) => f[0] === '08' && f[1] === '2005').reduce((s, f) => s + Number(f[3]), 0);
    expect(series.series[0]!.points[0]!.value).toBe(h2005);
    // And the estimators take it as it is.
    expect(callawaySantAnna(panel, { draws: 99 }).attgt.length).toBeGreaterThan(0);
  });

  it('drops units treated before the window and says why', async () => {
    const { report } = await buildPanel(
      store(),
      { ...spec, from: '2007', to: '2012' },
      await readInterventions(),
    );
    expect(report.dropped.length).toBeGreaterThan(0);
    expect(report.dropped.every((d) => /before the window|first period/.test(d.reason))).toBe(true);
    const michoacan = report.dropped.find((d) => d.unit === '16')!;
    expect(michoacan.reason).toMatch(/treated on 2006-12-11, before the window/);
    // The Spanish page says the same from the catalog.
    expect(translator('es')(michoacan.text!.key, michoacan.text!.values)).toMatch(
      /^tratada el 2006-12-11, antes de la ventana/,
    );
    // Sonora, first treated in March 2008, stays, as the 2008 cohort.
    expect(report.cohorts).toEqual([{ period: '2008', units: 1 }]);
  });

  it('counts every event with rule every, merging those inside the exclusion window', async () => {
    const events = await readInterventions();
    // Sinaloa's operations, from the file: 2007-01, 2007-05, 2008-02 and 2008-05.
    const sinaloa = events
      .filter((e) => e.type === 'military_operation' && e.level === 'state' && e.places.includes('25'))
      .map((e) => e.date.slice(0, 7))
      .sort();
    expect(sinaloa).toEqual(['2007-01', '2007-05', '2008-02', '2008-05']);
    const monthly = { ...spec, by: 'month', from: '2005-01', to: '2010-12' } as const;
    const at = (month: string) => (Number(month.slice(0, 4)) - 2005) * 12 + Number(month.slice(5)) - 1;
    const episodes = async (exclusion: number) => {
      const built = await buildPanel(
        store(),
        { ...monthly, treatment: { types: ['military_operation'], rule: 'every', exclusion } },
        events,
      );
      return { ...built, sinaloa: built.events[built.units.indexOf('25')] };
    };
    expect((await episodes(0)).sinaloa).toEqual(sinaloa.map(at));
    // Three months: Culiacán–Navolato (May 2008) joins phase III (February 2008).
    expect((await episodes(3)).sinaloa).toEqual(['2007-01', '2007-05', '2008-02'].map(at));
    // Four months: phase II joins phase I, and Culiacán–Navolato joins phase III.
    const four = await episodes(4);
    expect(four.sinaloa).toEqual(['2007-01', '2008-02'].map(at));
    expect(four.report.rule).toBe('every');
    expect(four.report.episodes).toBe(four.events.reduce((n, e) => n + e.length, 0));
    // With every event, Michoacán (December 2006) stays in a window starting in 2007: its event is
    // before the window, one period back.
    const late = await buildPanel(
      store(),
      { ...spec, from: '2007', treatment: { types: ['military_operation'], rule: 'every' } },
      events,
    );
    expect(late.report.dropped).toEqual([]);
    expect(late.events[late.units.indexOf('16')]).toEqual([-1]);
    await expect(
      buildPanel(store(), { ...spec, treatment: { types: ['military_operation'], exclusion: 2 } }, events),
    ).rejects.toThrow(/applies to rule: every/);
  });

  it('refuses an unknown measure, no treated units, a window outside the data and no controls', async () => {
    const events = await readInterventions();
    await expect(buildPanel(store(), { ...spec, outcome: { measure: 'nothing' } }, events)).rejects.toThrow(
      /no measure "nothing"/,
    );
    await expect(buildPanel(store(), { ...spec, treatment: { types: ['coup'] } }, events)).rejects.toThrow(
      /no intervention matches/,
    );
    await expect(buildPanel(store(), { ...spec, from: '1990', to: '1995' }, events)).rejects.toThrow(
      /choose a window inside the data/,
    );
    await expect(buildPanel(store(), { ...spec, from: '2015', to: '2020' }, events)).rejects.toThrow(
      /before the window|no unit of the panel is treated/,
    );
    // Every state treated at once: no controls.
    const everywhere = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));
    await expect(
      buildPanel(store(), spec, [
        {
          id: 'all',
          type: 'military_operation',
          name: 'All',
          date: '2007-06-01',
          level: 'state',
          places: everywhere,
          source: 'test',
        },
      ]),
    ).rejects.toThrow(/no control group/);
    await expect(
      buildPanel(store(), { ...spec, treatment: { types: ['leader_capture'] } }, events),
    ).rejects.toThrow(/every selected event is a municipal event/);
  });

  it('refuses a state that is not a two-digit code, in words and in both languages', async () => {
    const error = (await buildPanel(
      store(),
      { ...spec, level: 'municipality', within: '8' },
      await readInterventions(),
    ).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    const [issue] = error.issues;
    expect(issue).toMatchObject({ path: 'within', message: 'expected a two-digit state code, such as 08' });
    expect(translator('es')(issue!.text!.key, issue!.text!.values)).toBe(
      'se esperaba una clave de entidad de dos dígitos, como 08',
    );
  });
});

const MUNI = sharedFile('inegi/mexico-muni-month-homicide-rates-2000-2021.csv.gz');
const POP_OLD = sharedFile('conapo/municipio-population1990-2009.csv');
const POP_NEW = sharedFile('conapo/municipio-population2010-2030.csv');
const MUNICIPAL_RATES = municipalRateFiles();

(MUNICIPAL_RATES ? describe : describe.skip)(
  'the panel builder on municipal homicide rates (CONAPO has no municipal population for 2007–2009)',
  () => {
    let stats: StatsStore;
    beforeAll(async () => {
      stats = await openStats({ memory: true });
      for (const [source, file] of MUNICIPAL_RATES!)
        await importFile(stats, sourceById(source)!, file, { version: 'test' });
    });
    afterAll(() => stats?.close());
    const spec = {
      outcome: { measure: 'homicides', scale: 'rate' },
      level: 'municipality',
      within: '25',
      by: 'year',
      from: '2005',
      to: '2012',
      treatment: { types: ['leader_capture'] },
    } as const;

    it('drops every municipality by default, keeps them with balance: keep, or interpolates', async () => {
      const events = await readInterventions();
      // 2007–2009 have deaths but no population: every Sinaloa municipality misses three years.
      const refused = (await buildPanel(stats, spec, events).catch((e: unknown) => e)) as ValidationError;
      expect(refused.message).toMatch(
        /no unit of the panel is treated inside the window \(18 units were dropped, for example 25001: 3 of 8 periods without a value or population\)/,
      );
      // In Spanish, the dropped unit's reason too.
      expect(refused.messageIn('es')).toContain(
        'ninguna unidad del panel recibe tratamiento dentro de la ventana (se descartaron 18 unidades, por ejemplo 25001: 3 de 8 periodos sin valor o sin población)',
      );
      const kept = await buildPanel(stats, { ...spec, balance: 'keep' }, events);
      expect(kept.report.balanced).toBe(false);
      expect(kept.report.rows).toBe(kept.report.units * 5);
      expect(kept.report.cohorts).toEqual([{ period: '2008', units: 1 }]);
      expect(kept.units[kept.panel.group.findIndex((g) => g >= 0)]).toBe('25006');

      const filled = await buildPanel(
        stats,
        { ...spec, outcome: { ...spec.outcome, population: 'interpolated' } },
        events,
      );
      expect(filled.report.balanced).toBe(true);
      expect(filled.report.interpolated).toBe(filled.report.units * 3);
      // Culiacán 2008 from the raw files: deaths over the straight line between 2006 and 2010.
      const pop = new Map<string, number>();
      for (const line of (await sharedLines(POP_OLD!)).concat(await sharedLines(POP_NEW!))) {
        const f = line.split(',');
        const [code, value] = line.includes('.0,') ? [f[0], f[1]] : [f[1], f[0]];
        if (f[2] === 'Total' && f[3] && value && Number(code) === 25006) pop.set(f[3], Number(value));
      }
      const deaths = (await sharedLines(MUNI!))
        .map((l) => l.split('|'))
        .filter((f) => f[0] === '25006' && f[1] === '2008')
        .reduce((s, f) => s + Number(f[3]), 0);
      const p2008 = pop.get('2006')! + (pop.get('2010')! - pop.get('2006')!) / 2;
      const culiacan = filled.units.indexOf('25006');
      expect(filled.panel.y[culiacan * 8 + 3]).toBeCloseTo((deaths / p2008) * 100_000, 9);
    });

    it('drops a municipality left with one observed period as a singleton', async () => {
      const report = await buildPanel(
        stats,
        { ...spec, from: '2006', to: '2009', balance: 'keep', treatment: { types: ['leader_capture'] } },
        await readInterventions(),
      ).catch((e: unknown) => e);
      // 2006 is the only year with a population: every unit is a singleton, so none is left treated.
      expect(String(report)).toMatch(
        /no unit of the panel is treated inside the window \(18 units were dropped, for example 25001: singleton: 3 of 4 periods without a value or population\)/,
      );
    });
  },
);
