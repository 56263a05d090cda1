/**
 * Reconciliation of the two official counts of intentional killing in Mexico: INEGI homicides (death
 * certificates, by place of occurrence) against SESNSP victims of intentional homicide plus femicide
 * (prosecutors' investigation files), by year, for the country and each state, with the gap in percent.
 * The two differ by design (registration versus investigation, timing, classification); a large or
 * changing gap is what analysts look at.
 * @module
 */
import { querySeries } from './series.js';
import type { StatsStore } from './stats-store.js';

export interface ReconciliationRow {
  geo: string;
  name: string | null;
  year: string;
  inegiHomicides: number | null;
  sesnspHomicideVictims: number | null;
  sesnspFemicideVictims: number | null;
  /** SESNSP intentional homicide plus femicide victims. */
  sesnspTotal: number | null;
  /** (SESNSP total − INEGI) / INEGI. */
  gap: number | null;
}

export interface ReconciliationOptions {
  from?: string | undefined;
  to?: string | undefined;
  /** Only these places (`MX` or state codes); default Mexico and every state. */
  geo?: string[] | undefined;
}

/** Reconciles by year for Mexico and each of its states, over the years both sources cover. */
export async function reconcile(
  stats: StatsStore,
  options: ReconciliationOptions = {},
): Promise<ReconciliationRow[]> {
  const range = {
    by: 'year' as const,
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
  };
  const values = async (measure: string) => {
    const [national, states] = options.geo
      ? [await querySeries(stats, { measure, geo: options.geo, ...range }), { series: [] }]
      : [
          await querySeries(stats, { measure, geo: ['MX'], ...range }),
          await querySeries(stats, { measure, level: 'state', within: 'MX', ...range }),
        ];
    const map = new Map<string, { value: number; name: string | null }>();
    for (const s of [...national.series, ...states.series])
      for (const p of s.points) map.set(`${s.geo}|${p.period}`, { value: p.value, name: s.name });
    return map;
  };
  const inegi = await values('homicides');
  const homicide = await values('homicide_victims');
  const femicide = await values('femicide_victims');
  // Only the years both sides report.
  const keys = [...homicide.keys()].filter((k) => inegi.has(k));
  const rows = keys.map((key): ReconciliationRow => {
    const [geo, year] = key.split('|') as [string, string];
    const i = inegi.get(key)!.value;
    const h = homicide.get(key)!.value;
    const f = femicide.get(key)?.value ?? 0;
    return {
      geo,
      name: inegi.get(key)!.name,
      year,
      inegiHomicides: i,
      sesnspHomicideVictims: h,
      sesnspFemicideVictims: f,
      sesnspTotal: h + f,
      gap: i > 0 ? (h + f - i) / i : null,
    };
  });
  return rows.sort((a, b) =>
    a.geo === b.geo
      ? a.year.localeCompare(b.year)
      : a.geo === 'MX'
        ? -1
        : b.geo === 'MX'
          ? 1
          : a.geo.localeCompare(b.geo),
  );
}
