/**
 * Pieces shared by the API's response schemas: bilingual texts, the owner and version every record
 * carries, user names (left out for anonymous readers) and the vintages behind statistics.
 * @module
 */
import { z } from 'zod';

/** A text in English and Spanish. */
export const Bilingual = z.object({ en: z.string(), es: z.string() }).meta({ id: 'Bilingual' });

/** A bilingual text that may be absent in either language. */
export const OptionalBilingual = z
  .object({ en: z.string().nullable(), es: z.string().nullable() })
  .meta({ id: 'OptionalBilingual' });

/** An official's user name: left out for anonymous readers. */
export const UserName = z
  .string()
  .optional()
  .meta({ description: 'an official’s user name; left out for anonymous readers' });

export const Country = z.enum(['US', 'MX']);
export const Classification = z.enum(['public', 'official_use', 'restricted']);

/** The owner of a record and its classification. */
export const Owner = {
  country: Country,
  agency: z.string(),
  classification: Classification,
};

/** The owner, version and last change of a versioned record. */
export const Versioned = {
  ...Owner,
  version: z.number().int().min(1),
  updated_at: z.string(),
  updated_by: UserName,
};

/** A UTC timestamp (ISO 8601). */
export const Timestamp = z.string().meta({ description: 'ISO 8601, UTC' });

/** An `{ entity, key }` of a record the answer names. */
export const Count = z.number().int().min(0);

/** How a program's GAO monitoring practices stand. */
export const Compliance = z
  .object({
    score: z.number().nullable(),
    met: Count,
    partial: Count,
    notMet: Count,
    notAssessed: Count,
    notApplicable: Count,
    applicable: Count,
  })
  .meta({ id: 'Compliance' });

/** The vintage of a statistics file: what was imported, when, from where, and its checksum. */
export const Vintage = z
  .object({
    id: z.number().int(),
    source: z.string(),
    file_name: z.string(),
    sha256: z.string(),
    bytes: z.number().int().nullable(),
    layout: z.string().nullable(),
    rows_read: Count.nullable(),
    rows_loaded: Count.nullable(),
    rows_rejected: Count.nullable(),
    period_from: z.string().nullable(),
    period_to: z.string().nullable(),
    imported_at: Timestamp,
    marco_version: z.string().nullable(),
    replaced_by: z.number().int().nullable(),
    params: z
      .string()
      .nullable()
      .meta({ description: 'the source parameters of the import, as a JSON object in text' }),
    imported_by: UserName.nullable(),
    origin: z.string().nullable(),
    withdrawn_at: Timestamp.nullable(),
    withdrawn_by: UserName.nullable(),
  })
  .meta({ id: 'Vintage' });

/** The vintages a statistics answer was computed from. */
export const VintageRef = z
  .object({
    id: z.number().int(),
    source: z.string(),
    file_name: z.string(),
    sha256: z.string(),
    imported_at: Timestamp.optional(),
  })
  .meta({ id: 'VintageRef' });
