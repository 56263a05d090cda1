/**
 * The accounts U.S. security cooperation with Mexico is funded from: the State Department and USAID
 * foreign-operations accounts and the Department of Defense counter-drug authorities that the CRS and the
 * GAO report Mérida and Bicentennial money under. A deployment's admins can add accounts in the workspace
 * (`accounts:`); these are always there. Each account is security or development: the split the
 * security-versus-development share uses (docs/funding.md gives the rationale).
 * @module
 */
import type { Text } from '../common-schema.js';

/** Which side of the security–development split an account's money falls on. */
export type AccountSector = 'security' | 'development';

export interface Account {
  code: string;
  name: Text;
  sector: AccountSector;
  /** The agency that manages it, and its authority in law. */
  manager: string;
  authority: string;
}

export const BUILTIN_ACCOUNTS: readonly Account[] = [
  {
    code: 'INCLE',
    name: {
      en: 'International Narcotics Control and Law Enforcement',
      es: 'Control Internacional de Narcóticos y Aplicación de la Ley',
    },
    sector: 'security',
    manager: 'State/INL',
    authority: 'Foreign Assistance Act of 1961, §481',
  },
  {
    code: 'ESF',
    name: { en: 'Economic Support Fund', es: 'Fondo de Apoyo Económico' },
    sector: 'development',
    manager: 'State, USAID',
    authority: 'Foreign Assistance Act of 1961, §531',
  },
  {
    code: 'FMF',
    name: { en: 'Foreign Military Financing', es: 'Financiamiento Militar Extranjero' },
    sector: 'security',
    manager: 'State/PM, DoD/DSCA',
    authority: 'Arms Export Control Act, §23',
  },
  {
    code: 'DA',
    name: { en: 'Development Assistance', es: 'Asistencia para el Desarrollo' },
    sector: 'development',
    manager: 'USAID',
    authority: 'Foreign Assistance Act of 1961, §103–106',
  },
  {
    code: 'NADR',
    name: {
      en: 'Nonproliferation, Anti-terrorism, Demining and Related Programs',
      es: 'No Proliferación, Antiterrorismo, Desminado y Programas Relacionados',
    },
    sector: 'security',
    manager: 'State/ISN, CT, PM',
    authority: 'Foreign Assistance Act of 1961, chapters 8 and 9 of part II',
  },
  {
    code: 'IMET',
    name: {
      en: 'International Military Education and Training',
      es: 'Educación y Entrenamiento Militar Internacional',
    },
    sector: 'security',
    manager: 'State/PM, DoD/DSCA',
    authority: 'Foreign Assistance Act of 1961, §541',
  },
  {
    code: 'DOD-333',
    name: {
      en: 'DoD building partner capacity (10 U.S.C. §333)',
      es: 'Fortalecimiento de capacidades de socios del DoD (10 U.S.C. §333)',
    },
    sector: 'security',
    manager: 'DoD/DSCA',
    authority: '10 U.S.C. §333',
  },
  {
    code: 'DOD-1004',
    name: {
      en: 'DoD counter-drug support (NDAA FY1991 §1004)',
      es: 'Apoyo antidrogas del DoD (NDAA FY1991 §1004)',
    },
    sector: 'security',
    manager: 'DoD/DASD-CN&GT',
    authority: 'National Defense Authorization Act for FY1991, §1004, as amended (now 10 U.S.C. §284)',
  },
];

/**
 * The built-in accounts and a workspace's own, by code. A workspace account with a built-in code replaces
 * it: that is how an office moves an account to the other side of the split.
 */
export function accountsWith(extra: readonly Account[] = []): Map<string, Account> {
  return new Map([...BUILTIN_ACCOUNTS, ...extra].map((a) => [a.code, a]));
}
