/**
 * The registry of official-statistics sources, by stable id.
 * @module
 */
import type { Source } from '../source.js';
import { bacrimNetwork } from './bacrim-network.js';
import { cbpDrugSeizures } from './cbp-drug-seizures.js';
import { cdcVsrrOverdose } from './cdc-vsrr-overdose.js';
import {
  conapoPopulationMunicipal,
  conapoPopulationState,
  conapoPopulationStateMonthly,
} from './conapo-population.js';
import { documentedFigures } from './documented-figures.js';
import { documentedSeries } from './documented-series.js';
import { inegiBoundaries } from './inegi-boundaries.js';
import { inegiGeoCatalog } from './inegi-geo-catalog.js';
import { inegiHomicidesHistoric } from './inegi-homicides-historic.js';
import { inegiHomicidesMunicipal, inegiHomicidesState } from './inegi-homicides.js';
import { sesnspIncidence } from './sesnsp-incidence.js';
import { sesnspVictims } from './sesnsp-victims.js';
import { usaidForeignAid } from './usaid-foreign-aid.js';

export const SOURCES: readonly Source[] = [
  inegiGeoCatalog,
  inegiBoundaries,
  inegiHomicidesMunicipal,
  inegiHomicidesState,
  inegiHomicidesHistoric,
  conapoPopulationStateMonthly,
  conapoPopulationState,
  conapoPopulationMunicipal,
  sesnspVictims,
  sesnspIncidence,
  cdcVsrrOverdose,
  cbpDrugSeizures,
  usaidForeignAid,
  documentedFigures,
  documentedSeries,
  bacrimNetwork,
];

export function sourceById(id: string): Source | undefined {
  return SOURCES.find((s) => s.id === id);
}
