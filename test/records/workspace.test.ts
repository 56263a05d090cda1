import { exportWorkspace } from '../../src/records/workspace-export.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '../fixtures/workspace.js';
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { verifyAudit } from '../../src/records/audit-verify.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import {
  listCrosswalk,
  listFrameworks,
  listNodes,
  loadFrameworkDocument,
} from '../../src/records/framework-repository.js';
import { readInputDocument } from '../../src/domain/input-document.js';
import { STORE_KINDS, countRows, freshStore } from './stores.js';

const withoutVersions = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'version' ? undefined : v)));

describe.each(STORE_KINDS)('workspace on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
  });
  afterAll(() => store?.dispose());

  it('loads the built-in frameworks with confirmed nodes only', async () => {
    const frameworks = await listFrameworks(store);
    expect(frameworks.map((f) => [f.code, f.nodes])).toEqual([
      ['bicentennial', 6],
      ['merida', 4],
    ]);
    const nodes = await listNodes(store, 'bicentennial');
    expect(nodes.find((n) => n.ref === 'bicentennial:1.1.2')?.parent).toBe('bicentennial:1.1');
    const links = await listCrosswalk(store);
    expect(links).toHaveLength(4);
    expect(new Set(links.map((l) => l.basis))).toEqual(new Set(['analytical']));
  });

  it('re-loading the built-ins changes nothing', async () => {
    const before = await countRows(store);
    const summary = await loadBuiltins(store, 'test');
    const changed = Object.values(summary)
      .flatMap((s) => Object.values(s))
      .reduce((n, c) => n + c.create + c.update, 0);
    expect(changed).toBe(0);
    expect(await countRows(store)).toEqual(before);
  });

  it('never puts a framework loaded later back to the built-in edition', async () => {
    const doc = await readDocumentFile(PACKAGE_ROOT + 'frameworks/bicentennial.yaml');
    const complete = structuredClone(doc.data) as {
      edition: string;
      nodes: { code: string; title: { es: string } }[];
    };
    complete.edition = '2022-01-31 (complete)';
    complete.nodes[1]!.title.es = 'Prevenir el delito transfronterizo (texto oficial)';
    await loadFrameworkDocument(store, complete, { actor: 'editor', now: clock });
    const before = await countRows(store);
    expect(await loadBuiltins(store, 'init')).toEqual({});
    expect(await countRows(store)).toEqual(before);
    const [bicentennial] = (await listFrameworks(store)).filter((f) => f.code === 'bicentennial');
    expect(bicentennial!.edition).toBe('2022-01-31 (complete)');
    const goal2 = (await listNodes(store, 'bicentennial')).find((n) => n.code === '2')!;
    expect(goal2.title.es).toBe('Prevenir el delito transfronterizo (texto oficial)');
  });

  it('loads the example workspace, and export → load → export is lossless', async () => {
    const doc = await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE);
    const summary = await loadWorkspace(store, doc.data, {
      actor: 'alice',
      now: clock,
      source: EXAMPLE_WORKSPACE,
    });
    expect(summary.programs?.create).toBe(3);
    expect(summary.results?.create).toBe(8);
    const first = await exportWorkspace(store);

    // The exported document reloads into an empty store and exports identically.
    const other = await freshStore(kind);
    try {
      await loadBuiltins(other, 'test');
      const text = stringify(first);
      const reread = readInputDocument(text, 'export.yaml');
      await loadWorkspace(other, reread.data, { actor: 'bob', now: clock });
      // Versions are each store's own edit count; everything else must survive the round trip.
      expect(withoutVersions(await exportWorkspace(other))).toEqual(withoutVersions(first));
    } finally {
      await other.dispose();
    }
    // Loading the export back into the same store is a no-op.
    const before = await countRows(store);
    const again = await loadWorkspace(store, first, { actor: 'alice', now: clock });
    expect(Object.values(again).reduce((n, c) => n + c.create + c.update + c.deleted, 0)).toBe(0);
    expect(await countRows(store)).toEqual(before);
  });

  it('computes a rate from numerator and denominator and locks results of locked periods', async () => {
    const ws = await exportWorkspace(store);
    const r2020 = ws.results!.find((r) => r.indicator === 'EX-HOM-RATE-08' && r.period === '2020')!;
    expect(r2020.value).toBeCloseTo((3363 / 3812627) * 100000, 9);
    const aug2016 = ws.results!.find((r) => r.period === '2016-08')!;
    expect(aug2016.status).toBe('locked');
    expect(ws.periods!.find((p) => p.code === '2016-08')?.locked).toBe(true);
  });

  it('keeps an intact audit chain', async () => {
    const audit = await verifyAudit(store);
    expect(audit.entries).toBeGreaterThan(50);
    expect(audit.brokenAt).toBeNull();
  });

  it('ships an example that says it is illustrative', async () => {
    const text = await readFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE, 'utf8');
    expect(text.split('\n')[0]).toMatch(/ILLUSTRATIVE/);
  });
});
