/**
 * Response schemas of the incident routes: incidents as their classification lets the caller see them,
 * and what a save did to each.
 * @module
 */
import { z } from 'zod';

const BiText = z.object({ en: z.string(), es: z.string() });

export const IncidentRecord = z
  .object({
    id: z.number(),
    code: z.string(),
    date: z.string(),
    kind: z.enum(['violence', 'capture', 'extradition', 'diplomatic', 'policy']),
    places: z.array(z.string()),
    title: BiText,
    summary: BiText,
    sources: z.array(z.string()),
    country: z.enum(['US', 'MX']),
    agency: z.string(),
    classification: z.enum(['public', 'official_use', 'restricted']),
    updated_at: z.string(),
    updated_by: z
      .string()
      .optional()
      .meta({ description: 'who last changed it; left out for anonymous readers' }),
    version: z.number(),
  })
  .meta({ id: 'Incident' });

export const IncidentList = z.array(IncidentRecord).meta({ id: 'IncidentList' });

export const IncidentsSaved = z
  .object({
    saved: z.array(
      z.object({ code: z.string(), id: z.number(), action: z.enum(['create', 'update', 'unchanged']) }),
    ),
  })
  .meta({ id: 'IncidentsSaved' });
