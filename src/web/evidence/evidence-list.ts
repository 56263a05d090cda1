/**
 * A result's evidence files as the pages list them (each a download link with its name, type, size, who
 * attached it and when, in the reader's language), and the file field that attaches more.
 * @module
 */
import { EVIDENCE_ACCEPT, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from '../../domain/evidence-files.js';
import { formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import { field, type FieldState } from '../form-field.js';
import type { AttachmentView } from '../../records/evidence-repository.js';
import { html, type Html } from '../html.js';
import type { Reader } from '../reader.js';

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'text/csv': 'CSV',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
};

/** A size in the reader's units: KB or MB, with the reader's digits. */
function size(reader: Reader, bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${formatNumber(reader.locale, bytes / 1024 / 1024, { maximumFractionDigits: 1 })} MB`
    : `${formatNumber(reader.locale, Math.max(1, Math.round(bytes / 1024)))} KB`;
}

/** The download path of file `sha256` of result `id`. */
export const evidencePath = (id: number, sha256: string) => `/results/${String(id)}/evidence/${sha256}`;

/** The list of `files` attached to result `id`; nothing when there are none and `quiet`. */
export function evidenceList(
  reader: Reader,
  id: number,
  files: readonly AttachmentView[],
  quiet = false,
  /** For a result its reader may still change: each file gets a form that removes it, with a reason. */
  remove?: { csrf: string },
): Html {
  const t = translator(reader.locale);
  if (files.length === 0) return quiet ? html`` : html`<p class="small muted">${t('web.evidence.none')}</p>`;
  return html`<ul class="evidence">
    ${files.map(
      (f) =>
        html`<li>
          <a href="${evidencePath(id, f.sha256)}" download="${f.filename}">${f.filename}</a>
          <span class="small muted"
            >${TYPE_NAMES[f.mediaType] ?? f.mediaType}, ${size(reader, f.size)} ·
            ${reader.viewer === null ? '' : `${f.attachedBy}, `}${formatDate(reader.locale, f.attachedAt)}</span
          >
          ${
            remove
              ? html`<details class="remove">
                  <summary>${t('web.evidence.remove')}</summary>
                  <form method="post" action="${evidencePath(id, f.sha256)}/remove" class="decision">
                    <input type="hidden" name="_csrf" value="${remove.csrf}" />
                    <label
                      >${t('web.evidence.reason', { file: f.filename })}
                      <textarea name="reason" required minlength="3" maxlength="2000" rows="2"></textarea>
                    </label>
                    <button type="submit">${t('web.evidence.removeButton')}</button>
                  </form>
                </details>`
              : ''
          }
        </li>`,
    )}
  </ul>`;
}

/** The evidence files' field: what it takes, and how much. */
export function evidenceField(t: Translate, state?: FieldState): Html {
  return field('attachments', t('web.entry.files'), '', state, {
    files: EVIDENCE_ACCEPT,
    hint: t('web.entry.filesHint', { count: MAX_EVIDENCE_FILES, size: MAX_EVIDENCE_BYTES / 1024 / 1024 }),
  });
}
