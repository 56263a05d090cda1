/**
 * What may be attached to a result as evidence: PDF documents, PNG and JPEG images, CSV and XLSX tables,
 * each at most 10 MiB, with a file name a person can read. The content decides the type, not the name or
 * the browser's claim: the name's extension must agree with it. Pure; the content is inspected by the
 * monitoring service (`monitoring/evidence.ts`).
 * @module
 */
import { z } from 'zod';

/** Why an evidence file is removed (a file attached by mistake): kept by the audit log. */
export const AttachmentRemoval = z
  .object({
    reason: z.string().trim().min(3).max(2000).meta({ description: 'why the file is removed; recorded' }),
  })
  .strict();

/** The largest evidence file, in bytes (10 MiB): a scanned report fits; a video does not. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/** The most files one post attaches. */
export const MAX_EVIDENCE_FILES = 5;

/** Each accepted type: its media type and the extensions its files may carry. */
export const EVIDENCE_TYPES = {
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'] },
  png: { mediaType: 'image/png', extensions: ['png'] },
  jpg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
  },
  csv: { mediaType: 'text/csv', extensions: ['csv'] },
} as const;

export type EvidenceKind = keyof typeof EVIDENCE_TYPES;

/** The `accept` list of a file input. */
export const EVIDENCE_ACCEPT = Object.values(EVIDENCE_TYPES)
  .flatMap((t) => t.extensions.map((e) => `.${e}`))
  .join(',');

/** A file's extension, lower-cased, or ''. */
export const extensionOf = (name: string): string =>
  /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? '';

// eslint-disable-next-line no-control-regex
const UNSAFE_NAME = /[\u0000-\u001f\u007f/\\]|^\.+$/;

/**
 * The name a file is stored and served under: its base name as the browser or client gave it, trimmed
 * and NFC-normalised, or undefined when it is empty, longer than 200 characters, or holds a path
 * separator or a control character.
 */
export function evidenceName(given: string): string | undefined {
  const name = given.trim().normalize('NFC');
  return name.length >= 1 && name.length <= 200 && !UNSAFE_NAME.test(name) ? name : undefined;
}

/** True when `bytes` read as text with no control character but tab, carriage return and line feed. */
export function looksLikeText(bytes: Uint8Array): boolean {
  for (const b of bytes) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return false;
  return true;
}
