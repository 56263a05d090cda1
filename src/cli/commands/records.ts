/**
 * `marco load`, `export`, `period lock` and `audit verify`: the records commands.
 * @module
 */
import { exportWorkspace } from '../../records/workspace-export.js';
import { lockPeriodIn } from '../../records/period-locks.js';
import { type LoadSummary } from '../../records/workspace-write.js';
import { loadWorkspace } from '../../records/workspace-load.js';
import { writeTransaction } from '../../records/transaction.js';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { Config } from '../../config.js';
import { readInputDocument } from '../../domain/input-document.js';
import { CliError, EXIT } from '../../error.js';
import { translator, type Translate } from '../../i18n/index.js';
import { verifyAudit } from '../../records/audit.js';
import { json, withRecords } from './open-stores.js';

/** Reads a YAML/JSON file, turning a missing or unreadable file into a usage error. */
export async function readDocument(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `${file}: no such file`
        : `${file}: cannot be read (${code ?? (error as Error).message})`,
    );
  }
  return readInputDocument(text, file);
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
  opts: { dryRun?: boolean; json?: boolean; progress?: boolean },
  out: (text: string) => void,
  err: (text: string) => void = () => undefined,
) {
  const t = translator(config.locale);
  const doc = await readDocument(file);
  await withRecords(config, async (store) => {
    const summary = await loadWorkspace(store, doc.data, {
      actor: config.actor,
      source: file,
      locate: doc.locate,
      dryRun: opts.dryRun === true,
      ...(opts.progress
        ? { onProgress: (done, total) => err(`${t('cli.progress', { done, total })}\n`) }
        : {}),
    });
    if (opts.json) out(json({ file, dryRun: opts.dryRun === true, summary }));
    else out(`${t(opts.dryRun ? 'cli.dryRun' : 'cli.loaded', { file })}\n${summaryLines(t, summary)}`);
  });
}

export async function runExport(
  config: Config,
  opts: { output?: string; format: 'yaml' | 'json' },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  await withRecords(config, async (store) => {
    const ws = await exportWorkspace(store);
    const text = opts.format === 'json' ? json(ws) : stringify(ws, { lineWidth: 0 });
    if (!opts.output) return out(text);
    // Write beside the target and rename, so an interrupted export never leaves half a file.
    const tmp = `${opts.output}.tmp-${process.pid}`;
    await writeFile(tmp, text);
    await rename(tmp, opts.output);
    out(t('cli.exported', { file: opts.output }));
  });
}

export async function runPeriodLock(
  config: Config,
  code: string,
  opts: { json?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  await withRecords(config, async (store) => {
    const count = await writeTransaction(store, { actor: config.actor }, (trx, ctx) =>
      lockPeriodIn(trx, ctx, code),
    );
    out(opts.json ? json({ period: code, resultsLocked: count }) : t('cli.locked', { period: code, count }));
  });
}

export async function runAuditVerify(
  config: Config,
  opts: { json?: boolean },
  out: (text: string) => void,
): Promise<number> {
  const t = translator(config.locale);
  return withRecords(config, async (store) => {
    const result = await verifyAudit(store.db);
    if (opts.json) out(json(result));
    else if (result.brokenAt === null)
      out(t('cli.auditOk', { count: result.entries, head: result.head ?? '—' }));
    else out(t('cli.auditBroken', { id: result.brokenAt, count: result.entries }));
    return result.brokenAt === null ? EXIT.ok : EXIT.failure;
  });
}
