/**
 * Why a row was rejected. A reason is stored with the reject, and reported by the API, in English, so it
 * is as stable as a code; readers see it in their language. Each reason is a catalog text under
 * `imports.reject.*`, and a stored reason is translated by finding the catalog text it is.
 * @module
 */
import { CATALOGS, translator, type Locale } from '../i18n/index.js';

const english = CATALOGS.en as { imports: { reject: Record<string, string> } };

/** The names of the reject reasons (`imports.reject.<name>` in the catalogs). */
export type RejectReason = keyof typeof english.imports.reject;

/** The stored (English) text of reject reason `name`. */
export function rejectReason(name: RejectReason): string {
  const text = english.imports.reject[name];
  if (text === undefined) throw new Error(`no reject reason imports.reject.${name} in the catalog`);
  return text;
}

let byText: Map<string, string> | undefined;

/**
 * A stored reason in `locale`: the catalog's text when it is one of Marco's reasons, else as stored. A
 * reason followed by a detail that needs no translation (`…; first at line 3`, `…; nearest: Colima`)
 * keeps its detail after the translated reason.
 */
export function rejectReasonIn(locale: Locale, stored: string): string {
  if (locale === 'en') return stored;
  byText ??= new Map(Object.entries(english.imports.reject).map(([name, text]) => [text, name]));
  const t = translator(locale);
  const name = byText.get(stored);
  if (name !== undefined) return t(`imports.reject.${name}`);
  let best: [string, string] | undefined;
  for (const [text, n] of byText)
    if (
      stored.startsWith(text) &&
      /^[ :]/.test(stored.slice(text.length)) &&
      text.length > (best?.[0].length ?? 0)
    )
      best = [text, n];
  return best ? t(`imports.reject.${best[1]}`) + stored.slice(best[0].length) : stored;
}
