/**
 * EN/ES catalogs with ICU MessageFormat plurals, and `Intl` number and date formatting for `en-US` and
 * `es-MX`. Every user-facing string goes through {@link translator}.
 * @module
 */
import { createIntl, createIntlCache } from '@formatjs/intl';
import enCli from './en/cli.json' with { type: 'json' };
import enCore from './en/core.json' with { type: 'json' };
import enWeb from './en/web.json' with { type: 'json' };
import esCli from './es/cli.json' with { type: 'json' };
import esCore from './es/core.json' with { type: 'json' };
import esWeb from './es/web.json' with { type: 'json' };

// Each language's catalog is kept in three files by area (shared texts, the command line, the web pages);
// their top-level keys are distinct, so a catalog is their union.
const en = { ...enCore, ...enCli, ...enWeb };
const es = { ...esCore, ...esCli, ...esWeb };

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const CATALOGS: Record<Locale, unknown> = { en, es };
const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', es: 'es-MX' };

export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** A catalog's nested keys flattened to the dotted ids FormatJS reads (`cli.opt.json`). */
function flatten(catalog: unknown, prefix = '', into: Record<string, string> = {}): Record<string, string> {
  if (catalog && typeof catalog === 'object')
    for (const [k, v] of Object.entries(catalog)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  else into[prefix] = String(catalog);
  return into;
}

const cache = new Map<Locale, Translate>();

/**
 * A synchronous translator for one locale, through FormatJS (`@formatjs/intl`): ICU MessageFormat
 * plurals and selects, compiled once per message. A key missing from the catalog comes back as itself;
 * `i18n.test.ts` checks that every key the code uses exists in both catalogs.
 */
export function translator(locale: Locale): Translate {
  let t = cache.get(locale);
  if (!t) {
    const intl = createIntl(
      {
        locale: INTL_LOCALE[locale],
        messages: flatten(CATALOGS[locale]),
        // A missing key comes back as itself; a message that cannot be formatted is a bug, and throws.
        onError: (error) => {
          if (error.code !== 'MISSING_TRANSLATION') throw error;
        },
      },
      createIntlCache(),
    );
    // Catalog texts are plain text: `<` is a character, not the start of a rich-text tag.
    t = (key, values) =>
      intl.formatMessage({ id: key }, values as Record<string, string | number> | undefined, {
        ignoreTag: true,
      }) as string;
    cache.set(locale, t);
  }
  return t;
}

/** Picks a supported locale from a tag such as `es-MX`, `es_MX.UTF-8` or `en`; undefined when none fits. */
export function matchLocale(tag: string | undefined | null): Locale | undefined {
  const base = tag?.trim().toLowerCase().slice(0, 2);
  return (LOCALES as readonly string[]).includes(base ?? '') ? (base as Locale) : undefined;
}

// Formatters are made once per locale and options: making one costs far more than using it (a funding
// page formats a few thousand numbers). Options come from code, so there are few; the bound is a guard.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const FORMATS_KEPT = 500;

function kept<F>(cache: Map<string, F>, key: string, make: () => F): F {
  let format = cache.get(key);
  if (!format) {
    if (cache.size >= FORMATS_KEPT) cache.clear();
    cache.set(key, (format = make()));
  }
  return format;
}

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return kept(
    numberFormats,
    `${locale}${JSON.stringify(options)}`,
    () => new Intl.NumberFormat(INTL_LOCALE[locale], options),
  );
}

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return kept(
    dateFormats,
    `${locale}${JSON.stringify(options)}`,
    () => new Intl.DateTimeFormat(INTL_LOCALE[locale], options),
  );
}

export function formatNumber(locale: Locale, value: number, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, { maximumFractionDigits: 2, ...options }).format(value);
}

/** A size in bytes as people read it: 12.3 kB, 1.2 MB. */
export function formatBytes(locale: Locale, bytes: number): string {
  const mega = bytes >= 1_000_000;
  return formatNumber(locale, mega ? bytes / 1_000_000 : bytes / 1000, {
    style: 'unit',
    unit: mega ? 'megabyte' : 'kilobyte',
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  });
}

/**
 * A p-value as a table prints it: three decimals, or `< 0.001` below a thousandth (a p-value is never
 * exactly zero, and "0" would claim it is); `—` when there is none.
 */
export function formatPValue(locale: Locale, p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  if (p < 0.001)
    return `< ${formatNumber(locale, 0.001, { minimumFractionDigits: 3, maximumFractionDigits: 3 })}`;
  return formatNumber(locale, p, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
}

/** A p-value as a sentence prints it: `p = 0.003`, or `p < 0.001`. */
export function formatP(locale: Locale, p: number | null | undefined): string {
  const value = formatPValue(locale, p);
  return value.startsWith('<') ? `p ${value}` : `p = ${value}`;
}

/**
 * A share as a whole percentage. A value that rounds to zero never shows a sign ("-0%"); with `signed`,
 * other values always do ("+5%", "-5%"), for differences.
 */
export function formatPercent(locale: Locale, share: number, options: { signed?: boolean } = {}): string {
  return numberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: 0,
    signDisplay: options.signed ? 'exceptZero' : 'negative',
  }).format(share);
}

/** A date in the reader's language (UTC); with `time`, the time of day too (say "UTC" beside it). */
export function formatDate(locale: Locale, iso: string, options: { time?: boolean } = {}): string {
  return dateFormat(locale, {
    dateStyle: 'long',
    ...(options.time ? { timeStyle: 'short' } : {}),
    timeZone: 'UTC',
  }).format(new Date(iso));
}

/**
 * A span of months in the reader's language: `January – June 2025`, `enero–junio de 2025`, or one month
 * (`January 2026`) when they are the same. Months are `YYYY-MM`.
 */
export function formatMonths(locale: Locale, from: string, to: string): string {
  const format = dateFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const start = new Date(`${from}-01T00:00:00Z`);
  return from === to ? format.format(start) : format.formatRange(start, new Date(`${to}-01T00:00:00Z`));
}

/** Every key path of a catalog, for the test that both catalogs agree. */
export function catalogKeys(catalog: unknown, prefix = ''): string[] {
  if (catalog && typeof catalog === 'object') {
    return Object.entries(catalog).flatMap(([k, v]) => catalogKeys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}
