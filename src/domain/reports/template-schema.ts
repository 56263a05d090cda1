/**
 * A report template (`report-template/1`): a YAML file that names a report, says what it is about (a
 * framework over a period, a place, an evaluation, the data) and selects and orders its sections from
 * that subject's fixed list. An office writes its own by copying a built-in one (`reports/*.yaml`); a
 * section the list lacks, or one of another subject's, is refused with the file, line and column. The
 * format is documented in `docs/reports.md`.
 * @module
 */
import { z } from 'zod';
import { Text } from '../common-schema.js';

/** What a report is about: what its request must give (a period, a place, an evaluation). */
export const SUBJECTS = ['framework', 'place', 'evaluation', 'data'] as const;
export type Subject = (typeof SUBJECTS)[number];

/** Each subject's sections, in the order `docs/reports.md` describes them. */
export const SUBJECT_SECTIONS = {
  framework: ['summary', 'indicators', 'narratives', 'lessons', 'risks', 'practices', 'funding', 'coverage'],
  place: ['takeaway', 'trends', 'crimes', 'anomalies', 'reconciliation', 'programs'],
  evaluation: ['specification', 'panel', 'estimates', 'inference', 'provenance'],
  data: ['vintages', 'rejected', 'claims', 'reconciliation', 'audit'],
} as const satisfies Record<Subject, readonly string[]>;

/** The request parameters each subject needs, and those it may take (any other is refused). */
export const SUBJECT_PARAMETERS: Record<
  Subject,
  { needs: ('period' | 'place' | 'evaluation')[]; takes: ('period' | 'place' | 'evaluation')[] }
> = {
  framework: { needs: ['period'], takes: ['period'] },
  place: { needs: ['place'], takes: ['place', 'period'] },
  evaluation: { needs: ['evaluation'], takes: ['evaluation'] },
  data: { needs: [], takes: [] },
};

export type SectionOf<S extends Subject> = (typeof SUBJECT_SECTIONS)[S][number];

/** Every section a template may name, whatever its subject. */
export const SECTION_TYPES = [...new Set(Object.values(SUBJECT_SECTIONS).flat())] as [
  SectionOf<Subject>,
  ...SectionOf<Subject>[],
];
export type SectionType = SectionOf<Subject>;

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
  .strict()
  .superRefine((t, ctx) => {
    const allowed: readonly string[] = SUBJECT_SECTIONS[t.subject];
    t.sections.forEach((s, i) => {
      if (!allowed.includes(s.type))
        ctx.addIssue({
          code: 'custom',
          path: ['sections', i, 'type'],
          message: 'validation.schema.sectionSubject',
          params: { section: s.type, subject: t.subject, sections: allowed.join(', ') },
        });
    });
  });
export type ReportTemplate = z.infer<typeof ReportTemplate>;
