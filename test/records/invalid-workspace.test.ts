import { exportWorkspace } from '../../src/records/workspace-export.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '../fixtures/workspace.js';
import { ValidationError, type Issue } from '../../src/error.js';
import { readInputDocument } from '../../src/domain/input-document.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { STORE_KINDS, countRows, freshStore } from './stores.js';

/** The evidence of the example's result for EX-ACA-ACCREDITED in the locked period 2016-08. */
const AUG_2016_EVIDENCE =
  'U.S. Embassy Mexico City, news release of 8 August 2016 (ACA Conference of Correction, Boston)';

const HEADER = `marco: workspace/1
defaults:
  country: US
  agency: INL
`;

/** A valid indicator reference sheet, indented as a list item under `indicators:` of a program. */
function indicatorYaml(code: string, extra = ''): string {
  return `      - code: ${code}
        name: { en: Test indicator ${code}, es: Indicador de prueba ${code} }
        definition: { en: Counted for tests, es: Contado para pruebas }
        level: output
        unit: { en: items, es: elementos }
        direction: increase
        source: Test source
        frequency: annual
        responsible: Test owner
        aggregation: sum
${extra}`;
}

/** A valid program with the given indicators (already indented list items). */
function programYaml(code: string, indicators: string[] = []): string {
  return `  - code: ${code}
    title: { en: Test program ${code}, es: Programa de prueba ${code} }
    status: active
${indicators.length > 0 ? `    indicators:\n${indicators.join('')}` : ''}`;
}

function resultYaml(fields: Record<string, string | number>): string {
  const [first, ...rest] = Object.entries(fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `  - ${first}\n${rest.map((line) => `    ${line}\n`).join('')}`;
}

describe.each(STORE_KINDS)('invalid workspaces on %s', (kind) => {
  let store: Awaited<ReturnType<typeof freshStore>>;

  beforeAll(async () => {
    store = await freshStore(kind);
    await loadBuiltins(store, 'test');
    const doc = await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE);
    await loadWorkspace(store, doc.data, {
      actor: 'alice',
      now: clock,
      source: EXAMPLE_WORKSPACE,
      locate: doc.locate,
    });
  });
  afterAll(() => store?.dispose());

  /** Loads `text` as bad.yaml, expecting a ValidationError that leaves the store exactly as it was. */
  async function refused(text: string): Promise<ValidationError> {
    const before = await countRows(store);
    const doc = readInputDocument(text, 'bad.yaml');
    const error = await loadWorkspace(store, doc.data, {
      actor: 'mallory',
      now: clock,
      source: 'bad.yaml',
      locate: doc.locate,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(await countRows(store)).toEqual(before);
    return error as ValidationError;
  }

  function issueAt(error: ValidationError, path: string): Issue {
    const issue = error.issues.find((i) => i.path === path);
    expect(issue, `no issue at ${path}; got ${JSON.stringify(error.issues)}`).toBeDefined();
    return issue!;
  }

  it('refuses a value of the wrong type, located in the file', async () => {
    const text =
      HEADER +
      'programs:\n' +
      programYaml('TEST-WRONG-TYPE', [
        indicatorYaml(
          'TEST-WRONG-TYPE-1',
          `        baseline: { value: "twelve", period: "2017" }
`,
        ),
      ]);
    // The baseline value sits on line 20, right after `aggregation: sum`.
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"twelve"')) + 1;
    const column = lines[line - 1]!.indexOf('"twelve"') + 1;
    expect(line).toBe(20);

    const error = await refused(text);
    const issue = issueAt(error, 'programs[0].indicators[0].baseline.value');
    expect(issue.message).toContain('expected a number');
    expect(issue.location).toBe(`bad.yaml:${line}:${column}`);
    expect(error.source).toBe('bad.yaml');
    expect(error.message).toContain('nothing was written');
  });

  it('refuses a result for an unknown indicator', async () => {
    const text =
      HEADER +
      'results:\n' +
      resultYaml({
        indicator: 'NO-SUCH-INDICATOR',
        period: '2017',
        place: 'MX',
        value: 1,
        agency: 'SSPC',
        country: 'MX',
      });
    const error = await refused(text);
    const issue = issueAt(error, 'results[0].indicator');
    expect(issue.message).toContain('unknown indicator "NO-SUCH-INDICATOR"');
    expect(issue.location).toMatch(/^bad\.yaml:\d+:\d+$/);
  });

  it('refuses two programs with the same code', async () => {
    const text = HEADER + 'programs:\n' + programYaml('TEST-TWIN') + programYaml('TEST-TWIN');
    const error = await refused(text);
    const issue = issueAt(error, 'programs[1]');
    expect(issue.message).toContain('duplicate program code "TEST-TWIN"');
    expect(issue.message).toContain('programs[0]');
  });

  it('refuses the same indicator code in two programs', async () => {
    const text =
      HEADER +
      'programs:\n' +
      programYaml('TEST-DUP-A', [indicatorYaml('TEST-DUP-IND')]) +
      programYaml('TEST-DUP-B', [indicatorYaml('TEST-DUP-IND')]);
    const error = await refused(text);
    const issue = issueAt(error, 'programs[1].indicators[0].code');
    expect(issue.message).toContain('duplicate indicator code "TEST-DUP-IND"');
    expect(issue.message).toContain('programs[0].indicators[0]');
  });

  it('refuses a target for a period declared neither in the file nor in the store', async () => {
    const text =
      HEADER +
      'programs:\n' +
      programYaml('TEST-TARGET', [
        indicatorYaml(
          'TEST-TARGET-1',
          `        targets:
          - { period: '2031', value: 10 }
`,
        ),
      ]);
    const error = await refused(text);
    const issue = issueAt(error, 'programs[0].indicators[0].targets[0].period');
    expect(issue.message).toContain('"2031" is not declared');
  });

  it('refuses to change a result in a locked period, and accepts the identical one as a no-op', async () => {
    const aug2016 = (value: number, status?: string) =>
      HEADER +
      'results:\n' +
      resultYaml({
        indicator: 'EX-ACA-ACCREDITED',
        period: '2016-08',
        place: 'MX',
        value,
        evidence: AUG_2016_EVIDENCE,
        ...(status ? { status } : {}),
      });

    const error = await refused(aug2016(43));
    const issue = issueAt(error, 'results[0].period');
    expect(issue.message).toContain('locked');

    // Without a status, and with the example's own `status: approved`: the stored result stays locked.
    for (const text of [aug2016(42), aug2016(42, 'approved')]) {
      const exported = await exportWorkspace(store);
      const before = await countRows(store);
      const doc = readInputDocument(text, 'same.yaml');
      const summary = await loadWorkspace(store, doc.data, {
        actor: 'alice',
        now: clock,
        locate: doc.locate,
      });
      expect(summary.results).toEqual({ create: 0, update: 0, unchanged: 1, deleted: 0 });
      expect(await countRows(store)).toEqual(before);
      expect(await exportWorkspace(store)).toEqual(exported);
      expect(exported.results!.find((r) => r.period === '2016-08')?.status).toBe('locked');
    }
  });

  it('refuses to change the owner or classification of a result in a locked period', async () => {
    const restricted = `marco: workspace/1
defaults:
  country: MX
  agency: SSPC
  classification: restricted
results:
${resultYaml({ indicator: 'EX-ACA-ACCREDITED', period: '2016-08', place: 'MX', value: 42, evidence: AUG_2016_EVIDENCE })}`;
    const error = await refused(restricted);
    expect(issueAt(error, 'results[0].period').message).toContain('locked');
  });

  it('reports every problem of a file in one error', async () => {
    const text =
      HEADER +
      'programs:\n' +
      programYaml('TEST-MANY', [
        indicatorYaml(
          'TEST-MANY-1',
          `        targets:
          - { period: '2032', value: 10 }
`,
        ),
      ]) +
      '    implementing: [NO-SUCH-ORG]\n' +
      'results:\n' +
      resultYaml({ indicator: 'NO-SUCH-INDICATOR', period: '2033', place: 'MX', value: 1 });
    const error = await refused(text);
    expect(error.issues.length).toBeGreaterThanOrEqual(3);
    expect(issueAt(error, 'programs[0].indicators[0].targets[0].period').message).toContain('not declared');
    expect(issueAt(error, 'programs[0].implementing[0]').message).toContain(
      'unknown organisation "NO-SUCH-ORG"',
    );
    expect(issueAt(error, 'results[0].indicator').message).toContain('unknown indicator');
    expect(issueAt(error, 'results[0].period').message).toContain('"2033" is not declared');
    expect(error.message).toContain(`${error.issues.length} problems`);
  });

  it('reports every schema problem of a file in one error', async () => {
    const text =
      HEADER +
      'programs:\n' +
      `  - code: TEST-SCHEMA
    title: { en: Only English }
    status: dormant
    start: '2020-02-30'
`;
    const error = await refused(text);
    expect(error.issues.length).toBeGreaterThanOrEqual(3);
    expect(issueAt(error, 'programs[0].title.es').message).toContain('required');
    expect(issueAt(error, 'programs[0].status').message).toContain('expected one of');
    expect(issueAt(error, 'programs[0].start').message).toContain('real calendar date');
    expect(error.issues.filter((issue) => !/^bad\.yaml:\d+:\d+$/.test(issue.location ?? ''))).toEqual([]);
  });

  it('refuses malformed YAML before touching the store, located by line and column', () => {
    // `status` is indented less than the other keys of its program (line 8).
    const text = HEADER + 'programs:\n  - code: TEST-INDENT\n    title: { en: x, es: y }\n  status: active\n';
    let error: unknown;
    try {
      readInputDocument(text, 'bad.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.path).toMatch(/^bad\.yaml:\d+:\d+$/);
    const issue = issues.find((i) => /^bad\.yaml:8:\d+$/.test(i.path));
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toContain('same column');
    expect((error as ValidationError).source).toBe('bad.yaml');
  });

  it('applies a valid file: writes do happen when nothing is wrong', async () => {
    const before = await countRows(store);
    const text =
      HEADER +
      'programs:\n' +
      programYaml('TEST-VALID', [
        indicatorYaml(
          'TEST-VALID-1',
          `        targets:
          - { period: FY2017, value: 10 }
`,
        ),
      ]);
    const doc = readInputDocument(text, 'good.yaml');
    const summary = await loadWorkspace(store, doc.data, { actor: 'alice', now: clock, locate: doc.locate });
    expect(summary.programs?.create).toBe(1);
    expect(summary.indicators?.create).toBe(1);
    expect(summary.targets?.create).toBe(1);
    const after = await countRows(store);
    expect(after).not.toEqual(before);
    expect(after.programs).toBe(before.programs! + 1);
    expect(after.indicators).toBe(before.indicators! + 1);
    expect(after.targets).toBe(before.targets! + 1);
    expect(after.indicator_versions).toBe(before.indicator_versions! + 1);
    expect(after.audit_log).toBe(before.audit_log! + 3);
  });
});
