/**
 * The commands of trust: framework benchmarks, API tokens, users, period locks, the audit log and the
 * rollback of statistics imports. Each implementation is imported lazily, as in `main.ts`.
 * @module
 */
import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { Translate } from '../i18n/index.js';
import type { Readable } from 'node:stream';
import type { Terminal } from './progress.js';
import type { TokenCreateOptions } from './commands/tokens.js';
import type { UserCreateOptions } from './commands/users.js';

export interface CommandContext {
  t: Translate;
  out: (text: string) => void;
  /** A status line: nothing with --quiet (unless --json asks for the answer). */
  say: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Standard input, read only by the commands that take a password. */
  stdin: () => NodeJS.ReadableStream;
  configOf: (cmd: Command) => Config;
  setExitCode: (code: number) => void;
  /** Standard error as progress bars see it (a terminal, or a pipe or a log). */
  terminal?: Terminal;
}

export function registerTrustCommands(program: Command, x: CommandContext): void {
  const { t, out, say, configOf } = x;
  const benchmark = program.command('benchmark').description(t('cli.cmd.benchmark'));
  benchmark
    .command('list')
    .description(t('cli.cmd.benchmarkList'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runBenchmarkList } = await import('./commands/benchmarks.js');
      await runBenchmarkList(configOf(cmd), opts, out);
    });
  benchmark
    .command('load')
    .description(t('cli.cmd.benchmarkLoad'))
    .argument('<file>')
    .option('--dry-run', t('cli.opt.dryRun'))
    .option('--json', t('cli.opt.json'))
    .action(async (file: string, opts: { json?: boolean; dryRun?: boolean }, cmd: Command) => {
      const { runBenchmarkLoad } = await import('./commands/benchmarks.js');
      await runBenchmarkLoad(configOf(cmd), file, opts, say);
    });

  /** `--server URL --token T`: act through a running server, as an official with the right role. */
  const remote = (c: Command) =>
    c.option('--server <url>', t('cli.opt.tokenServer')).option('--token <token>', t('cli.opt.adminToken'));

  const period = program.command('period').description(t('cli.cmd.period'));
  period
    .command('lock')
    .description(t('cli.cmd.periodLock'))
    .argument('<period>')
    .option('--override <reason>', t('cli.opt.lockOverride'))
    .option('--json', t('cli.opt.json'))
    .action(async (code: string, opts: { json?: boolean; override?: string }, cmd: Command) => {
      const { runPeriodLock } = await import('./commands/records.js');
      await runPeriodLock(configOf(cmd), code, opts, say);
    });

  const audit = program.command('audit').description(t('cli.cmd.audit'));
  audit
    .command('verify')
    .description(t('cli.cmd.auditVerify'))
    .option('--expect-head <hash>', t('cli.opt.expectHead'))
    .option('--public-key <file>', t('cli.opt.publicKey'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { json?: boolean; expectHead?: string; publicKey?: string }, cmd: Command) => {
      const { runAuditVerify } = await import('./commands/records.js');
      x.setExitCode(await runAuditVerify(configOf(cmd), opts, out));
    });
  audit
    .command('head')
    .description(t('cli.cmd.auditHead'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runAuditHead } = await import('./commands/records.js');
      await runAuditHead(configOf(cmd), opts, out);
    });

  const token = program.command('token').description(t('cli.cmd.token'));
  remote(
    token
      .command('create')
      .description(t('cli.cmd.tokenCreate'))
      .requiredOption('--user <name>', t('cli.opt.user'))
      .requiredOption('--country <country>', t('cli.opt.country'))
      .requiredOption('--agency <code>', t('cli.opt.agency'))
      .requiredOption('--roles <roles>', t('cli.opt.roles'))
      .option('--expires-in <days>', t('cli.opt.expiresIn'))
      .option('--json', t('cli.opt.json')),
  ).action(async (opts: TokenCreateOptions, cmd: Command) => {
    const { runTokenCreate } = await import('./commands/tokens.js');
    await runTokenCreate(configOf(cmd), { ...opts, env: x.env }, out);
  });
  remote(
    token.command('list').description(t('cli.cmd.tokenList')).option('--json', t('cli.opt.json')),
  ).action(async (opts: { server?: string; token?: string; json?: boolean }, cmd: Command) => {
    const { runTokenList } = await import('./commands/tokens.js');
    await runTokenList(configOf(cmd), { ...opts, env: x.env }, out);
  });
  remote(
    token
      .command('revoke')
      .description(t('cli.cmd.tokenRevoke'))
      .argument('<id>')
      .option('--json', t('cli.opt.json')),
  ).action(async (id: string, opts: { server?: string; token?: string; json?: boolean }, cmd: Command) => {
    const { runTokenRevoke } = await import('./commands/tokens.js');
    await runTokenRevoke(configOf(cmd), id, { ...opts, env: x.env }, say);
  });

  const user = program.command('user').description(t('cli.cmd.user'));
  remote(
    user
      .command('create')
      .description(t('cli.cmd.userCreate'))
      .requiredOption('--user <name>', t('cli.opt.signInName'))
      .requiredOption('--name <name>', t('cli.opt.name'))
      .requiredOption('--country <country>', t('cli.opt.country'))
      .requiredOption('--agency <code>', t('cli.opt.agency'))
      .requiredOption('--roles <roles>', t('cli.opt.roles'))
      .option('--password-stdin', t('cli.opt.passwordStdin'))
      .option('--json', t('cli.opt.json')),
  ).action(async (opts: Omit<UserCreateOptions, 'env' | 'stdin'>, cmd: Command) => {
    const { runUserCreate } = await import('./commands/users.js');
    await runUserCreate(configOf(cmd), { ...opts, env: x.env, stdin: x.stdin() as Readable }, say);
  });
  remote(user.command('list').description(t('cli.cmd.userList')).option('--json', t('cli.opt.json'))).action(
    async (opts: { server?: string; token?: string; json?: boolean }, cmd: Command) => {
      const { runUserList } = await import('./commands/users.js');
      await runUserList(configOf(cmd), { ...opts, env: x.env }, out);
    },
  );
  remote(
    user
      .command('password')
      .description(t('cli.cmd.userPassword'))
      .argument('<id>')
      .option('--password-stdin', t('cli.opt.passwordStdin'))
      .option('--json', t('cli.opt.json')),
  ).action(
    async (
      id: string,
      opts: { server?: string; token?: string; passwordStdin?: boolean; json?: boolean },
      cmd: Command,
    ) => {
      const { runUserPassword } = await import('./commands/users.js');
      await runUserPassword(configOf(cmd), id, { ...opts, env: x.env, stdin: x.stdin() as Readable }, say);
    },
  );
  remote(
    user
      .command('disable')
      .description(t('cli.cmd.userDisable'))
      .argument('<id>')
      .option('--json', t('cli.opt.json')),
  ).action(async (id: string, opts: { server?: string; token?: string; json?: boolean }, cmd: Command) => {
    const { runUserDisable } = await import('./commands/users.js');
    await runUserDisable(configOf(cmd), id, { ...opts, env: x.env }, say);
  });

  const vintages = program.command('vintages').description(t('cli.cmd.vintages'));
  remote(
    vintages
      .command('rollback')
      .description(t('cli.cmd.vintagesRollback'))
      .argument('<id>')
      .option('--json', t('cli.opt.json')),
  ).action(async (id: string, opts: { server?: string; token?: string; json?: boolean }, cmd: Command) => {
    const { runVintageRollback } = await import('./commands/vintages.js');
    await runVintageRollback(configOf(cmd), id, { ...opts, env: x.env }, say);
  });
}
