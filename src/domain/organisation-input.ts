/**
 * An organisation (agency) as an admin adds or changes it: the API body and the administration form.
 * @module
 */
import { z } from 'zod';
import { Classification, Code, Country, Text } from './common-schema.js';
import { OrganisationKind } from './workspace-schema.js';

export const OrganisationBody = z
  .object({
    code: Code,
    name: Text,
    kind: OrganisationKind,
    parent: Code.optional(),
    country: Country,
    /** The owning agency; the admin's own by default. */
    agency: Code.optional(),
    classification: Classification.optional(),
    /** The version read, to change an existing organisation (refused with 409 when stale). */
    version: z.number().int().min(1).optional(),
  })
  .strict();

export type OrganisationBody = z.infer<typeof OrganisationBody>;
