/**
 * Results frameworks in the records store: loading definition and crosswalk files, and reading
 * frameworks, their node trees and crosswalk links back.
 * @module
 */
import { type LoadSummary } from './workspace-write.js';
import { type LoadOptions } from './workspace-load.js';
import { writeTransaction } from './transaction.js';
import type { Transaction } from 'kysely';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { CrosswalkFile, FrameworkFile, type NodeInput } from '../domain/framework-schema.js';
import { NotFoundError, ValidationError, type Issue, textIssue } from '../error.js';
import type { RecordsStore } from './database.js';
import { upsertRecord, type WriteContext } from './record-writer.js';
import type { RecordsDatabase } from './schema.js';

/** Loads a framework or crosswalk definition (told apart by its `marco:` format line). */
export async function loadFrameworkDocument(
  store: RecordsStore,
  input: unknown,
  options: LoadOptions,
): Promise<LoadSummary> {
  const format = (input as { marco?: unknown } | null)?.marco;
  const schema = format === 'crosswalk/1' ? CrosswalkFile : FrameworkFile;
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error).map((issue, i) => ({
      ...issue,
      ...(options.locate ? { location: options.locate(parsed.error.issues[i]?.path ?? []) } : {}),
    }));
    throw new ValidationError(issues, options.source);
  }
  return writeTransaction(store, options, (trx, ctx) =>
    format === 'crosswalk/1'
      ? writeCrosswalk(trx, ctx, parsed.data as CrosswalkFile, options)
      : writeFramework(trx, ctx, parsed.data as FrameworkFile, options),
  );
}

async function checkOwner(
  trx: Transaction<RecordsDatabase>,
  agency: string,
  options: LoadOptions,
): Promise<void> {
  const org = await trx
    .selectFrom('organisations')
    .select('code')
    .where('code', '=', agency)
    .executeTakeFirst();
  if (!org) {
    throw new ValidationError(
      [
        textIssue('owner.agency', 'validation.records.unknownOrganisationLoad', {
          agency: JSON.stringify(agency),
        }),
      ],
      options.source,
    );
  }
}

async function writeFramework(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  fw: FrameworkFile,
  options: LoadOptions,
): Promise<LoadSummary> {
  await checkOwner(trx, fw.owner.agency, options);
  const issues: Issue[] = [];
  const seen = new Map<string, string>();
  const walk = (nodes: NodeInput[], path: string) =>
    nodes.forEach((node, i) => {
      const here = `${path}[${i}]`;
      const first = seen.get(node.code);
      if (first)
        issues.push(
          textIssue(`${here}.code`, 'validation.records.duplicateNode', {
            code: JSON.stringify(node.code),
            first,
          }),
        );
      else seen.set(node.code, here);
      if (!fw.levels.includes(node.level))
        issues.push(
          textIssue(`${here}.level`, 'validation.records.nodeLevel', {
            level: JSON.stringify(node.level),
            levels: fw.levels.join(', '),
          }),
        );
      walk(node.children ?? [], `${here}.children`);
    });
  walk(fw.nodes, 'nodes');
  if (issues.length > 0) throw new ValidationError(issues, options.source);

  const owner = { country: fw.owner.country, agency: fw.owner.agency, classification: 'public' as const };
  const summary: LoadSummary = {
    frameworks: { create: 0, update: 0, unchanged: 0, deleted: 0 },
    nodes: { create: 0, update: 0, unchanged: 0, deleted: 0 },
  };
  const { row, action } = await upsertRecord(trx, ctx, {
    table: 'frameworks',
    entity: 'framework',
    key: fw.code,
    where: { code: fw.code },
    values: {
      edition: fw.edition,
      title_en: fw.title.en,
      title_es: fw.title.es,
      description_en: fw.description?.en ?? null,
      description_es: fw.description?.es ?? null,
      source: fw.source,
      official: fw.official,
      note_en: fw.note?.en ?? null,
      note_es: fw.note?.es ?? null,
      levels: fw.levels,
      ...owner,
    },
  });
  summary.frameworks![action] += 1;
  const frameworkId = row.id as number;
  let position = 0;
  const writeNodes = async (nodes: NodeInput[], parentId: number | null) => {
    for (const node of nodes) {
      const written = await upsertRecord(trx, ctx, {
        table: 'framework_nodes',
        entity: 'framework node',
        key: `${fw.code}:${node.code}`,
        where: { framework_id: frameworkId, code: node.code },
        values: {
          parent_id: parentId,
          level: node.level,
          title_en: node.title.en,
          title_es: node.title.es,
          description_en: node.description?.en ?? null,
          description_es: node.description?.es ?? null,
          position: position++,
          ...owner,
        },
      });
      summary.nodes![written.action] += 1;
      await writeNodes(node.children ?? [], written.row.id as number);
    }
  };
  await writeNodes(fw.nodes, null);
  return summary;
}

async function writeCrosswalk(
  trx: Transaction<RecordsDatabase>,
  ctx: WriteContext,
  cw: CrosswalkFile,
  options: LoadOptions,
): Promise<LoadSummary> {
  await checkOwner(trx, cw.owner.agency, options);
  const ids = await nodeIds(trx);
  const issues: Issue[] = [];
  cw.links.forEach((link, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!ids.has(link[end]))
        issues.push(
          textIssue(`links[${i}].${end}`, 'validation.records.unknownNode', {
            node: JSON.stringify(link[end]),
          }),
        );
    }
    if (link.from.split(':')[0] === link.to.split(':')[0])
      issues.push(textIssue(`links[${i}]`, 'validation.records.crosswalkSame'));
  });
  if (issues.length > 0) throw new ValidationError(issues, options.source);
  const owner = { country: cw.owner.country, agency: cw.owner.agency, classification: 'public' as const };
  const summary: LoadSummary = { crosswalk_links: { create: 0, update: 0, unchanged: 0, deleted: 0 } };
  for (const link of cw.links) {
    const { action } = await upsertRecord(trx, ctx, {
      table: 'crosswalk_links',
      entity: 'crosswalk link',
      key: `${link.from}→${link.to}`,
      where: { from_node_id: ids.get(link.from), to_node_id: ids.get(link.to) },
      values: {
        relation: link.relation,
        basis: cw.basis,
        note_en: link.note?.en ?? null,
        note_es: link.note?.es ?? null,
        ...owner,
      },
    });
    summary.crosswalk_links![action] += 1;
  }
  return summary;
}

async function nodeIds(trx: Transaction<RecordsDatabase>): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('framework_nodes')
    .innerJoin('frameworks', 'frameworks.id', 'framework_nodes.framework_id')
    .select(['framework_nodes.id', 'frameworks.code as framework', 'framework_nodes.code as node'])
    .execute();
  return new Map(rows.map((r) => [`${r.framework}:${r.node}`, r.id]));
}

export interface FrameworkSummary {
  code: string;
  edition: string;
  title: { en: string; es: string };
  description: { en: string | null; es: string | null };
  source: string;
  official: boolean;
  note: { en: string | null; es: string | null };
  levels: string[];
  nodes: number;
  version: number;
}

export interface NodeView {
  ref: string;
  framework: string;
  code: string;
  parent: string | null;
  level: string;
  title: { en: string; es: string };
  description: { en: string | null; es: string | null };
}

export interface CrosswalkView {
  from: string;
  to: string;
  relation: string;
  basis: string;
  note: { en: string | null; es: string | null };
}

/** Every framework with its node count. */
export async function listFrameworks(store: RecordsStore): Promise<FrameworkSummary[]> {
  const rows = await store.db
    .selectFrom('frameworks')
    .leftJoin('framework_nodes', 'framework_nodes.framework_id', 'frameworks.id')
    .selectAll('frameworks')
    .select((eb) => eb.fn.count<number>('framework_nodes.id').as('nodes'))
    .groupBy('frameworks.id')
    .orderBy('frameworks.code')
    .execute();
  return rows.map((f) => ({
    code: f.code,
    edition: f.edition,
    title: { en: f.title_en, es: f.title_es },
    description: { en: f.description_en, es: f.description_es },
    source: f.source,
    official: f.official,
    note: { en: f.note_en, es: f.note_es },
    levels: f.levels,
    nodes: Number(f.nodes),
    version: f.version,
  }));
}

/** Every node of every framework (or of one), in definition order, as `framework:code` references. */
export async function listNodes(store: RecordsStore, framework?: string): Promise<NodeView[]> {
  let query = store.db
    .selectFrom('framework_nodes as n')
    .innerJoin('frameworks as f', 'f.id', 'n.framework_id')
    .leftJoin('framework_nodes as p', 'p.id', 'n.parent_id')
    .select([
      'f.code as framework',
      'n.code',
      'p.code as parent',
      'n.level',
      'n.title_en',
      'n.title_es',
      'n.description_en',
      'n.description_es',
    ])
    .orderBy('f.code')
    .orderBy('n.position');
  if (framework !== undefined) {
    const exists = await store.db
      .selectFrom('frameworks')
      .select('id')
      .where('code', '=', framework)
      .executeTakeFirst();
    if (!exists) throw new NotFoundError('framework', framework);
    query = query.where('f.code', '=', framework);
  }
  const rows = await query.execute();
  return rows.map((r) => ({
    ref: `${r.framework}:${r.code}`,
    framework: r.framework,
    code: r.code,
    parent: r.parent === null ? null : `${r.framework}:${r.parent}`,
    level: r.level,
    title: { en: r.title_en, es: r.title_es },
    description: { en: r.description_en, es: r.description_es },
  }));
}

/** Every crosswalk link, both directions as stored. */
export async function listCrosswalk(store: RecordsStore): Promise<CrosswalkView[]> {
  const rows = await store.db
    .selectFrom('crosswalk_links as c')
    .innerJoin('framework_nodes as a', 'a.id', 'c.from_node_id')
    .innerJoin('frameworks as fa', 'fa.id', 'a.framework_id')
    .innerJoin('framework_nodes as b', 'b.id', 'c.to_node_id')
    .innerJoin('frameworks as fb', 'fb.id', 'b.framework_id')
    .select([
      'fa.code as fa',
      'a.code as a',
      'fb.code as fb',
      'b.code as b',
      'c.relation',
      'c.basis',
      'c.note_en',
      'c.note_es',
    ])
    .orderBy('fa.code')
    .orderBy('a.position')
    .orderBy('b.position')
    .execute();
  return rows.map((r) => ({
    from: `${r.fa}:${r.a}`,
    to: `${r.fb}:${r.b}`,
    relation: r.relation,
    basis: r.basis,
    note: { en: r.note_en, es: r.note_es },
  }));
}
