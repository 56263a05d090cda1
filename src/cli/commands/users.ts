/**
 * `marco user create | list | password | disable`: the users who sign in to the web pages, on the data
 * directory as its operator, or through a running server as an admin (`--server URL --token T`). A
 * password is read from standard input (`--password-stdin`), never from the command line, where other
 * users of the machine and the shell history would see it.
 * @module
 */
import type { Readable } from 'node:stream';
import { changePassword, createAccount } from '../../accounts/users.js';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { formatDate, translator } from '../../i18n/index.js';
import { disableUser, listUsers, type UserInfo } from '../../records/user-repository.js';
import { callApi } from '../api-client.js';
import { json } from './open-stores.js';
import { parseRoles, remote, serverOrLocal, type RemoteOptions } from './tokens.js';

/** The first line of standard input, without its line ending. */
export async function readPasswordLine(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 8192) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new CliError({ key: 'accounts.passwordStdin', values: {} });
  return line;
}

function needStdin(flag: boolean | undefined): void {
  if (!flag) throw new CliError({ key: 'accounts.passwordStdin', values: {} });
}

const userId = (id: string) => {
  if (!/^[1-9]\d{0,9}$/.test(id))
    throw new CliError({ key: 'cli.errors.userId', values: { given: JSON.stringify(id) } });
  return Number(id);
};

export type UserCreateOptions = RemoteOptions & {
  user: string;
  name: string;
  country: string;
  agency: string;
  roles: string;
  passwordStdin?: boolean;
  stdin: Readable;
};

export async function runUserCreate(
  config: Config,
  opts: UserCreateOptions,
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const roles = parseRoles(opts.roles);
  needStdin(opts.passwordStdin);
  remote(opts, t); // a server named without a token is refused before the password is read
  const password = await readPasswordLine(opts.stdin);
  const request = {
    user: opts.user,
    name: opts.name,
    country: opts.country as 'US' | 'MX',
    agency: opts.agency,
    roles,
  };
  const created = await serverOrLocal<UserInfo>(
    config,
    opts,
    (via) => callApi(via, 'POST', '/users', { ...request, password }),
    (store) =>
      createAccount(store, request, password, config.actor, {
        user: '--user',
        name: '--name',
        country: '--country',
        agency: '--agency',
        roles: '--roles',
        password: '--password-stdin',
      }),
  );
  if (opts.json) return out(json(created));
  out(t('cli.userCreated', { id: created.id, user: created.user, roles: created.roles.join(', ') }));
}

export async function runUserList(
  config: Config,
  opts: RemoteOptions & { json?: boolean },
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const list = await serverOrLocal<UserInfo[]>(
    config,
    opts,
    (via) => callApi(via, 'GET', '/users'),
    (store) => listUsers(store, { country: null }),
  );
  if (opts.json) return out(json(list));
  if (list.length === 0) return out(t('cli.usersNone'));
  const date = (d: string) => formatDate(config.locale, d);
  out(
    list
      .map((u) =>
        t('cli.userLine', {
          id: u.id,
          user: u.user,
          name: u.name,
          country: u.country,
          agency: u.agency,
          roles: u.roles.join(', '),
          state: u.disabledAt
            ? t('cli.userDisabled', { date: date(u.disabledAt) })
            : u.lockedUntil && Date.parse(u.lockedUntil) > Date.now()
              ? t('cli.userLocked', { date: formatDate(config.locale, u.lockedUntil, { time: true }) })
              : '',
        }),
      )
      .join('\n'),
  );
}

export async function runUserPassword(
  config: Config,
  id: string,
  opts: RemoteOptions & { passwordStdin?: boolean; stdin: Readable; json?: boolean },
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const n = userId(id);
  needStdin(opts.passwordStdin);
  remote(opts, t);
  const password = await readPasswordLine(opts.stdin);
  const user = await serverOrLocal<UserInfo>(
    config,
    opts,
    (via) => callApi(via, 'POST', `/users/${n}/password`, { password }),
    (store) => changePassword(store, n, password, config.actor, '--password-stdin'),
  );
  if (opts.json) return out(json({ id: user.id, user: user.user, passwordSet: true }));
  out(t('cli.userPasswordSet', { id: user.id, user: user.user }));
}

export async function runUserDisable(
  config: Config,
  id: string,
  opts: RemoteOptions,
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const n = userId(id);
  const user = await serverOrLocal<UserInfo>(
    config,
    opts,
    (via) => callApi(via, 'POST', `/users/${n}/disable`),
    (store) => disableUser(store, n, config.actor),
  );
  if (opts.json) return out(json(user));
  out(t('cli.userDisabledDone', { id: user.id, user: user.user }));
}
