/**
 * Response schema of the IATI route's JSON form: the activities the XML file holds.
 * @module
 */
import { z } from 'zod';
import { Bilingual } from './common.js';

export const IatiActivities = z
  .object({
    version: z.literal('2.03'),
    reporting_org: z
      .string()
      .meta({ description: 'the reporting organisation’s IATI identifier: every activity’s prefix' }),
    activities: z.array(z.object({ identifier: z.string(), program: z.string(), title: Bilingual })),
  })
  .meta({ id: 'IatiActivities' });
