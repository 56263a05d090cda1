/**
 * A bilateral incident: something that happened on a day, in one or more places, that the two
 * governments must hear of together (a massacre, a leader's capture, an extradition, a diplomatic
 * protest, a policy change). It has a code that names it for good, its kind, a title and a summary in
 * English and Spanish, the sources it is known from (one at least: an incident nobody can check is a
 * rumour), and the owner and classification of every record. An incident dated after today is refused:
 * Marco records what happened, not what is planned.
 * @module
 */
import { z } from 'zod';
import { Code, IsoDate, Place, Str, Text, ownership } from '../common-schema.js';

export const INCIDENT_KINDS = ['violence', 'capture', 'extradition', 'diplomatic', 'policy'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** The most places and sources one incident may name. */
export const MAX_INCIDENT_PLACES = 100;
export const MAX_INCIDENT_SOURCES = 20;

/** Today's date in UTC, `YYYY-MM-DD`: no place in Mexico or the United States is ahead of it. */
export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

/** A source: a citation or a link, one line of at most 1,000 characters. */
const Source = Str.refine((s) => s.length <= 1000 && !/[\r\n]/.test(s), {
  message: 'validation.schema.incidentSourceLine',
});

export const Incident = z
  .object({
    code: Code,
    date: IsoDate.superRefine((date, ctx) => {
      const today = todayUtc();
      if (date > today)
        ctx.addIssue({
          code: 'custom',
          message: 'validation.schema.incidentFuture',
          params: { date, today },
        });
    }),
    kind: z.enum(INCIDENT_KINDS),
    places: z
      .array(Place)
      .min(1, { message: 'validation.schema.incidentPlaces' })
      .max(MAX_INCIDENT_PLACES)
      .refine((p) => new Set(p).size === p.length, { message: 'validation.schema.incidentPlaceTwice' }),
    title: Text,
    summary: Text,
    sources: z
      .array(Source)
      .min(1, { message: 'validation.schema.incidentSources' })
      .max(MAX_INCIDENT_SOURCES),
    ...ownership,
  })
  .strict();
export type IncidentInput = z.infer<typeof Incident>;
