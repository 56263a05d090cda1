/**
 * A report template (`report-template/1`): a YAML file that names a report, says what it is about (a
 * framework over a period, a place, an evaluation, the data) and selects and orders its sections from a
 * fixed list. An office writes its own by copying a built-in one (`reports/*.yaml`); a section the list
 * lacks is refused with the file, line and column. The format is documented in `docs/reports.md`.
 * @module
 */
import { z } from 'zod';
import { Text } from '../common-schema.js';

/** Every section a template may name, in the order `docs/reports.md` describes them. */
export const SECTION_TYPES = [
  'summary',
  'indicators',
  'narratives',
  'lessons',
  'risks',
  'practices',
  'funding',
  'coverage',
] as const;
export type SectionType = (typeof SECTION_TYPES)[number];

/** What a report is about: what its request must give (a period, a place, an evaluation). */
export const SUBJECTS = ['framework'] as const;
export type Subject = (typeof SUBJECTS)[number];

export const ReportSection = z
  .object({
    type: z.enum(SECTION_TYPES),
    /** A heading of the office's own, in place of the section's. */
    title: Text.optional(),
  })
  .strict();
export type ReportSection = z.infer<typeof ReportSection>;

export const ReportTemplate = z
  .object({
    marco: z.literal('report-template/1'),
    name: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, { message: 'validation.schema.templateName' }),
    title: Text,
    description: Text.optional(),
    subject: z.enum(SUBJECTS),
    sections: z.array(ReportSection).min(1),
  })
  .strict();
export type ReportTemplate = z.infer<typeof ReportTemplate>;
