/**
 * `marco backup -o FILE`: one tar archive holding a manifest, the records store (`pg_dump` or PGlite's
 * cluster, with every attachment, since evidence files live in it), the statistics generation read now
 * (or the single-file store), and the audit signing key. The audit head is read before the records are
 * dumped, so the dump always holds it; the statistics are held at one generation while they are copied.
 * The archive is written under a temporary name and renamed once whole: a backup killed half-way leaves
 * no archive that looks finished.
 * @module
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { create } from 'tar';
import { auditHead } from '../records/audit.js';
import type { RecordsStore } from '../records/database.js';
import { LAST_MIGRATION } from '../records/migrations/index.js';
import { dumpRecords } from '../records/records-dump.js';
import type { StatsStore } from '../stats/stats-store.js';
import { sha256File } from '../stats/generations/generation-files.js';
import { BACKUP_FORMAT, type BackupManifest } from './backup-manifest.js';

export interface BackupSource {
  records: RecordsStore;
  /** The records' PostgreSQL URL (for `pg_dump`), or null on PGlite. */
  databaseUrl: string | null;
  stats: StatsStore;
  /** The audit signing key's file, when there is one. */
  keyFile: string | undefined;
  version: string;
  actor: string;
}

/** Writes the backup to `target`; returns its manifest. */
export async function createBackup(source: BackupSource, target: string): Promise<BackupManifest> {
  const work = await mkdtemp(path.join(path.dirname(path.resolve(target)), '.marco-backup-'));
  const partial = `${target}.partial`;
  try {
    const { entries, head } = await auditHead(source.records.db);
    const recordsFile = source.records.kind === 'postgres' ? 'records.pgdump' : 'records.pglite.tar.gz';
    await dumpRecords(source.records, source.databaseUrl, path.join(work, recordsFile));

    // One generation, held open while its file is copied (a newer one may be published meanwhile).
    const held = source.stats.hold?.();
    const stats = held?.stats ?? source.stats;
    let vintages: string;
    try {
      vintages = (await stats.metadata()).vintages.map((v) => v.id).join(',');
      if (!held) await stats.con.run('checkpoint');
      await copyFile(stats.location, path.join(work, 'statistics.duckdb'));
    } finally {
      held?.release();
    }
    const generation = held?.generation ?? null;

    const key = source.keyFile && existsSync(source.keyFile) ? 'audit-signing-key.pem' : null;
    if (key) await copyFile(source.keyFile!, path.join(work, key));

    const names = [recordsFile, 'statistics.duckdb', ...(key ? [key] : [])];
    const files = [];
    for (const name of names) {
      const file = path.join(work, name);
      files.push({ name, bytes: (await stat(file)).size, sha256: await sha256File(file) });
    }
    const manifest: BackupManifest = {
      marco: BACKUP_FORMAT,
      version: source.version,
      created_at: new Date().toISOString(),
      created_by: source.actor,
      records: {
        kind: source.records.kind,
        file: recordsFile,
        migration: LAST_MIGRATION,
        audit: { entries, head },
      },
      statistics: {
        file: 'statistics.duckdb',
        generation,
        generation_file: generation === null ? null : path.basename(stats.location),
        vintages,
      },
      key,
      files,
    };
    await writeFile(path.join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await create({ file: partial, cwd: work, portable: true, mode: 0o600 } as never, [
      'manifest.json',
      ...names,
    ]);
    await rename(partial, target);
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}
