/**
 * The reader's language, as the language detector found it (`?lang=`, the remembered cookie, then the
 * browser's), English when none matches.
 * @module
 */
import type { Context } from 'hono';
import { matchLocale, type Locale } from '../i18n/index.js';

export const localeOf = (c: Context): Locale =>
  (matchLocale(c.get('language') as string | undefined) ?? 'en') as Locale;
