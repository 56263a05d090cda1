/**
 * Framework definition files (`marco: framework/1`) and crosswalk files (`marco: crosswalk/1`).
 * The built-in Bicentennial Framework, Mérida pillars and their crosswalk use this format; so does
 * `marco framework load FILE`. Documented in docs/framework-format.md.
 * @module
 */
import { z } from 'zod';
import { Code, Country, NodeRef, OptionalText, Str, Text } from './common-schema.js';

export interface NodeInput {
  code: string;
  level: string;
  title: Text;
  description?: z.infer<typeof OptionalText> | undefined;
  children?: NodeInput[] | undefined;
}

export const FrameworkNode: z.ZodType<NodeInput> = z.lazy(() =>
  z
    .object({
      code: Code,
      level: Code,
      title: Text,
      description: OptionalText.optional(),
      children: z.array(FrameworkNode).optional(),
    })
    .strict(),
);

const Owner = z.object({ country: Country, agency: Code }).strict();

export const FRAMEWORK_FORMAT = 'framework/1';
export const CROSSWALK_FORMAT = 'crosswalk/1';

export const FrameworkFile = z
  .object({
    marco: z.literal(FRAMEWORK_FORMAT),
    code: Code,
    edition: Str,
    title: Text,
    description: OptionalText.optional(),
    source: Str,
    official: z.boolean(),
    note: OptionalText.optional(),
    owner: Owner,
    levels: z.array(Code).min(1),
    nodes: z.array(FrameworkNode).min(1),
  })
  .strict();

export const Relation = z.enum(['equivalent', 'broader', 'narrower', 'related']);

export const CrosswalkFile = z
  .object({
    marco: z.literal(CROSSWALK_FORMAT),
    basis: z.enum(['official', 'analytical']),
    note: OptionalText.optional(),
    owner: Owner,
    links: z
      .array(
        z.object({ from: NodeRef, to: NodeRef, relation: Relation, note: OptionalText.optional() }).strict(),
      )
      .min(1),
  })
  .strict();

export type FrameworkFile = z.infer<typeof FrameworkFile>;
export type CrosswalkFile = z.infer<typeof CrosswalkFile>;
