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
  /** A dimension a query must filter on, because its categories overlap and must never be added up. */
  requiresFilter?: string;
  /**
   * The precedence of its sources, applied period by period (`precedence/plan.ts`): each period comes
   * from the first source here that covers it completely. Sources not named come after, in a fixed order.
   */
  sources?: readonly string[];
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
    // The state file is INEGI's own state totals; the municipal file covers the same years at a finer
    // level; the 1990–2008 extract serves only the years the others do not reach.
    sources: ['inegi-homicides-state', 'inegi-homicides-municipal', 'inegi-homicides-historic'],
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
  {
    id: 'homicide_victims',
    title: { en: 'Victims of intentional homicide', es: 'Víctimas de homicidio doloso' },
    unit: { en: 'victims', es: 'víctimas' },
    definition: {
      en: 'Victims of intentional homicide (homicidio doloso) in investigation files opened by state prosecutors, reported to SESNSP.',
      es: 'Víctimas de homicidio doloso en carpetas de investigación abiertas por las fiscalías estatales, reportadas al SESNSP.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'femicide_victims',
    title: { en: 'Victims of femicide', es: 'Víctimas de feminicidio' },
    unit: { en: 'victims', es: 'víctimas' },
    definition: {
      en: 'Victims of femicide in investigation files, reported to SESNSP.',
      es: 'Víctimas de feminicidio en carpetas de investigación, reportadas al SESNSP.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'kidnapping_victims',
    title: { en: 'Victims of kidnapping', es: 'Víctimas de secuestro' },
    unit: { en: 'victims', es: 'víctimas' },
    definition: {
      en: 'Victims of kidnapping (all modalities) in investigation files, reported to SESNSP.',
      es: 'Víctimas de secuestro (todas las modalidades) en carpetas de investigación, reportadas al SESNSP.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'extortion_victims',
    title: { en: 'Victims of extortion', es: 'Víctimas de extorsión' },
    unit: { en: 'victims', es: 'víctimas' },
    definition: {
      en: 'Victims of extortion in investigation files, reported to SESNSP.',
      es: 'Víctimas de extorsión en carpetas de investigación, reportadas al SESNSP.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'crime_victims',
    title: { en: 'Victims of other crimes', es: 'Víctimas de otros delitos' },
    unit: { en: 'victims', es: 'víctimas' },
    definition: {
      en: 'Victims of the other crime subtypes SESNSP reports by victim; filter by crime_subtype.',
      es: 'Víctimas de los demás subtipos de delito que el SESNSP reporta por víctima; filtre por crime_subtype.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'crime_reports',
    // The unit (investigation files) is shown beside the title everywhere; the title does not repeat it.
    title: { en: 'Crime reports', es: 'Incidencia delictiva' },
    unit: { en: 'investigation files', es: 'carpetas de investigación' },
    definition: {
      en: 'Investigation files opened by state prosecutors for crimes of the common jurisdiction, reported to SESNSP; filter by crime_type, crime_subtype or modality.',
      es: 'Carpetas de investigación abiertas por las fiscalías estatales por delitos del fuero común, reportadas al SESNSP; filtre por crime_type, crime_subtype o modality.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'synthetic_opioid_deaths_12m',
    title: {
      en: 'Synthetic opioid overdose deaths, 12 months ending',
      es: 'Muertes por sobredosis de opioides sintéticos, 12 meses al cierre',
    },
    unit: {
      en: 'deaths in the 12 months ending that month',
      es: 'muertes en los 12 meses que terminan ese mes',
    },
    definition: {
      en: 'Provisional deaths involving synthetic opioids other than methadone (ICD-10 T40.4), mostly fentanyl, counted over the 12 months ending in the month (CDC VSRR).',
      es: 'Muertes provisionales que involucran opioides sintéticos distintos de la metadona (CIE-10 T40.4), sobre todo fentanilo, contadas en los 12 meses que terminan en el mes (CDC VSRR).',
    },
    overTime: 'last',
    additive: true,
  },
  {
    id: 'overdose_deaths_12m',
    requiresFilter: 'indicator',
    title: { en: 'Drug overdose deaths, 12 months ending', es: 'Muertes por sobredosis, 12 meses al cierre' },
    unit: {
      en: 'deaths in the 12 months ending that month',
      es: 'muertes en los 12 meses que terminan ese mes',
    },
    definition: {
      en: 'Provisional drug overdose deaths of the other indicators CDC VSRR publishes, by indicator, over the 12 months ending in the month.',
      es: 'Muertes provisionales por sobredosis de los demás indicadores que publica CDC VSRR, por indicador, en los 12 meses que terminan en el mes.',
    },
    overTime: 'last',
    additive: true,
  },
  {
    id: 'drug_seizures_lbs',
    title: { en: 'Drug seizures by weight', es: 'Decomisos de drogas por peso' },
    unit: { en: 'pounds', es: 'libras' },
    definition: {
      en: 'Weight of drugs seized by U.S. Customs and Border Protection (Office of Field Operations and Border Patrol), by month, component, region, area of responsibility and drug; filter by drug to compare like with like.',
      es: 'Peso de las drogas decomisadas por la Oficina de Aduanas y Protección Fronteriza de EE. UU. (Operaciones de Campo y Patrulla Fronteriza), por mes, componente, región, área de responsabilidad y droga; filtre por droga para comparar lo comparable.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'drug_seizure_events',
    title: { en: 'Drug seizure events', es: 'Eventos de decomiso de drogas' },
    unit: { en: 'seizure events', es: 'eventos de decomiso' },
    definition: {
      en: 'Number of CBP seizure events, by month, component, region, area of responsibility and drug. An event seizing two drugs counts once for each.',
      es: 'Número de eventos de decomiso de la CBP, por mes, componente, región, área de responsabilidad y droga. Un evento que decomisa dos drogas cuenta una vez por cada una.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'us_assistance_usd',
    requiresFilter: 'transaction_type',
    title: {
      en: 'U.S. foreign assistance (current dollars)',
      es: 'Asistencia exterior de EE. UU. (dólares corrientes)',
    },
    unit: { en: 'U.S. dollars, current', es: 'dólares de EE. UU. corrientes' },
    definition: {
      en: 'U.S. Government foreign assistance to a country by federal fiscal year, from the Foreign Aid Explorer, in current dollars; filter by transaction_type (obligations, disbursements, appropriated and planned, president’s budget requests, initial allocations), which overlap and are never added up.',
      es: 'Asistencia exterior del Gobierno de EE. UU. a un país por año fiscal federal, del Foreign Aid Explorer, en dólares corrientes; filtre por transaction_type (obligaciones, desembolsos, asignado y planeado, solicitudes presupuestales del presidente, asignaciones iniciales), que se traslapan y nunca se suman.',
    },
    overTime: 'sum',
    additive: true,
  },
  {
    id: 'us_assistance_usd_constant',
    requiresFilter: 'transaction_type',
    title: {
      en: 'U.S. foreign assistance (constant dollars)',
      es: 'Asistencia exterior de EE. UU. (dólares constantes)',
    },
    unit: { en: 'U.S. dollars, constant', es: 'dólares de EE. UU. constantes' },
    definition: {
      en: 'The same as us_assistance_usd, in the constant dollars of the Foreign Aid Explorer vintage (its base year is the publisher’s).',
      es: 'Lo mismo que us_assistance_usd, en los dólares constantes de la versión del Foreign Aid Explorer (el año base es el del publicador).',
    },
    overTime: 'sum',
    additive: true,
  },
];

export function measureById(id: string): Measure | undefined {
  return MEASURES.find((m) => m.id === id);
}
