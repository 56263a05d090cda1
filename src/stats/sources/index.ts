/**
 * The registry of official-statistics sources, by stable id.
 * @module
 */
import type { Source } from '../source.js';
import { cdcVsrrOverdose } from './cdc-vsrr-overdose.js';
import { conapoPopulationState, conapoPopulationStateMonthly } from './conapo-population.js';
import { documentedFigures } from './documented-figures.js';
import { inegiGeoCatalog } from './inegi-geo-catalog.js';
import { inegiHomicidesMunicipal, inegiHomicidesState } from './inegi-homicides.js';
import { sesnspIncidence } from './sesnsp-incidence.js';
import { sesnspVictims } from './sesnsp-victims.js';

export const SOURCES: readonly Source[] = [
  inegiGeoCatalog,
  inegiHomicidesMunicipal,
  inegiHomicidesState,
  conapoPopulationStateMonthly,
  conapoPopulationState,
  sesnspVictims,
  sesnspIncidence,
  cdcVsrrOverdose,
  documentedFigures,
];

export function sourceById(id: string): Source | undefined {
  return SOURCES.find((s) => s.id === id);
}
