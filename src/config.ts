/**
 * Turns the environment and global CLI flags (all `unknown`, straight from the user) into a typed
 * configuration, validated once. Each default is written once, next to its field.
 * @module
 */
import { BlockList, isIP } from 'node:net';
import os from 'node:os';
import { z } from 'zod';
import { CliError } from './error.js';
import { matchLocale, type Locale } from './i18n/index.js';

export interface Config {
  /** Where the embedded stores live. */
  dataDir: string;
  /** A PostgreSQL URL for the records store, or null for embedded PGlite. */
  databaseUrl: string | null;
  locale: Locale;
  /** Who is writing, for the audit log. */
  actor: string;
  debug: boolean;
  /**
   * How the statistics store is kept: `file`, one DuckDB file that one process opens (the default), or
   * `generations`, immutable files that several processes read and an import publishes in turn
   * (`MARCO_STATISTICS=generations`; needs `DATABASE_URL`).
   */
  statistics: 'file' | 'generations';
}

export interface ConfigSpec {
  dataDir?: unknown;
  lang?: unknown;
  as?: unknown;
  debug?: unknown;
}

const DatabaseUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/)
  .refine((value) => URL.canParse(value));

/** Normalises flags and environment; names the bad key and value when something is wrong. */
export function normalizeConfig(spec: ConfigSpec, env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl !== null) {
    const parsed = DatabaseUrl.safeParse(databaseUrl);
    if (!parsed.success) {
      throw new CliError({ key: 'config.databaseUrl', values: { url: redact(databaseUrl) } });
    }
  }
  const lang = spec.lang ?? env.MARCO_LANG;
  let locale: Locale;
  if (lang !== undefined) {
    const match = matchLocale(String(lang));
    if (!match) throw new CliError({ key: 'config.lang', values: { given: JSON.stringify(lang) } });
    locale = match;
  } else {
    locale = matchLocale(env.LC_ALL) ?? matchLocale(env.LANG) ?? 'en';
  }
  const dataDir = String(spec.dataDir ?? env.MARCO_DATA_DIR ?? './marco-data');
  if (dataDir.trim() === '') throw new CliError({ key: 'config.dataDir', values: {} });
  const actor = String(spec.as ?? env.MARCO_USER ?? safeUsername()).trim();
  if (!/^[\w.@-]{1,64}$/.test(actor)) {
    throw new CliError({ key: 'config.actor', values: { given: JSON.stringify(actor) } });
  }
  const statistics = env.MARCO_STATISTICS?.trim() || 'file';
  if (statistics !== 'file' && statistics !== 'generations')
    throw new CliError({ key: 'config.statistics', values: { given: JSON.stringify(statistics) } });
  if (statistics === 'generations' && databaseUrl === null)
    throw new CliError({ key: 'stores.generationsNeedPostgres', values: {} });
  return { dataDir, databaseUrl, locale, actor, debug: spec.debug === true, statistics };
}

function safeUsername(): string {
  try {
    return os.userInfo().username || 'marco';
  } catch {
    return 'marco';
  }
}

/** A URL with its password hidden, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** Where notices are sent from, when the deployment sends e-mail, and the site's address for links. */
export interface NotifyConfig {
  mail: { smtpUrl: string; from: string } | null;
  /** The address readers reach Marco at (links in e-mails); null: the serving address. */
  publicUrl: string | null;
  /** Seconds between the server's notice rounds. */
  roundSeconds: number;
}

const SmtpUrl = z
  .string()
  .regex(/^smtps?:\/\/\S+$/)
  .refine((value) => URL.canParse(value));
const Sender = z.string().regex(/^([^<>@\s][^<>@]*<)?[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>?$/);
const PublicUrl = z
  .string()
  .regex(/^https?:\/\/\S+$/)
  .refine((value) => URL.canParse(value));

/**
 * Reads `MARCO_SMTP_URL` (`smtp://host:25`, `smtps://user:password@host:465`), `MARCO_MAIL_FROM`
 * (`Marco <marco@agency.gov>`) and `MARCO_PUBLIC_URL` (`https://marco.agency.gov`). E-mail is off
 * unless both of the first two are set; a value given wrong stops the start, naming it (the SMTP URL
 * with its password hidden). `MARCO_NOTICE_SECONDS` (1–3600, default 10) spaces the notice rounds.
 */
export function notifyConfig(env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const smtpUrl = env.MARCO_SMTP_URL?.trim() || null;
  const from = env.MARCO_MAIL_FROM?.trim() || null;
  const publicUrl = env.MARCO_PUBLIC_URL?.trim() || null;
  if (smtpUrl !== null && !SmtpUrl.safeParse(smtpUrl).success)
    throw new CliError({ key: 'config.smtpUrl', values: { url: redact(smtpUrl) } });
  if ((smtpUrl === null) !== (from === null)) throw new CliError({ key: 'config.mailPair', values: {} });
  if (from !== null && !Sender.safeParse(from).success)
    throw new CliError({ key: 'config.mailFrom', values: { given: JSON.stringify(from) } });
  if (publicUrl !== null && !PublicUrl.safeParse(publicUrl).success)
    throw new CliError({ key: 'config.publicUrl', values: { given: JSON.stringify(publicUrl) } });
  const seconds = env.MARCO_NOTICE_SECONDS?.trim() || '10';
  if (!/^\d{1,4}$/.test(seconds) || Number(seconds) < 1 || Number(seconds) > 3600)
    throw new CliError({ key: 'config.noticeSeconds', values: { given: JSON.stringify(seconds) } });
  return {
    mail: smtpUrl && from ? { smtpUrl, from } : null,
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    roundSeconds: Number(seconds),
  };
}

/** The origins whose pages may read the API: any (`*`), a list, or none (`null`). */
export type CorsOrigins = '*' | string[] | null;

/**
 * Reads `MARCO_CORS_ORIGINS`: unset or `*`, any origin may read the API from a browser (a notebook, a
 * newsroom's chart); `none`, no origin; else origins separated by commas (`https://data.agency.gov`).
 * Reading only: writes are never open to another origin. A malformed origin stops the start, named.
 */
export function corsConfig(env: NodeJS.ProcessEnv = process.env): CorsOrigins {
  const given = env.MARCO_CORS_ORIGINS?.trim() || '*';
  if (given === '*') return '*';
  if (given === 'none') return null;
  const origins = given.split(',').map((o) => o.trim());
  for (const origin of origins)
    if (!/^https?:\/\/[^/\s]+$/.test(origin) || !URL.canParse(origin) || new URL(origin).origin !== origin)
      throw new CliError({ key: 'config.corsOrigins', values: { given: JSON.stringify(origin) } });
  return origins;
}

/**
 * Reads `MARCO_REQUESTS_PER_MINUTE`, each client address's budget of requests per minute and process:
 * 600 when unset, none with `0` (a deployment whose reverse proxy limits, or a load test). A value that
 * is not a whole number from 0 to 1,000,000 stops the start, named.
 */
export function requestsPerMinuteConfig(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const given = env.MARCO_REQUESTS_PER_MINUTE?.trim();
  if (given === undefined || given === '') return undefined;
  if (!/^\d{1,7}$/.test(given) || Number(given) > 1_000_000)
    throw new CliError({ key: 'config.requestsPerMinute', values: { given: JSON.stringify(given) } });
  return Number(given);
}

/**
 * Reads `MARCO_TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` names the client, as
 * addresses and CIDR ranges separated by commas (`127.0.0.1,::1,10.0.0.0/8`). Unset: none, and each
 * client is its socket's address. A word that is neither stops the start.
 */
export function trustedProxiesConfig(env: NodeJS.ProcessEnv = process.env): BlockList | undefined {
  const given = env.MARCO_TRUSTED_PROXIES?.trim();
  if (given === undefined || given === '') return undefined;
  const list = new BlockList();
  for (const item of given.split(',').map((s) => s.trim())) {
    const [address = '', prefix, extra] = item.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const fits =
      family !== 0 &&
      extra === undefined &&
      (prefix === undefined || (/^\d{1,3}$/.test(prefix) && bits! <= (family === 4 ? 32 : 128)));
    if (!fits) throw new CliError({ key: 'config.trustedProxies', values: { given: JSON.stringify(item) } });
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

/**
 * Reads `MARCO_HEAP_GROWTH`: by what percent V8 may let a server process's JavaScript heap grow past what
 * was live after a full collection before it collects again. 30 when unset; `0` leaves V8's own rule,
 * which under steady load lets the heap reach about four times what is live (`docs/deployment.md`,
 * sizing). A value that is not 0 or a whole number from 10 to 400 stops the start, named.
 */
export function heapGrowthConfig(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.MARCO_HEAP_GROWTH?.trim();
  if (given === undefined || given === '') return 30;
  const n = Number(given);
  if (!/^\d{1,3}$/.test(given) || (n !== 0 && (n < 10 || n > 400)))
    throw new CliError({ key: 'config.heapGrowth', values: { given: JSON.stringify(given) } });
  return n;
}

/**
 * Reads `MARCO_CURSOR_KEY`, the key that signs the API's page cursors: unset, each server process draws
 * its own (a cursor then lives as long as the process); set, every process of a deployment reads the
 * others' cursors. At least 32 characters, so that it cannot be guessed; a shorter one stops the start.
 */
export function cursorKeyConfig(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env.MARCO_CURSOR_KEY;
  if (given === undefined || given === '') return undefined;
  if (given.length < 32) throw new CliError({ key: 'config.cursorKey', values: { length: given.length } });
  return given;
}

/** Who may see a criminal-group network's detail: its classification and, when restricted, its owner. */
export interface NetworkAccess {
  classification: 'public' | 'official_use' | 'restricted';
  country: 'MX' | 'US';
}

/**
 * Reads `MARCO_NETWORK_CLASSIFICATION` (`official_use` by default; `public` or `restricted`) and
 * `MARCO_NETWORK_OWNER` (`MX` by default, or `US`: who may see a restricted network). The public sees a
 * network's counts by state only, whatever the classification; group-level detail follows it.
 */
export function networkAccessConfig(env: NodeJS.ProcessEnv = process.env): NetworkAccess {
  const classification = z
    .enum(['public', 'official_use', 'restricted'])
    .safeParse(env.MARCO_NETWORK_CLASSIFICATION?.trim() || 'official_use');
  if (!classification.success)
    throw new CliError({
      key: 'config.networkClassification',
      values: { given: JSON.stringify(env.MARCO_NETWORK_CLASSIFICATION) },
    });
  const country = z.enum(['MX', 'US']).safeParse(env.MARCO_NETWORK_OWNER?.trim() || 'MX');
  if (!country.success)
    throw new CliError({
      key: 'config.networkOwner',
      values: { given: JSON.stringify(env.MARCO_NETWORK_OWNER) },
    });
  return { classification: classification.data, country: country.data };
}
