/**
 * A program's IATI classification, declared in the workspace (`iati:` on a program): the OECD DAC
 * 5-digit purpose codes (sector vocabulary 1) with the percentage of the program each covers, adding up
 * to 100, and its flow type. The codes offered are the active DAC codes of this portfolio's work (DAC
 * CRS purpose codes, as in IATI's Sector codelist): governance and justice, conflict, peace and
 * security, narcotics control, and drug-use prevention and treatment. Interdiction and military
 * training are not official development assistance (the DAC's own notes under 16063 and 15230): a
 * program doing them takes flow type 50, "other flows", or 21, non-export-credit other official
 * flows, never 10 (ODA). docs/funding.md lists the codes and the rule.
 * @module
 */
import { z } from 'zod';

/** The DAC purpose codes a program may declare, with their names. */
export const DAC_SECTORS = {
  '15110': {
    en: 'Public sector policy and administrative management',
    es: 'Política y gestión administrativa del sector público',
  },
  '15130': { en: 'Legal and judicial development', es: 'Desarrollo legal y judicial' },
  '15131': {
    en: 'Justice, law and order policy, planning and administration',
    es: 'Política, planificación y administración de justicia y orden público',
  },
  '15132': { en: 'Police', es: 'Policía' },
  '15134': { en: 'Judicial affairs', es: 'Asuntos judiciales' },
  '15137': { en: 'Prisons', es: 'Prisiones' },
  '15150': {
    en: 'Democratic participation and civil society',
    es: 'Participación democrática y sociedad civil',
  },
  '15160': { en: 'Human rights', es: 'Derechos humanos' },
  '15170': {
    en: "Women's rights organisations and movements, and government institutions",
    es: 'Organizaciones, movimientos e instituciones por los derechos de las mujeres',
  },
  '15180': {
    en: 'Ending violence against women and girls',
    es: 'Erradicación de la violencia contra mujeres y niñas',
  },
  '15210': { en: 'Security system management and reform', es: 'Gestión y reforma del sistema de seguridad' },
  '15220': {
    en: 'Civilian peace-building, conflict prevention and resolution',
    es: 'Construcción de paz civil, prevención y resolución de conflictos',
  },
  '15240': {
    en: 'Reintegration and SALW control',
    es: 'Reintegración y control de armas pequeñas y ligeras',
  },
  '16010': { en: 'Social protection', es: 'Protección social' },
  '16020': { en: 'Employment creation', es: 'Creación de empleo' },
  '16063': { en: 'Narcotics control', es: 'Control de narcóticos' },
  '12330': {
    en: 'Control of harmful use of alcohol and drugs',
    es: 'Control del consumo nocivo de alcohol y drogas',
  },
  '12340': {
    en: 'Promotion of mental health and well-being',
    es: 'Promoción de la salud mental y el bienestar',
  },
} as const;
export type DacSector = keyof typeof DAC_SECTORS;

/** IATI flow types a program may take: ODA, or the two non-ODA ones that fit security assistance. */
export const FLOW_TYPES = ['10', '21', '50'] as const;
export const DEFAULT_FLOW_TYPE = '10';

const codes = Object.keys(DAC_SECTORS) as [DacSector, ...DacSector[]];

export const ProgramIati = z
  .object({
    sectors: z
      .array(
        z
          .object({
            code: z.enum(codes),
            percentage: z.number().gt(0).lte(100),
          })
          .strict(),
      )
      .min(1)
      .max(20),
    flow_type: z.enum(FLOW_TYPES).optional(),
  })
  .strict()
  .refine((x) => Math.abs(x.sectors.reduce((s, c) => s + c.percentage, 0) - 100) < 1e-9, {
    message: 'validation.schema.sectorPercentages',
    path: ['sectors'],
  })
  .refine((x) => new Set(x.sectors.map((c) => c.code)).size === x.sectors.length, {
    message: 'validation.schema.sectorTwice',
    path: ['sectors'],
  });
export type ProgramIati = z.infer<typeof ProgramIati>;
