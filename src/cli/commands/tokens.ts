/**
 * `marco token create | list | revoke`: API tokens, on the data directory as its operator, or through a
 * running server as an admin (`--server URL --token T`, or MARCO_SERVER and MARCO_TOKEN), which is how
 * tokens are managed while `marco serve` holds the stores.
 * @module
 */
import { ROLES, type Role } from '../../access/viewer.js';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { formatDate, translator } from '../../i18n/index.js';
import { createToken, listTokens, revokeToken, type TokenInfo } from '../../records/token-repository.js';
import { callApi, type Via } from '../api-client.js';
import type { RecordsStore } from '../../records/database.js';
import { json, withRecords } from './open-stores.js';

export interface RemoteOptions {
  server?: string;
  token?: string;
  env: NodeJS.ProcessEnv;
  /** The answer as JSON, for scripts. */
  json?: boolean;
}

/** The server and admin token to act through, or undefined to act on the data directory. */
export function remote(
  o: RemoteOptions,
  t: ReturnType<typeof translator>,
): { server: string; token: string } | undefined {
  const server = o.server ?? o.env.MARCO_SERVER;
  if (!server) return undefined;
  const token = o.token ?? o.env.MARCO_TOKEN;
  if (!token) throw new CliError(t('stats.needToken'));
  return { server, token };
}

/**
 * Runs `viaServer` through the running server when `--server` (or MARCO_SERVER) names one, else `local`
 * on the data directory's records store.
 */
export async function serverOrLocal<T>(
  config: Config,
  opts: RemoteOptions,
  viaServer: (via: Via) => Promise<unknown>,
  local: (store: RecordsStore) => Promise<T>,
): Promise<T> {
  const via = remote(opts, translator(config.locale));
  return via ? ((await viaServer({ ...via, locale: config.locale })) as T) : withRecords(config, local);
}

/** `--roles reporter,approver`, checked before anything is opened. */
export function parseRoles(text: string): Role[] {
  const roles = text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || unknown.length > 0)
    throw new CliError({
      key: 'cli.errors.roles',
      values: { given: JSON.stringify(text), roles: ROLES.join(', ') },
    });
  return roles as Role[];
}

function parseDays(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const days = Number(text);
  if (!/^\d+$/.test(text) || days < 1 || days > 366)
    throw new CliError({ key: 'cli.errors.expiresIn', values: { given: JSON.stringify(text) } });
  return days;
}

export type TokenCreateOptions = RemoteOptions & {
  user: string;
  country: string;
  agency: string;
  roles: string;
  expiresIn?: string;
  json?: boolean;
};

export async function runTokenCreate(
  config: Config,
  opts: TokenCreateOptions,
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const roles = parseRoles(opts.roles);
  const expiresInDays = parseDays(opts.expiresIn);
  const via = remote(opts, t);
  let created: TokenInfo & { token: string };
  if (via) {
    created = (await callApi({ ...via, locale: config.locale }, 'POST', '/tokens', {
      user: opts.user,
      country: opts.country,
      agency: opts.agency,
      roles,
      ...(expiresInDays ? { expires_in_days: expiresInDays } : {}),
    })) as TokenInfo & { token: string };
  } else {
    created = await withRecords(config, async (store) => {
      const { token, info } = await createToken(
        store,
        { user: opts.user, country: opts.country as 'US' | 'MX', agency: opts.agency, roles, expiresInDays },
        config.actor,
      );
      return { ...info, token };
    });
  }
  // The secret is in the answer once, as the API gives it: with --json, a script can keep it.
  if (opts.json) return out(json(created));
  out(
    `${t('cli.tokenCreated', { user: opts.user, roles: created.roles.join(', '), expires: formatDate(config.locale, created.expiresAt) })}\n${created.token}`,
  );
}

export async function runTokenList(
  config: Config,
  opts: RemoteOptions & { json?: boolean },
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const list = await serverOrLocal<TokenInfo[]>(
    config,
    opts,
    (via) => callApi(via, 'GET', '/tokens'),
    (store) => listTokens(store, { country: null }),
  );
  if (opts.json) return out(json(list));
  if (list.length === 0) return out(t('cli.tokensNone'));
  const date = (d: string | null) => (d ? formatDate(config.locale, d) : '—');
  out(
    list
      .map((k) =>
        t('cli.tokenLine', {
          id: k.id,
          user: k.user,
          country: k.country,
          agency: k.agency,
          roles: k.roles.join(', '),
          expires: date(k.expiresAt),
          used: date(k.lastUsedAt),
          state: k.revokedAt ? t('cli.tokenRevoked', { date: date(k.revokedAt) }) : '',
        }),
      )
      .join('\n'),
  );
}

export async function runTokenRevoke(
  config: Config,
  id: string,
  opts: RemoteOptions,
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  if (!/^[1-9]\d{0,9}$/.test(id))
    throw new CliError({ key: 'cli.errors.tokenId', values: { given: JSON.stringify(id) } });
  const revoked = await serverOrLocal<TokenInfo>(
    config,
    opts,
    (via) => callApi(via, 'POST', `/tokens/${id}/revoke`),
    (store) => revokeToken(store, Number(id), config.actor),
  );
  if (opts.json) return out(json(revoked));
  out(t('cli.tokenRevokedDone', { id: revoked.id, user: revoked.user }));
}
