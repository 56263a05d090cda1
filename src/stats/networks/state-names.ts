/**
 * A Mexican state named as people write it, to its INEGI code: `Ciudad de México`, `CDMX`, `Michoacán`
 * (INEGI's `Michoacán de Ocampo`), `Veracruz`, `Estado de México`, without accents or in capitals, or
 * the two-digit code itself. Network files name a group's state in words.
 * @module
 */
import { nearest } from '../../domain/place-check.js';
import { MX_STATES } from '../mx-states.js';

/** Lower case, no accents, single spaces. */
const plain = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Short and older names INEGI's official ones leave out. */
const ALIASES: readonly (readonly [string, string])[] = [
  ['coahuila', '05'],
  ['cdmx', '09'],
  ['distrito federal', '09'],
  ['df', '09'],
  ['estado de mexico', '15'],
  ['edomex', '15'],
  ['michoacan', '16'],
  ['queretaro de arteaga', '22'],
  ['veracruz', '30'],
];

const BY_NAME = new Map<string, string>([
  ...MX_STATES.map(([code, name]) => [plain(name), code] as const),
  ...ALIASES,
]);

/** The INEGI code of the state `name` names, or undefined. */
export function stateCode(name: string): string | undefined {
  const trimmed = name.trim();
  if (/^\d{2}$/.test(trimmed) && MX_STATES.some(([code]) => code === trimmed)) return trimmed;
  return BY_NAME.get(plain(trimmed));
}

/** The official names nearest to an unknown `name`, for the message that refuses it. */
export const nearestStates = (name: string): string[] =>
  nearest(
    name,
    MX_STATES.map(([, n]) => n),
    3,
  );
