/**
 * The measures Marco serves, with stable ids, definitions, and how each combines over time: flows add
 * up, stocks are averaged, 12-month-ending counts are never summed.
 * @module
 */

export type TimeAggregation = 'sum' | 'mean' | 'last';

export interface Measure {
  id: string;
  title: { en: string; es: string };
  unit: { en: string; es: string };
  definition: { en: string; es: string };
  /** How values combine into a longer period. */
  overTime: TimeAggregation;
  /** Whether place values add up to their parent (counts do; rates and averages do not). */
  additive: boolean;
}

export const MEASURES: readonly Measure[] = [
  {
    id: 'homicides',
    title: { en: 'Homicides', es: 'Homicidios' },
    unit: { en: 'deaths', es: 'defunciones' },
    definition: {
      en: 'Deaths by homicide registered in INEGI death certificates, by place and month of occurrence.',
      es: 'Defunciones por homicidio registradas en los certificados de defunción del INEGI, por lugar y mes de ocurrencia.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'population',
    title: { en: 'Population', es: 'Población' },
    unit: { en: 'inhabitants', es: 'habitantes' },
    definition: {
      en: 'CONAPO population estimates and projections (mid-year, or interpolated by month).',
      es: 'Estimaciones y proyecciones de población de CONAPO (a mitad de año, o interpoladas por mes).',
    },
    overTime: 'mean',
    additive: true,
  },
];

export function measureById(id: string): Measure | undefined {
  return MEASURES.find((m) => m.id === id);
}
