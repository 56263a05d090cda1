/**
 * A backup's manifest (`manifest.json`, first in the archive): what it holds and each file's size and
 * SHA-256, so that a restore refuses a damaged or altered archive before it writes anything.
 * @module
 */
import { z } from 'zod';

export const BACKUP_FORMAT = 'backup/1';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** A member's name: a plain file name, never a path. */
const Member = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/);

export const BackupManifest = z
  .object({
    marco: z.literal(BACKUP_FORMAT),
    version: z.string().min(1).max(50),
    created_at: z.iso.datetime(),
    created_by: z.string().min(1).max(64),
    records: z
      .object({
        kind: z.enum(['pglite', 'postgres']),
        file: Member,
        migration: z.string().min(1).max(100),
        audit: z.object({ entries: z.number().int().min(0), head: z.string().nullable() }).strict(),
      })
      .strict(),
    statistics: z
      .object({
        file: Member,
        /** The generation it was, with generations; null for a single-file store. */
        generation: z.number().int().positive().nullable(),
        generation_file: z.string().max(100).nullable(),
        vintages: z.string().max(1_000_000),
      })
      .strict(),
    key: Member.nullable(),
    files: z
      .array(z.object({ name: Member, bytes: z.number().int().min(0), sha256: Sha256 }).strict())
      .min(2),
  })
  .strict();

export type BackupManifest = z.infer<typeof BackupManifest>;
