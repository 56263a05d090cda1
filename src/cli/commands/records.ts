/**
 * `marco load`, `export`, `period lock` and `audit verify`: the records commands.
 * @module
 */
import { exportWorkspace } from '../../records/workspace-export.js';
import { lockPeriodIn } from '../../records/period-locks.js';
import { type LoadSummary } from '../../records/workspace-write.js';
import { loadWorkspace } from '../../records/workspace-load.js';
import { writeTransaction } from '../../records/transaction.js';
import { rename, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { Config } from '../../config.js';
import { readInputDocument } from '../../domain/input-document.js';
import { CliError, EXIT } from '../../error.js';
import { translator, type Translate } from '../../i18n/index.js';
import { auditHead, auditHeadHeader } from '../../records/audit.js';
import { verifyAudit } from '../../records/audit-verify.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { unauditedVintages } from '../../custody/statistics-custody.js';
import type { RecordsStore } from '../../records/database.js';
import { inputName, readTextInput } from './input.js';
import { progressOf, type Terminal } from '../progress.js';
import { json, openGenerationsFor, spineOf, withRecords, withStats } from './open-stores.js';

/** Reads a YAML/JSON file, turning a missing or unreadable file into a usage error. */
export async function readDocument(file: string, stdin: () => NodeJS.ReadableStream = () => process.stdin) {
  return readInputDocument(await readTextInput(file, stdin), inputName(file));
}

export function summaryLines(t: Translate, summary: LoadSummary): string {
  return Object.entries(summary)
    .map(
      ([entity, c]) =>
        `  ${t('cli.summaryLine', { entity: t(`entity.${entity}`), create: c.create, update: c.update, unchanged: c.unchanged, deleted: c.deleted })}`,
    )
    .join('\n');
}

export async function runLoad(
  config: Config,
  file: string,
  opts: {
    dryRun?: boolean;
    json?: boolean;
    progress?: boolean;
    stdin?: () => NodeJS.ReadableStream;
    /** stderr as a stream, when the caller knows whether it is a terminal. */
    terminal?: Terminal;
  },
  out: (text: string) => void,
  err: (text: string) => void = () => undefined,
) {
  const t = translator(config.locale);
  const doc = await readDocument(file, opts.stdin);
  const name = inputName(file);
  // A bar on a terminal; with --progress, a line per 500 results in a pipe or a log.
  const bar = progressOf({
    stream: opts.terminal ?? { write: (text: string) => (err(text), true), isTTY: false },
    locale: config.locale,
    label: t('cli.progressLabel.results'),
    progress: opts.progress,
    quiet: opts.json,
    line: (done, total) => t('cli.progress', { done, total }),
  });
  // Read before the records store opens: the statistics store is closed again by then.
  const spine = await spineOf(config);
  await withRecords(config, async (store) => {
    const summary = await loadWorkspace(store, doc.data, {
      ...spine,
      actor: config.actor,
      source: name,
      locate: doc.locate,
      dryRun: opts.dryRun === true,
      onProgress: (done, total) => bar.update(done, total),
    }).finally(() => bar.stop());
    if (opts.json) out(json({ file: name, dryRun: opts.dryRun === true, summary }));
    else out(`${t(opts.dryRun ? 'cli.dryRun' : 'cli.loaded', { file: name })}\n${summaryLines(t, summary)}`);
  });
}

export async function runExport(
  config: Config,
  opts: { output?: string; format: 'yaml' | 'json'; progress?: boolean; terminal?: Terminal },
  out: (text: string) => void,
  say: (text: string) => void = out,
) {
  const t = translator(config.locale);
  // Three steps (reading the records, formatting, writing), on a terminal or with --progress.
  const bar = opts.terminal
    ? progressOf({
        stream: opts.terminal,
        locale: config.locale,
        label: t('cli.progressLabel.export'),
        progress: opts.progress,
      })
    : undefined;
  const step = (done: number, name: 'reading' | 'formatting' | 'writing') =>
    bar?.update(done, 3, t(`cli.exportStep.${name}`));
  await withRecords(config, async (store) => {
    step(0, 'reading');
    const ws = await exportWorkspace(store);
    // A YAML export names the audit log's head in a comment, which a load ignores.
    const head = await auditHeadHeader(store.db);
    step(1, 'formatting');
    const text =
      opts.format === 'json' ? json(ws) : `# marco audit head ${head}\n${stringify(ws, { lineWidth: 0 })}`;
    step(2, 'writing');
    const done = () => (bar?.update(3, 3), bar?.stop());
    if (!opts.output || opts.output === '-') return (done(), out(text));
    // Write beside the target and rename, so an interrupted export never leaves half a file.
    const tmp = `${opts.output}.tmp-${process.pid}`;
    await writeFile(tmp, text);
    await rename(tmp, opts.output);
    done();
    say(t('cli.exported', { file: opts.output }));
  });
}

export async function runPeriodLock(
  config: Config,
  code: string,
  opts: { json?: boolean; override?: string },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const reason = opts.override?.trim();
  if (reason !== undefined && (reason.length < 10 || reason.length > 500))
    throw new CliError({ key: 'cli.errors.override', values: {} });
  await withRecords(config, async (store) => {
    const count = await writeTransaction(store, { actor: config.actor }, (trx, ctx) =>
      lockPeriodIn(trx, ctx, code, { override: reason }),
    );
    out(opts.json ? json({ period: code, resultsLocked: count }) : t('cli.locked', { period: code, count }));
  });
}

export async function runAuditVerify(
  config: Config,
  opts: { json?: boolean; expectHead?: string; publicKey?: string },
  out: (text: string) => void,
): Promise<number> {
  const t = translator(config.locale);
  if (opts.expectHead !== undefined && !/^[0-9a-f]{64}$/.test(opts.expectHead))
    throw new CliError({ key: 'cli.errors.expectHead', values: { given: JSON.stringify(opts.expectHead) } });
  let publicKeyPem: string | undefined;
  if (opts.publicKey !== undefined) {
    publicKeyPem = (await readTextInput(opts.publicKey, () => process.stdin)).trim();
    if (!publicKeyPem.startsWith('-----BEGIN PUBLIC KEY-----'))
      throw new CliError({ key: 'cli.errors.publicKey', values: { file: opts.publicKey } });
  }
  return withRecords(config, async (store) => {
    const report = await verifyAudit(store, {
      ...(opts.expectHead ? { expectHead: opts.expectHead } : {}),
      ...(publicKeyPem ? { publicKeyPem } : {}),
    });
    // The statistics store's vintages must each have their import's audit entry too.
    const vintages = await vintagesWithoutEntry(config, store);
    if (vintages === 'in use') {
      if (!opts.json) out(t('cli.auditStatsInUse'));
    } else if (vintages.length > 0) {
      report.mismatches.push(
        ...vintages.map((id) => ({
          entity: 'statistics vintage',
          id: String(id),
          problem: 'unaudited' as const,
        })),
      );
      report.tampered = true;
    }
    if (opts.json) out(json(report));
    else if (!report.tampered)
      out(
        t('cli.auditOk', { count: report.entries, head: report.head ?? '—' }) +
          (report.unsigned ? `\n${t('cli.auditUnsigned', { count: report.unsigned })}` : ''),
      );
    else {
      if (report.brokenAt !== null) out(t('cli.auditBroken', { id: report.brokenAt, count: report.entries }));
      if (report.badSignatures.length)
        out(t('cli.auditBadSignatures', { ids: report.badSignatures.join(', ') }));
      if (report.expected && !report.expected.found)
        out(t('cli.auditHeadMissing', { head: report.expected.head, count: report.entries }));
      for (const m of report.mismatches)
        out(
          t(`cli.auditState.${m.problem}`, {
            entity: t(`cli.auditEntity.${m.entity.replace(' ', '_')}`),
            id: m.id,
            columns: (m.columns ?? []).join(', '),
          }),
        );
    }
    return report.tampered ? EXIT.tampered : EXIT.ok;
  });
}

export async function runAuditHead(config: Config, opts: { json?: boolean }, out: (text: string) => void) {
  const t = translator(config.locale);
  await withRecords(config, async (store) => {
    const head = { ...(await auditHead(store.db)), publicKey: store.signer.publicKeyPem };
    out(
      opts.json
        ? json(head)
        : t('cli.auditHead', { count: head.entries, head: head.head ?? '—' }) + `\n${head.publicKey}`,
    );
  });
}

/** The data directory's vintages without an audit entry, or `in use` when a server holds the store. */
async function vintagesWithoutEntry(config: Config, records: RecordsStore): Promise<number[] | 'in use'> {
  if (config.statistics === 'generations') {
    const stats = await openGenerationsFor(config, records);
    try {
      return await stats.pin(() => unauditedVintages(stats, records));
    } finally {
      await stats.shutdown();
    }
  }
  if (!existsSync(path.join(config.dataDir, 'statistics.duckdb'))) return [];
  try {
    return await withStats(config, (stats) => unauditedVintages(stats, records));
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.conflict) return 'in use';
    throw error;
  }
}
