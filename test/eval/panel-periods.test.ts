/**
 * The panel builder by quarter and by month on the real state homicide file: each unit's cohort is the
 * period of its first state operation, counted from the window's first period, worked out here from the
 * interventions file; units treated before or in the first period are dropped with the reason; counts
 * and rates are the raw file's sums over the period.
 */
import { describe, expect, it } from 'vitest';
import { readInterventions } from '../../src/eval/interventions.js';
import { warningText } from '../../src/eval/evaluation-warnings.js';
import { buildPanel } from '../../src/eval/panel.js';
import { translator } from '../../src/i18n/index.js';
import { sharedLines } from '../stats/shared-data.js';
import { EVENTS, firstOperations, POP, STATE, stateStatsStore } from './state-panel.js';

/** Homicides of a state over the months [fromMonth, toMonth] of a year, from the raw file. */
async function rawHomicides(code: string, year: number, fromMonth: number, toMonth: number) {
  return (await sharedLines(STATE!))
    .slice(1)
    .map((l) => l.split('|'))
    .filter(
      (f) => f[0] === code && Number(f[1]) === year && Number(f[2]) >= fromMonth && Number(f[2]) <= toMonth,
    )
    .reduce((s, f) => s + Number(f[3]), 0);
}

(STATE && POP && EVENTS ? describe : describe.skip)('the panel builder by quarter and by month', () => {
  const store = stateStatsStore();

  for (const [by, from, to, startOrdinal, ordinal, label] of [
    [
      'quarter',
      '2007-Q1',
      '2009-Q4',
      2007 * 4,
      (d: string) => Number(d.slice(0, 4)) * 4 + Math.floor((Number(d.slice(5, 7)) - 1) / 3),
      (o: number) => `${Math.floor(o / 4)}-Q${(o % 4) + 1}`,
    ],
    [
      'month',
      '2007-01',
      '2008-06',
      2007 * 12,
      (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1,
      (o: number) => `${Math.floor(o / 12)}-${String((o % 12) + 1).padStart(2, '0')}`,
    ],
  ] as const)
    it(`by ${by}: cohorts from the first operation's ${by}, the early ones dropped, counts from the raw file`, async () => {
      const { panel, units, report } = await buildPanel(
        store(),
        {
          outcome: { measure: 'homicides', scale: 'count' },
          level: 'state',
          by,
          from,
          to,
          treatment: { types: ['military_operation'] },
        },
        await readInterventions(),
      );
      const periods =
        ordinal(
          `${to.slice(0, 4)}-${by === 'quarter' ? String(Number(to.slice(6)) * 3).padStart(2, '0') : to.slice(5, 7)}-01`,
        ) -
        startOrdinal +
        1;
      expect(report.periods).toBe(periods);
      expect(report.labels[0]).toBe(from);
      expect(report.labels.at(-1)).toBe(to);
      expect(report.labels).toEqual(Array.from({ length: periods }, (_, i) => label(startOrdinal + i)));

      const first = await firstOperations();
      const expectedGroup = new Map<string, number>();
      const expectedDropped: string[] = [];
      for (const [code, date] of first) {
        const at = ordinal(date) - startOrdinal;
        if (at <= 0) expectedDropped.push(code);
        else if (at < periods) expectedGroup.set(code, at);
      }
      expect(expectedGroup.size).toBeGreaterThan(1);
      expect(expectedDropped.length).toBeGreaterThan(0);
      expect(report.dropped.map((d) => d.unit).sort()).toEqual(expectedDropped.sort());
      for (const d of report.dropped)
        expect(d.reason).toMatch(
          ordinal(first.get(d.unit)!) < startOrdinal
            ? new RegExp(`treated on ${first.get(d.unit)}, before the window`)
            : new RegExp(`treated in the window's first period \\(${from}\\)`),
        );
      expect(units).toHaveLength(32 - expectedDropped.length);
      units.forEach((u, i) => expect([u, panel.group[i]]).toEqual([u, expectedGroup.get(u) ?? -1]));
      expect(report.neverTreated).toBe(units.filter((u) => !expectedGroup.has(u)).length);
      const sizes = new Map<number, number>();
      for (const g of expectedGroup.values()) sizes.set(g, (sizes.get(g) ?? 0) + 1);
      expect(report.cohorts).toEqual(
        [...sizes]
          .sort((a, b) => a[0] - b[0])
          .map(([g, n]) => ({ period: label(startOrdinal + g), units: n })),
      );

      // Counts: Veracruz (30, treated in May 2007) in the first period and the last.
      const veracruz = units.indexOf('30');
      expect(panel.group[veracruz]).toBeGreaterThan(0);
      for (const t of [0, periods - 1]) {
        const o = startOrdinal + t;
        const [year, months] =
          by === 'quarter'
            ? [Math.floor(o / 4), [(o % 4) * 3 + 1, (o % 4) * 3 + 3]]
            : [Math.floor(o / 12), [(o % 12) + 1, (o % 12) + 1]];
        expect(panel.y[veracruz * periods + t]).toBe(await rawHomicides('30', year, months[0]!, months[1]!));
      }
      expect(report).toMatchObject({
        balanced: true,
        rows: units.length * periods,
        rule: 'first',
        interpolated: 0,
      });
    });

  it('gives rates per 100,000 on the rate scale, and their log(1 + rate) on the log scale', async () => {
    const spec = {
      level: 'state',
      by: 'year',
      from: '2006',
      to: '2008',
      treatment: { types: ['military_operation'] },
    } as const;
    const events = await readInterventions();
    const count = await buildPanel(
      store(),
      { ...spec, outcome: { measure: 'homicides', scale: 'count' } },
      events,
    );
    const rate = await buildPanel(
      store(),
      { ...spec, outcome: { measure: 'homicides', scale: 'rate' } },
      events,
    );
    const log = await buildPanel(
      store(),
      { ...spec, outcome: { measure: 'homicides', scale: 'log_rate' } },
      events,
    );
    expect(rate.units).toEqual(count.units);
    const u = count.units.indexOf('01');
    const homicides2007 = await rawHomicides('01', 2007, 1, 12);
    expect(count.panel.y[u * 3 + 1]).toBe(homicides2007);
    // CONAPO's monthly population, averaged over the year, to a whole person.
    const population = (await sharedLines(POP!))
      .slice(1)
      .map((l) => l.split(',').map((x) => x.replace(/"/g, '')))
      .filter((f) => f[0] === '1' && f[1]!.startsWith('2007-'))
      .map((f) => Number(f[2]));
    expect(population).toHaveLength(12);
    const expected = (homicides2007 / Math.round(population.reduce((s, p) => s + p, 0) / 12)) * 100_000;
    expect(rate.panel.y[u * 3 + 1]).toBeCloseTo(expected, 9);
    expect(log.panel.y[u * 3 + 1]).toBeCloseTo(Math.log1p(expected), 12);
  });

  it('names the years of the window that no source covers, and says so in both languages', async () => {
    // The state file starts in 2000: a 1996–2010 window holds 2000–2010 only.
    const { report } = await buildPanel(
      store(),
      {
        outcome: { measure: 'homicides', scale: 'count' },
        level: 'state',
        by: 'year',
        from: '1996',
        to: '2010',
        treatment: { types: ['military_operation'] },
      },
      await readInterventions(),
    );
    expect(report.missingPeriods).toEqual(['1996', '1997', '1998', '1999']);
    expect([report.labels[0], report.labels.at(-1)]).toEqual(['2000', '2010']);
    expect([report.partialPeriods, report.breaks]).toEqual([[], []]);
    const warning = { code: 'window_truncated', missing: report.missingPeriods } as const;
    expect(warningText(translator('en'), 'en', warning)).toContain('4 periods have no source (1996–1999)');
    expect(warningText(translator('es'), 'es', warning)).toContain('4 periodos no tienen fuente (1996–1999)');
  });
});
