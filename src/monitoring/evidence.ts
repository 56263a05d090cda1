/**
 * Evidence files checked before they are stored: their type read from their content (`file-type`, which
 * knows PDF, PNG, JPEG and the Office formats by their signatures; a CSV has none, so it must be text),
 * the extension of their name agreeing with it, their size within the limit, and their SHA-256 computed.
 * A file that fails says which and why, in the reader's language, and nothing is stored.
 * @module
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import {
  EVIDENCE_TYPES,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  evidenceName,
  extensionOf,
  looksLikeText,
  type EvidenceKind,
} from '../domain/evidence-files.js';
import { assertCanSubmit } from '../access/rules.js';
import type { Official } from '../access/viewer.js';
import { ValidationError, textIssue, type Issue } from '../error.js';

/** A file as it arrived: its name and its bytes. */
export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** A file ready to store: its name, type, size and hash. */
export interface EvidenceFile {
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  content: Uint8Array;
}

/** The kind `bytes` are, by their content: a known signature, else CSV when they are text. */
async function kindOf(bytes: Uint8Array): Promise<{ kind?: EvidenceKind; found: string }> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) return looksLikeText(bytes) ? { kind: 'csv', found: 'text' } : { found: 'unknown' };
  const kind = (Object.keys(EVIDENCE_TYPES) as EvidenceKind[]).find(
    (k) => EVIDENCE_TYPES[k].mediaType === detected.mime,
  );
  return kind ? { kind, found: detected.ext } : { found: `${detected.ext} (${detected.mime})` };
}

/**
 * Checks `files` (at `path` in the form or the request), returning them ready to store, or throwing one
 * {@link ValidationError} naming every file refused and why.
 */
export async function inspectEvidence(files: readonly UploadedFile[], path: string): Promise<EvidenceFile[]> {
  if (files.length > MAX_EVIDENCE_FILES)
    throw new ValidationError([textIssue(path, 'validation.evidence.tooMany', { max: MAX_EVIDENCE_FILES })]);
  const issues: Issue[] = [];
  const ready: EvidenceFile[] = [];
  for (const file of files) {
    const shown = file.name.slice(0, 200);
    const filename = evidenceName(file.name);
    if (!filename) {
      issues.push(textIssue(path, 'validation.evidence.name', { file: JSON.stringify(shown) }));
      continue;
    }
    if (file.bytes.length === 0) {
      issues.push(textIssue(path, 'validation.evidence.empty', { file: filename }));
      continue;
    }
    if (file.bytes.length > MAX_EVIDENCE_BYTES) {
      issues.push(
        textIssue(path, 'validation.evidence.tooBig', {
          file: filename,
          size: file.bytes.length,
          max: MAX_EVIDENCE_BYTES,
        }),
      );
      continue;
    }
    const { kind, found } = await kindOf(file.bytes);
    if (!kind) {
      issues.push(
        found === 'unknown'
          ? textIssue(path, 'validation.evidence.unknownType', { file: filename })
          : textIssue(path, 'validation.evidence.type', { file: filename, found }),
      );
      continue;
    }
    const extension = extensionOf(filename);
    if (!(EVIDENCE_TYPES[kind].extensions as readonly string[]).includes(extension)) {
      issues.push(
        textIssue(path, 'validation.evidence.mismatch', {
          file: filename,
          extension: extension || '—',
          found: kind.toUpperCase(),
        }),
      );
      continue;
    }
    ready.push({
      filename,
      mediaType: EVIDENCE_TYPES[kind].mediaType,
      size: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      content: file.bytes,
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return ready;
}

/** Who may attach evidence to result `id`: its reporters, like any change to its content. */
export function evidenceEditor(viewer: Official, id: number) {
  return {
    viewer,
    authorize(current: { country: 'US' | 'MX'; agency: string }) {
      assertCanSubmit(viewer, current, { entity: 'result', key: String(id) });
    },
  };
}
