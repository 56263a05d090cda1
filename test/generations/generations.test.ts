/**
 * Statistics generations in one process, on a PostgreSQL schema of the test's own: a write publishes
 * the next generation (row, audit entry, notice) only when it changed the store; a failed write leaves
 * nothing; a draft left by a killed writer is removed by the next; a second reader hears the notice and
 * moves to the new generation while work pinned to the old one finishes on it; old files go once no
 * process holds them; a file deleted under a reader is logged, and reads go on; a reader whose
 * connection to PostgreSQL is cut hears the next generation all the same.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGenerations, type GenerationStats } from '../../src/generations/generation-stats.js';
import { verifyAudit } from '../../src/records/audit-verify.js';
import {
  GenerationTaken,
  currentGeneration,
  lastGenerationNumber,
  publishGeneration,
} from '../../src/records/generation-repository.js';
import { writeTransaction } from '../../src/records/transaction.js';
import { importFile } from '../../src/stats/importer.js';
import { VINTAGE_ENTITY, importAudited } from '../../src/custody/statistics-custody.js';
import { sourceById } from '../../src/stats/sources/index.js';
import { DATABASE_URL, freshStore } from '../records/stores.js';
import { STATES, generationsBed, keptLog, statesNamed } from './generation-helpers.js';

(DATABASE_URL ? describe : describe.skip)('statistics generations', () => {
  const { bed, reader } = generationsBed('unit');

  it('publishes a generation for a write that changes the store, and none for one that does not', async () => {
    const { stats } = await reader();
    const first = stats.generation();
    expect(first).toBe(1);
    expect(await stats.exclusive(async () => 'nothing')).toBe('nothing');
    expect(stats.generation()).toBe(first);

    const report = await stats.exclusive((writer) =>
      importFile(writer, sourceById('inegi-geo-catalog')!, STATES, { version: 'test' }),
    );
    expect(report.status).toBe('imported');
    expect(stats.generation()).toBe(first + 1);
    const row = await currentGeneration(bed.records);
    expect(row).toMatchObject({ number: first + 1, published_by: 'tester' });
    expect(row!.file).toMatch(/^gen-000002-[0-9a-f]{8}\.duckdb$/);
    expect(row!.vintages).toBe(String(report.vintage));
    expect((await stats.metadata()).places.get('31')?.name).toBe('Yucatán');
    // The same file again changes nothing: no generation.
    const again = await stats.exclusive((writer) =>
      importFile(writer, sourceById('inegi-geo-catalog')!, STATES, { version: 'test' }),
    );
    expect(again.status).not.toBe('imported');
    expect(stats.generation()).toBe(first + 1);
    // The publication is in the audit log, and the chain holds.
    const entries = await bed.records.db
      .selectFrom('audit_log')
      .select(['entity', 'entity_key'])
      .where('entity', '=', 'statistics generation')
      .orderBy('id')
      .execute();
    expect(entries.map((e) => e.entity_key)).toEqual(['1', '2']);
    expect((await verifyAudit(bed.records)).tampered).toBe(false);
  });

  it('leaves no generation and no draft when the write fails, and removes a killed writer’s draft', async () => {
    const { stats } = await reader();
    const before = stats.generation();
    await expect(
      stats.exclusive(async (writer) => {
        await importFile(writer, sourceById('inegi-geo-catalog')!, await statesNamed(bed.files, ' 2'), {
          version: 'again',
        });
        throw new Error('stopped half-way');
      }),
    ).rejects.toThrow('stopped half-way');
    expect(stats.generation()).toBe(before);
    expect((await currentGeneration(bed.records))!.number).toBe(before);
    expect((await readdir(bed.dir)).filter((n) => n.startsWith('draft-'))).toEqual([]);

    // What a writer killed mid-way leaves: a draft and its log. The next writer removes them.
    await writeFile(path.join(bed.dir, 'draft-999999-dead.duckdb'), 'half a file');
    await writeFile(path.join(bed.dir, 'draft-999999-dead.duckdb.wal'), 'half a log');
    await stats.exclusive(async () => undefined);
    expect((await readdir(bed.dir)).filter((n) => n.startsWith('draft-'))).toEqual([]);
  });

  it('moves a second reader to the new generation while pinned work finishes on the old one', async () => {
    const { stats: a } = await reader();
    const { stats: b, lines } = await reader({ graceMs: 200 });
    const start = b.generation();
    let resolvePinned!: () => void;
    const held = new Promise<void>((resolve) => (resolvePinned = resolve));
    const pinned = b.pin(async () => {
      const first = b.generation();
      await held;
      // Still the generation the work started on, and its store answers.
      const [row] = await b.all<{ n: number }>('select count(*) as n from vintages');
      return { first, last: b.generation(), vintages: row!.n };
    });
    await a.exclusive(async (writer) =>
      importFile(writer, sourceById('inegi-geo-catalog')!, await statesNamed(bed.files, ' 3'), {
        version: 'third',
      }),
    );
    const end = Date.now() + 5000;
    while (b.generation() === start) {
      expect(Date.now()).toBeLessThan(end);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(b.generation()).toBe(start + 1);
    resolvePinned();
    const seen = await pinned;
    expect(seen.first).toBe(start);
    expect(seen.last).toBe(start);
    expect(lines.some((l) => l.msg === 'statistics: reading generation' && l.generation === start + 1)).toBe(
      true,
    );
  });

  it('keeps a held generation open for work that outlives its request (a streamed download)', async () => {
    const { stats } = await reader();
    const start = stats.generation();
    const held = stats.pin(async () => stats.hold!());
    const { stats: old, release } = await held;
    const name = async (store: typeof old) =>
      (await store.all<{ name: string }>(`select name from geo where code = '31'`))[0]!.name;
    const before = await name(old);
    await stats.exclusive(async (writer) =>
      importFile(writer, sourceById('inegi-geo-catalog')!, await statesNamed(bed.files, ' held'), {
        version: 'held',
      }),
    );
    expect(stats.generation()).toBe(start + 1);
    expect(await name(stats)).toBe('Yucatán held');
    // Past the grace time (0 here) and a tick, the held store still answers from its generation.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await name(old)).toBe(before);
    release();
    release();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(name(old)).rejects.toThrow();
  });

  it('removes the files of generations no process holds any more', async () => {
    const { stats } = await reader({ staleMs: 60_000 });
    await stats.exclusive(async (writer) =>
      importFile(writer, sourceById('inegi-geo-catalog')!, await statesNamed(bed.files, ' 4'), {
        version: 'fourth',
      }),
    );
    const current = stats.generation();
    // Every reader of this test has moved on (the others are closed): in a few ticks the old files go.
    const end = Date.now() + 10_000;
    for (;;) {
      const files = (await readdir(bed.dir)).filter((n) => n.startsWith('gen-'));
      if (files.length === 1) {
        expect(files[0]!.startsWith(`gen-${String(current).padStart(6, '0')}-`)).toBe(true);
        break;
      }
      expect(Date.now()).toBeLessThan(end);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const removed = await bed.records.db
      .selectFrom('stats_generations')
      .select('number')
      .where('removed_at', 'is not', null)
      .execute();
    expect(removed.map((r) => r.number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: current - 1 }, (_, i) => i + 1),
    );
  });

  it('hears of a generation published while its connection to PostgreSQL was cut', async () => {
    const { stats: a } = await reader();
    // No looking every few seconds: only the notice, and the look after reconnecting, can tell it.
    const { stats: b, lines } = await reader({ tickMs: 600_000 });
    const start = b.generation();
    const [{ schema }] = (
      await sql<{ schema: string }>`select current_schema() as schema`.execute(bed.records.db)
    ).rows as [{ schema: string }];
    // What a server restart does to the listening connection (the others, the test's own, stay).
    const cut = await sql<{ pid: number }>`select pg_terminate_backend(pid) as pid from pg_stat_activity
      where query = ${`listen "marco_stats_generation_${schema}"`}`.execute(bed.records.db);
    expect(cut.rows.length).toBe(2);
    // Published at once, while b is not listening: its notice is lost.
    await a.exclusive(async (writer) =>
      importFile(writer, sourceById('inegi-geo-catalog')!, await statesNamed(bed.files, ' 5'), {
        version: 'fifth',
      }),
    );
    const end = Date.now() + 10_000;
    while (b.generation() === start) {
      expect(Date.now()).toBeLessThan(end);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(b.generation()).toBe(start + 1);
    expect(lines.some((l) => l.msg === 'statistics: listening for generations again')).toBe(true);
  });

  it('keeps reading its open file when the file is deleted under it, and says so in the log', async () => {
    const { stats, lines } = await reader();
    const file = path.join(bed.dir, (await currentGeneration(bed.records))!.file);
    const before = await stats.all<{ n: number }>('select count(*) as n from geo');
    await unlink(file);
    expect(existsSync(file)).toBe(false);
    expect(await stats.all<{ n: number }>('select count(*) as n from geo')).toEqual(before);
    const end = Date.now() + 5000;
    while (!lines.some((l) => l.level === 50 && String(l.msg).includes('was removed'))) {
      expect(Date.now()).toBeLessThan(end);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // A write builds the next generation from the open one's copy... which is gone: refused, nothing
    // published, and reads go on.
    await expect(stats.exclusive(async () => undefined)).rejects.toThrow(
      /is not in .*: copy the statistics directory/,
    );
    expect(await stats.all<{ n: number }>('select count(*) as n from geo')).toEqual(before);
  });
});

(DATABASE_URL ? describe : describe.skip)('statistics generations: writers that meet', () => {
  let dir: string;
  let files: string;
  let records: Awaited<ReturnType<typeof freshStore>>;
  const open: GenerationStats[] = [];
  const reader = async () => {
    const stats = await openGenerations({
      records,
      dir,
      actor: 'tester',
      log: keptLog().log,
      graceMs: 0,
      tickMs: 100,
    });
    open.push(stats);
    return stats;
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-generations-meet-'));
    files = await mkdtemp(path.join(os.tmpdir(), 'marco-generations-meet-files-'));
    records = await freshStore('postgres');
  });
  afterAll(async () => {
    for (const stats of open.splice(0)) await stats.shutdown();
    await records?.dispose();
    for (const d of [dir, files]) if (d) await rm(d, { recursive: true, force: true });
  });

  it('starts two processes at once on an empty database with one first generation', async () => {
    const [a, b] = await Promise.all([reader(), reader()]);
    expect(a.generation()).toBe(1);
    expect(b.generation()).toBe(1);
    expect(await lastGenerationNumber(records)).toBe(1);
  });

  it('runs writes of one process one at a time, each publishing its own generation', async () => {
    const stats = open[0]!;
    const start = stats.generation();
    const reports = await Promise.all(
      [' a', ' b', ' c'].map(async (tag) =>
        stats.exclusive(async (writer) =>
          importFile(writer, sourceById('inegi-geo-catalog')!, await statesNamed(files, tag), {
            version: tag,
          }),
        ),
      ),
    );
    expect(reports.map((r) => r.status)).toEqual(['imported', 'imported', 'imported']);
    expect(stats.generation()).toBe(start + 3);
    expect(new Set(reports.map((r) => r.vintage)).size).toBe(3);
  });

  it('removes a sealed file no generation names, and never reuses a vintage id the audit log names', async () => {
    const stats = open[0]!;
    // A writer killed between sealing and publishing leaves a whole file that no row names.
    await writeFile(path.join(dir, 'gen-000099-0badcafe.duckdb'), 'sealed, never published');
    // A write audited vintage 500 and was never published (its publication failed).
    await writeTransaction(records, { actor: 'tester' }, async (_trx, ctx) => {
      ctx.audit.push({
        at: ctx.now,
        actor: 'tester',
        action: 'create',
        entity: 'statistics vintage',
        key: '500',
        before: null,
        after: { source: 'inegi-geo-catalog' },
      });
    });
    const report = await stats.exclusive(async (writer) =>
      importFile(writer, sourceById('inegi-geo-catalog')!, await statesNamed(files, ' d'), { version: 'd' }),
    );
    expect(report.vintage).toBe(501);
    expect(existsSync(path.join(dir, 'gen-000099-0badcafe.duckdb'))).toBe(false);
  });

  it('publishes nothing when another writer took the number first (a lock lost mid-write)', async () => {
    const next = (await lastGenerationNumber(records)) + 1;
    await expect(
      publishGeneration(
        records,
        {
          number: next + 1,
          file: 'gen-000123-00000001.duckdb',
          bytes: 1,
          sha256: 'a'.repeat(64),
          vintages: '',
        },
        { actor: 'tester' },
      ),
    ).rejects.toBeInstanceOf(GenerationTaken);
    expect(await lastGenerationNumber(records)).toBe(next - 1);
  });

  it('writes an import’s audit entries with its publication, and none when nothing is published', async () => {
    const stats = await reader();
    const vintageEntries = (key: number) =>
      records.db
        .selectFrom('audit_log')
        .select(['id', 'at', 'actor'])
        .where('entity', '=', VINTAGE_ENTITY)
        .where('entity_key', '=', String(key))
        .execute();
    // Published: the vintage's entry sits beside its generation's, in one transaction.
    const made = await stats.exclusive(async (writer) =>
      importAudited(writer, records, sourceById('inegi-geo-catalog')!, await statesNamed(files, ' audited'), {
        version: 'audit',
        importedBy: 'importer',
        origin: 'test',
      }),
    );
    expect(made.status).toBe('imported');
    const entries = await vintageEntries(made.vintage!);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor).toBe('importer');
    const generation = await records.db
      .selectFrom('audit_log')
      .select(['id', 'at'])
      .where('entity', '=', 'statistics generation')
      .where('entity_key', '=', String(stats.generation()))
      .executeTakeFirstOrThrow();
    // Written by the publishing transaction: just before the generation's entry, at the same instant.
    expect(Number(entries[0]!.id)).toBeLessThan(Number(generation.id));
    expect(new Date(entries[0]!.at as never).getTime()).toBe(new Date(generation.at as never).getTime());

    // A write that fails after its import (a directory's second file refused): nothing is published,
    // and the import it made on the draft leaves no entry naming figures no one can read.
    let lost: number | undefined;
    await expect(
      stats.exclusive(async (writer) => {
        const r = await importAudited(
          writer,
          records,
          sourceById('inegi-geo-catalog')!,
          await statesNamed(files, ' lost'),
          { version: 'audit', importedBy: 'importer', origin: 'test' },
        );
        lost = r.vintage;
        throw new Error('the second file is refused');
      }),
    ).rejects.toThrow('the second file is refused');
    expect(lost).toBeGreaterThan(made.vintage!);
    expect(await vintageEntries(lost!)).toEqual([]);
    expect((await verifyAudit(records)).tampered).toBe(false);
  });
});
