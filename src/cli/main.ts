/**
 * The `marco` command line. Each subcommand's implementation is imported lazily, so `--help` and
 * `--version` never load the stores or the server.
 * @module
 */
import { log } from '../log.js';
import { Command, CommanderError, Option } from 'commander';
import { normalizeConfig, type Config, type ConfigSpec } from '../config.js';
import { CliError, EXIT, MarcoError } from '../error.js';
import { VERSION } from '../package.js';
import type { EventAddOptions } from './commands/evaluate.js';
import type { AnomalyOptions } from './commands/anomalies.js';
import type { FetchCliOptions } from './commands/fetch.js';
import type { ImportOptions } from './commands/import.js';
import type { StatsOptions } from './commands/stats.js';
import type { ScorecardOptions } from './commands/scorecard.js';
import { matchLocale, translator, type Locale, type Translate } from '../i18n/index.js';
import { registerTrustCommands } from './trust-commands.js';
import { logLevelFor, registerBackupCommands, registerServeCommand } from './ops-commands.js';
import { registerResultsCommands } from './results-commands.js';
import { registerFundingCommands } from './funding-commands.js';
import { registerReportCommands } from './report-commands.js';
import { registerShellCommands } from './shell-commands.js';
import { commanderErrorIn } from './commander-errors.js';
import { placeOptions } from './flags.js';

/** Where the CLI writes; injected so tests capture output without a terminal. */
export interface CliEffects {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress bars redraw in place). */
  stderrIsTty?: boolean;
  /** Standard input, for passwords (`--password-stdin`); the process's own by default. */
  stdin?: NodeJS.ReadableStream;
}

const processEffects: CliEffects = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTty: process.stderr.isTTY,
};

/** The locale for help texts, read before the arguments are parsed. */
function earlyLocale(argv: string[], env: NodeJS.ProcessEnv): Locale {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const flag = i < 0 ? undefined : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  return (
    matchLocale(flag) ??
    matchLocale(env.MARCO_LANG) ??
    matchLocale(env.LC_ALL) ??
    matchLocale(env.LANG) ??
    'en'
  );
}

/** Runs the CLI with `argv` (as in `process.argv`) and returns the exit code. */
export async function main(argv: string[], effects: CliEffects = processEffects): Promise<number> {
  const locale = earlyLocale(argv.slice(2), effects.env);
  log.level = logLevelFor(argv.slice(2), effects.env);
  const t = translator(locale);
  const program = new Command('marco');
  let config: Config | undefined;
  let exitCode: number = EXIT.ok;
  const configOf = (cmd: Command): Config =>
    (config ??= normalizeConfig(cmd.optsWithGlobals() as ConfigSpec, effects.env));
  const out = (text: string) => effects.stdout(text.endsWith('\n') ? text : `${text}\n`);
  // stderr as the progress bars see it: a terminal, or a pipe or a log.
  const terminal = {
    write: (text: string) => (effects.stderr(text), true),
    isTTY: effects.stderrIsTty ?? false,
    quiet: false,
  };
  // --quiet: only what was asked for (data, a --json answer) and errors; no status line, no progress.
  let quiet = false;
  const say = (text: string) => void (quiet || out(text));

  const titles: Record<string, string> = {
    'Usage:': t('cli.help.usage'),
    'Options:': t('cli.help.options'),
    'Commands:': t('cli.help.commands'),
    'Arguments:': t('cli.help.arguments'),
    'Global Options:': t('cli.help.globalOptions'),
  };
  // Commander's own placeholders in usage lines, in the reader's language.
  const placeholdersIn = (usage: string) =>
    usage.replace('[options]', t('cli.help.optionsArg')).replace('[command]', t('cli.help.commandArg'));
  program
    .configureHelp({
      styleTitle: (title) => titles[title] ?? title,
      styleUsage: placeholdersIn,
      styleSubcommandTerm: placeholdersIn,
      // Commander's "(choices: …, default: …)" after an option's description.
      styleOptionDescription: (text) =>
        text
          .replace(/\((choices|default): /, (_, word: string) => `(${t(`cli.help.${word}`)}: `)
          .replace(/, default: /, `, ${t('cli.help.default')}: `),
    })
    .helpOption('-h, --help', t('cli.help.helpOption'))
    .helpCommand('help [command]', t('cli.help.helpCommand'))
    .description(t('cli.description'))
    .version(VERSION, '-V, --version', t('cli.help.versionOption'))
    .option('--data-dir <dir>', t('cli.opt.dataDir'))
    .option('--lang <lang>', t('cli.opt.lang'))
    .option('--as <user>', t('cli.opt.as'))
    .option('--debug', t('cli.opt.debug'))
    .option('-q, --quiet', t('cli.opt.quiet'))
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: effects.stdout,
      writeErr: effects.stderr,
      outputError: (text, write) => write(commanderErrorIn(text, t)),
    });

  program.hook('preAction', (_program, action) => {
    const o = action.optsWithGlobals<{ quiet?: boolean; json?: boolean }>();
    terminal.quiet = o.quiet === true;
    quiet = o.quiet === true && o.json !== true;
  });

  const context = {
    t,
    out,
    say,
    env: effects.env,
    stdin: () => effects.stdin ?? process.stdin,
    configOf,
    setExitCode: (code: number) => (exitCode = code),
    terminal,
  };

  program
    .command('init')
    .description(t('cli.cmd.init'))
    .option('--example', t('cli.opt.example'))
    .option('--empty', t('cli.opt.empty'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { example?: boolean; empty?: boolean; json?: boolean }, cmd: Command) => {
      const { runInit } = await import('./commands/init.js');
      await runInit(configOf(cmd), opts, say);
    });
  registerServeCommand(program, context);

  program
    .command('load')
    .description(t('cli.cmd.load'))
    .argument('<file>')
    .option('--dry-run', t('cli.opt.dryRun'))
    .option('--progress', t('cli.opt.progress'))
    .option('--json', t('cli.opt.json'))
    .action(
      async (file: string, opts: { dryRun?: boolean; json?: boolean; progress?: boolean }, cmd: Command) => {
        const { runLoad } = await import('./commands/records.js');
        await runLoad(
          configOf(cmd),
          file,
          { ...opts, stdin: () => effects.stdin ?? process.stdin, terminal },
          say,
          effects.stderr,
        );
      },
    );

  program
    .command('export')
    .description(t('cli.cmd.export'))
    .option('-o, --output <file>', t('cli.opt.output'))
    .addOption(
      new Option('--format <format>', t('cli.opt.format')).choices(['yaml', 'json', 'iati']).default('yaml'),
    )
    .option('--iati-prefix <ref>', t('cli.opt.iatiPrefix'))
    .option('--progress', t('cli.opt.progress'))
    .action(
      async (
        opts: { output?: string; format: 'yaml' | 'json' | 'iati'; iatiPrefix?: string; progress?: boolean },
        cmd: Command,
      ) => {
        if (opts.format === 'iati')
          return (await import('./commands/iati.js')).runIatiExport(configOf(cmd), opts, out, say);
        const { runExport } = await import('./commands/records.js');
        await runExport(configOf(cmd), { ...opts, format: opts.format, terminal }, out, say);
      },
    );

  const framework = program.command('framework').description(t('cli.cmd.framework'));
  framework
    .command('list')
    .description(t('cli.cmd.frameworkList'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runFrameworkList } = await import('./commands/frameworks.js');
      await runFrameworkList(configOf(cmd), opts, out);
    });
  framework
    .command('show')
    .description(t('cli.cmd.frameworkShow'))
    .argument('<code>')
    .option('--json', t('cli.opt.json'))
    .action(async (code: string, opts: { json?: boolean }, cmd: Command) => {
      const { runFrameworkShow } = await import('./commands/frameworks.js');
      await runFrameworkShow(configOf(cmd), code, opts, out);
    });
  framework
    .command('load')
    .description(t('cli.cmd.frameworkLoad'))
    .argument('<file>')
    .option('--json', t('cli.opt.json'))
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
      const { runFrameworkLoad } = await import('./commands/frameworks.js');
      await runFrameworkLoad(configOf(cmd), file, opts, say);
    });

  placeOptions(program.command('scorecard'), t)
    .description(t('cli.cmd.scorecard'))
    .option('--program <code>', t('cli.opt.program'))
    .option('--node <ref>', t('cli.opt.node'))
    .option('--green <share>', t('cli.opt.green'))
    .option('--amber <share>', t('cli.opt.amber'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: ScorecardOptions, cmd: Command) => {
      const { runScorecard } = await import('./commands/scorecard.js');
      await runScorecard(configOf(cmd), opts, out);
    });

  program
    .command('import')
    .description(t('cli.cmd.import'))
    .argument('<source>')
    .argument('<files...>')
    .option('--max-rejects <share>', t('cli.opt.maxRejects'))
    .option('--param <name=value>', t('cli.opt.param'), (v: string, all: string[] = []) => [...all, v])
    .option('--server <url>', t('cli.opt.server'))
    .option('--token <token>', t('cli.opt.token'))
    .option('--progress', t('cli.opt.progress'))
    .option('--json', t('cli.opt.json'))
    .action(async (source: string, files: string[], opts: ImportOptions, cmd: Command) => {
      const { runImport } = await import('./commands/import.js');
      await runImport(configOf(cmd), source, files, { ...opts, env: effects.env, terminal }, say);
    });

  program
    .command('fetch')
    .description(t('cli.cmd.fetch'))
    .argument('[source]')
    .option('--all', t('cli.opt.all'))
    .option('--mirror <url>', t('cli.opt.mirror'))
    .option('--catalogue <file>', t('cli.opt.catalogue'))
    .option('--url <url>', t('cli.opt.url'))
    .option('--sha256 <hex>', t('cli.opt.sha256'))
    .option('--max-bytes <n>', t('cli.opt.maxBytes'))
    .option('--retries <n>', t('cli.opt.retries'))
    .option('--param <name=value>', t('cli.opt.param'), (v: string, all: string[] = []) => [...all, v])
    .option('--max-rejects <share>', t('cli.opt.maxRejects'))
    .option('--no-import', t('cli.opt.noImport'))
    .option('--progress', t('cli.opt.progress'))
    .option('--json', t('cli.opt.json'))
    .action(async (source: string | undefined, opts: FetchCliOptions, cmd: Command) => {
      const { runFetch } = await import('./commands/fetch.js');
      await runFetch(configOf(cmd), source, { ...opts, terminal }, say);
    });

  program
    .command('import-dir')
    .description(t('cli.cmd.importDir'))
    .argument('<dir>')
    .option('--max-rejects <share>', t('cli.opt.maxRejects'))
    .option('--progress', t('cli.opt.progress'))
    .option('--json', t('cli.opt.json'))
    .action(
      async (
        dir: string,
        opts: { json?: boolean; maxRejects?: string; progress?: boolean },
        cmd: Command,
      ) => {
        const { runImportDir } = await import('./commands/import-dir.js');
        await runImportDir(configOf(cmd), dir, { ...opts, terminal }, say);
      },
    );

  program
    .command('sources')
    .description(t('cli.cmd.sources'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runSources } = await import('./commands/sources.js');
      await runSources(configOf(cmd), opts, out);
    });

  program
    .command('measures')
    .description(t('cli.cmd.measures'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runMeasures } = await import('./commands/measures.js');
      await runMeasures(configOf(cmd), opts, out);
    });

  program
    .command('stats')
    .description(t('cli.cmd.stats'))
    .requiredOption('--measure <id>', t('cli.opt.measure'))
    .option('--geo <codes>', t('cli.opt.geo'))
    .addOption(new Option('--level <level>', t('cli.opt.level')).choices(['state', 'municipality']))
    .option('--within <state>', t('cli.opt.within'))
    .addOption(
      new Option('--by <granularity>', t('cli.opt.by')).choices(['month', 'quarter', 'year', 'fiscal_year']),
    )
    .option('--from <period>', t('cli.opt.from'))
    .option('--to <period>', t('cli.opt.to'))
    .option('--per <n>', t('cli.opt.per'))
    .option('--annualize', t('cli.opt.annualize'))
    .option('--filter <dim=value>', t('cli.opt.filter'), (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option('--source <id>', t('cli.opt.source'))
    .addOption(
      new Option('--population <rule>', t('cli.opt.population')).choices(['published', 'interpolated']),
    )
    .option('--json', t('cli.opt.json'))
    .option('--csv', t('cli.opt.csv'))
    .action(async (opts: StatsOptions, cmd: Command) => {
      const { runStats } = await import('./commands/stats.js');
      await runStats(configOf(cmd), opts, out);
    });

  program
    .command('anomalies')
    .description(t('cli.cmd.anomalies'))
    .requiredOption('--measure <id>', t('cli.opt.measure'))
    .option('--geo <codes>', t('cli.opt.geo'))
    .addOption(new Option('--level <level>', t('cli.opt.level')).choices(['state', 'municipality']))
    .option('--within <state>', t('cli.opt.within'))
    .option('--from <period>', t('cli.opt.from'))
    .option('--to <period>', t('cli.opt.to'))
    .option('--filter <dim=value>', t('cli.opt.filter'), (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option('--source <id>', t('cli.opt.source'))
    .option('--window <months>', t('cli.opt.window'))
    .option('--threshold <z>', t('cli.opt.threshold'))
    .option('--min-count <n>', t('cli.opt.minCount'))
    .option('--json', t('cli.opt.json'))
    .option('--csv', t('cli.opt.csv'))
    .action(async (opts: AnomalyOptions, cmd: Command) => {
      const { runAnomalies } = await import('./commands/anomalies.js');
      await runAnomalies(configOf(cmd), opts, out);
    });

  program
    .command('evaluate')
    .description(t('cli.cmd.evaluate'))
    .argument('<spec>')
    .option('--json', t('cli.opt.json'))
    .option('--save', t('cli.opt.saveEvaluation'))
    .option('--progress', t('cli.opt.progress'))
    .action(
      async (spec: string, opts: { json?: boolean; save?: boolean; progress?: boolean }, cmd: Command) => {
        const { runEvaluate } = await import('./commands/evaluate.js');
        await runEvaluate(configOf(cmd), spec, { ...opts, terminal }, out);
      },
    );

  const evaluations = program.command('evaluations').description(t('cli.cmd.evaluations'));
  evaluations
    .command('list')
    .description(t('cli.cmd.evaluationsList'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { runEvaluationsList } = await import('./commands/evaluate.js');
      await runEvaluationsList(configOf(cmd), opts, out);
    });
  evaluations
    .command('show')
    .description(t('cli.cmd.evaluationsShow'))
    .argument('<id>')
    .option('--json', t('cli.opt.json'))
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { runEvaluationsShow } = await import('./commands/evaluate.js');
      await runEvaluationsShow(configOf(cmd), id, opts, out);
    });

  const events = program.command('events').description(t('cli.cmd.events'));
  events
    .command('list')
    .description(t('cli.cmd.eventsList'))
    .option('--type <type>', t('cli.opt.eventType'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { type?: string; json?: boolean }, cmd: Command) => {
      const { runEventsList } = await import('./commands/evaluate.js');
      await runEventsList(configOf(cmd), opts, out);
    });
  events
    .command('add')
    .description(t('cli.cmd.eventsAdd'))
    .requiredOption('--id <id>', t('cli.opt.eventId'))
    .requiredOption('--type <type>', t('cli.opt.eventType'))
    .requiredOption('--name <name>', t('cli.opt.eventName'))
    .requiredOption('--date <YYYY-MM-DD>', t('cli.opt.eventDate'))
    .requiredOption('--level <level>', t('cli.opt.eventLevel'))
    .requiredOption('--places <codes>', t('cli.opt.eventPlaces'))
    .requiredOption('--source <citation>', t('cli.opt.eventSource'))
    .requiredOption('--country <country>', t('cli.opt.country'))
    .requiredOption('--agency <code>', t('cli.opt.agency'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: EventAddOptions, cmd: Command) => {
      const { runEventsAdd } = await import('./commands/evaluate.js');
      await runEventsAdd(configOf(cmd), opts, say);
    });
  events
    .command('import')
    .description(t('cli.cmd.eventsImport'))
    .argument('<file>')
    .requiredOption('--country <country>', t('cli.opt.country'))
    .requiredOption('--agency <code>', t('cli.opt.agency'))
    .option('--json', t('cli.opt.json'))
    .action(async (file: string, opts: { country: string; agency: string; json?: boolean }, cmd: Command) => {
      const { runEventsImport } = await import('./commands/evaluate.js');
      await runEventsImport(configOf(cmd), file, opts, say);
    });

  program
    .command('reconcile')
    .description(t('cli.cmd.reconcile'))
    .option('--from <year>', t('cli.opt.from'))
    .option('--to <year>', t('cli.opt.to'))
    .option('--json', t('cli.opt.json'))
    .option('--csv', t('cli.opt.csv'))
    .action(async (opts: { from?: string; to?: string; json?: boolean; csv?: boolean }, cmd: Command) => {
      const { runReconcile } = await import('./commands/reconcile.js');
      await runReconcile(configOf(cmd), opts, out);
    });

  const claims = program.command('claims').description(t('cli.cmd.claims'));
  claims
    .command('check')
    .description(t('cli.cmd.claimsCheck'))
    .option('--tolerance <share>', t('cli.opt.tolerance'))
    .option('--json', t('cli.opt.json'))
    .action(async (opts: { json?: boolean; tolerance?: string }, cmd: Command) => {
      const { runClaimsCheck } = await import('./commands/claims.js');
      await runClaimsCheck(configOf(cmd), opts, out);
    });

  program
    .command('openapi')
    .description(t('cli.cmd.openapi'))
    .option('-o, --output <file>', t('cli.opt.output'))
    .action(async (opts: { output?: string }) => {
      const { openApiDocument } = await import('../server/app.js');
      const text = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
      if (!opts.output) return out(text);
      const { writeFile } = await import('node:fs/promises');
      await writeFile(opts.output, text);
    });

  registerTrustCommands(program, context);
  registerBackupCommands(program, context);
  registerResultsCommands(program, context);
  registerFundingCommands(program, context);
  registerReportCommands(program, context);
  // Last: completion describes every command registered before it.
  registerShellCommands(program, context);

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return report(error, config?.debug ?? argv.includes('--debug'), effects, t, config?.locale ?? locale);
  }
}

function report(error: unknown, debug: boolean, effects: CliEffects, t: Translate, locale: Locale): number {
  if (error instanceof CommanderError) {
    // Commander has already printed help, the version or its usage message.
    return error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.exitCode === 0
      ? EXIT.ok
      : EXIT.invalid;
  }
  if (error instanceof MarcoError) {
    effects.stderr(`marco: ${error.messageIn(locale)}\n`);
    if (debug && error.stack) effects.stderr(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  effects.stderr(`marco: ${message}\n`);
  if (debug && error instanceof Error && error.stack) effects.stderr(`${error.stack}\n`);
  else effects.stderr(`${t('cli.debugHint')}\n`);
  return error instanceof CliError ? error.exitCode : EXIT.failure;
}
