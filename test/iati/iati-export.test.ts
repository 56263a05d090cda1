/**
 * The IATI 2.03 export of the example workspace, on both record stores: it validates against the
 * official activity schema with xmllint (0 errors), and every coded value it holds is an active code of
 * the codelist that IATI's mapping.xml assigns to its place (read from ../shared/iati, never copied
 * into the project). Both checks are shown to fail on a broken file. What is exported is what the
 * public may read: an official-use program, its lines and an unapproved result never leave. Amounts,
 * sectors, budgets, transactions and results match the records. The CLI writes the same file.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Official } from '../../src/access/viewer.js';
import { saveFundingLines } from '../../src/funding/funding-service.js';
import { evidenceEditor, inspectEvidence } from '../../src/monitoring/evidence.js';
import { attachEvidence } from '../../src/records/evidence-repository.js';
import { listResults } from '../../src/records/result-repository.js';
import { exportIati } from '../../src/iati/iati-export.js';
import { iatiPublisher } from '../../src/iati/iati-publisher.js';
import { EXAMPLE_WORKSPACE, loadBuiltins, readDocumentFile } from '../../src/records/builtin.js';
import { loadWorkspace } from '../../src/records/workspace-load.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { clock } from '../fixtures/workspace.js';
import { runMarco } from '../fixtures/run-marco.js';
import { STORE_KINDS, freshStore } from '../records/stores.js';
import { SHARED_DATA } from '../stats/shared-data.js';

const run = promisify(execFile);
const IATI = path.join(path.dirname(SHARED_DATA), 'iati');
const SCHEMA = path.join(IATI, 'schema-2.03/iati-activities-schema.xsd');
const haveXmllint = await run('xmllint', ['--version']).then(
  () => true,
  () => false,
);
const haveIati = existsSync(SCHEMA);
if (process.env.CI === 'true' && (!haveXmllint || !haveIati))
  throw new Error(`CI=true but ${haveXmllint ? `${SCHEMA} is missing` : 'xmllint is missing'}`);
if (!haveXmllint || !haveIati)
  console.warn(`IATI tests skipped: ${haveXmllint ? `no ${SCHEMA}` : 'no xmllint (Debian libxml2-utils)'}`);

let dir: string;

/** xmllint's verdict: the last line, "FILE validates" or "FILE fails to validate", and the errors. */
async function validate(xml: string): Promise<{ ok: boolean; errors: string[] }> {
  const file = path.join(dir, `iati-${Math.random().toString(36).slice(2)}.xml`);
  await writeFile(file, xml);
  const out = await run('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, file]).catch(
    (e: { stderr: string }) => ({ stderr: e.stderr }),
  );
  const lines = out.stderr.trim().split('\n');
  return { ok: lines.at(-1) === `${file} validates`, errors: lines.filter((l) => /error/i.test(l)) };
}

/** Each codelist's active codes, from ../shared/iati/codelists/xml. */
async function codelists(): Promise<Map<string, Set<string>>> {
  const lists = new Map<string, Set<string>>();
  const folder = path.join(IATI, 'codelists/xml');
  for (const name of await readdir(folder)) {
    const text = await readFile(path.join(folder, name), 'utf8');
    const active = new Set<string>();
    for (const m of text.matchAll(/<codelist-item([^>]*)>[\s\S]*?<code>([^<]*)<\/code>/g))
      if (!/status="withdrawn"/.test(m[1]!)) active.add(m[2]!.trim());
    lists.set(name.replace(/\.xml$/, ''), active);
  }
  return lists;
}

/** Every coded value of `xml` that is not an active code of its codelist, as `path=value (codelist)`. */
async function codeProblems(xml: string, lists: Map<string, Set<string>>): Promise<string[]> {
  const file = path.join(dir, `codes-${Math.random().toString(36).slice(2)}.xml`);
  await writeFile(file, xml);
  const mapping = await readFile(path.join(IATI, 'codelists/mapping.xml'), 'utf8');
  const problems: string[] = [];
  for (const m of mapping.matchAll(/<mapping>([\s\S]*?)<\/mapping>/g)) {
    const target = /<path>([^<]+)<\/path>/.exec(m[1]!)![1]!;
    const ref = /<codelist ref="([^"]+)"/.exec(m[1]!)![1]!;
    const condition = /<condition>([^<]+)<\/condition>/.exec(m[1]!)?.[1];
    // A mapping of an element the file does not hold has nothing to check.
    const element = target
      .split('/')
      .filter((x) => x && !x.startsWith('@') && x !== 'text()')
      .at(-1);
    if (element && !xml.includes(`<${element}`)) continue;
    // The condition applies to the element that holds the attribute.
    const at = target.lastIndexOf('/');
    const xpath = condition ? `${target.slice(0, at)}[${condition}]${target.slice(at)}` : target;
    const out = await run('xmllint', ['--xpath', xpath, file]).catch(() => ({ stdout: '' }));
    const values = target.endsWith('text()')
      ? out.stdout.split('\n').filter(Boolean)
      : [...out.stdout.matchAll(/="([^"]*)"/g)].map((v) => v[1]!);
    if (values.length === 0) continue;
    const list = lists.get(ref);
    for (const value of values) {
      // FileFormat is not among the shared codelists: a MIME type, as IANA writes them.
      if (!list && ref === 'FileFormat' && /^[a-z]+\/[\w.+-]+$/.test(value)) continue;
      if (!list?.has(value)) problems.push(`${target}=${value} (${ref}${list ? '' : ', codelist missing'})`);
    }
  }
  return problems;
}

(haveXmllint && haveIati ? describe.each(STORE_KINDS) : describe.skip.each(STORE_KINDS))(
  'the IATI export on %s',
  (kind) => {
    let store: Awaited<ReturnType<typeof freshStore>>;
    let xml: string;
    let lists: Map<string, Set<string>>;
    let evidenceUrl: string;
    const publisher = iatiPublisher(
      { MARCO_IATI_ORG_REF: 'US-GOV-11' },
      undefined,
      new Date('2026-12-01T00:00:00Z'),
    );
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'marco-iati-'));
      store = await freshStore(kind);
      await loadBuiltins(store, 'test');
      const example = (await readDocumentFile(PACKAGE_ROOT + EXAMPLE_WORKSPACE)).data as Record<
        string,
        unknown
      >;
      // An official-use program with approved money: it must never leave.
      const hidden = {
        marco: example.marco,
        defaults: example.defaults,
        programs: [
          {
            code: 'HIDDEN-PROGRAM',
            title: { en: 'Official-use program', es: 'Programa de uso oficial' },
            status: 'active',
            classification: 'official_use',
          },
        ],
        funding_lines: [
          {
            fiscal_year: 'FY2020',
            account: 'INCLE',
            stage: 'obligation',
            program: 'HIDDEN-PROGRAM',
            amount: 7_777_777,
            source: 'Official-use notification',
            status: 'approved',
          },
        ],
      };
      await loadWorkspace(store, example, { actor: 'loader', now: clock });
      await loadWorkspace(store, hidden, { actor: 'loader', now: clock });
      // An official-use line of a public program, approved: never exported either.
      await saveFundingLines(
        store,
        'operator',
        [
          {
            fiscal_year: 'FY2021',
            account: 'INCLE',
            stage: 'obligation',
            program: 'EX-CORRECTIONS',
            amount: 5_555_555,
            source: 'Official-use',
          } as never,
        ],
        { country: 'US', agency: 'INL', classification: 'official_use' },
        { actor: 'test', now: clock },
      );
      await store.db
        .updateTable('funding_lines')
        .set({ status: 'approved' })
        .where('amount', '=', 5_555_555)
        .execute();
      // Public evidence of an approved result (January 2017, inside the FY2017 target): a CSV file.
      const reporter: Official = { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] };
      const [row] = (
        await listResults(store, reporter, { indicator: 'EX-ACA-ACCREDITED', period: '2017-01' })
      ).results;
      const [file] = await inspectEvidence(
        [
          {
            name: 'registro-aca.csv',
            bytes: new TextEncoder().encode('institution,date\nCEFERESO 1,2017-01-15\n'),
          },
        ],
        'attachments',
      );
      await attachEvidence(
        store,
        row!.id,
        [file!],
        { actor: 'rita', now: clock },
        evidenceEditor(reporter, row!.id),
      );
      // Attaching sends the result back for approval; approved again here, as the counterpart would.
      await store.db.updateTable('results').set({ status: 'approved' }).where('id', '=', row!.id).execute();
      evidenceUrl = `http://127.0.0.1:8080/results/${row!.id}/evidence/${file!.sha256}`;
      let text = '';
      const count = await exportIati(
        store,
        undefined,
        publisher,
        (chunk) => {
          text += chunk;
        },
        '2026-12-01T00:00:00Z',
      );
      // The three public programs of the example workspace.
      expect(count).toBe(3);
      xml = text;
      lists = await codelists();
    }, 120_000);
    afterAll(async () => {
      await store?.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    it('validates against the IATI 2.03 schema with 0 errors, and fails when the order breaks', async () => {
      expect(await validate(xml)).toEqual({ ok: true, errors: [] });
      // The schema enforces the order: a sector after the flow type is refused.
      const broken = xml.replace(
        /(<sector [^>]+\/>\n)(\s*<default-flow-type [^>]+\/>\n)/,
        (_m, sector: string, flow: string) => `${flow}${sector}`,
      );
      expect(broken).not.toBe(xml);
      const verdict = await validate(broken);
      expect(verdict.ok).toBe(false);
      expect(verdict.errors.join('\n')).toMatch(/sector/);
    });

    it('holds only active codes of the codelists IATI maps, and the check catches a wrong one', async () => {
      expect(await codeProblems(xml, lists)).toEqual([]);
      const wrong = xml.replace('code="15137"', 'code="15120"').replace('role="4"', 'role="7"');
      expect(await codeProblems(wrong, lists)).toEqual([
        '//iati-activity/participating-org/@role=7 (OrganisationRole)',
        '//iati-activity/sector/@code=15120 (Sector)',
      ]);
    });

    it('writes the public records as they are, and nothing restricted or official-use', () => {
      expect(xml).not.toContain('HIDDEN-PROGRAM');
      expect(xml).not.toContain('7777777');
      expect(xml).not.toContain('5555555');
      const activity = (code: string) =>
        new RegExp(
          `<iati-activity [^>]*>\\s*<iati-identifier>US-GOV-11-${code}</iati-identifier>[\\s\\S]*?</iati-activity>`,
        ).exec(xml)![0];
      const corrections = activity('EX-CORRECTIONS');
      expect(corrections).toContain('<sector vocabulary="1" code="15137" percentage="100"/>');
      expect(corrections).toContain('<default-flow-type code="10"/>');
      expect(corrections).toContain('<activity-status code="2"/>');
      // Allocations are revised committed budgets of the fiscal year; obligations commitments (2) and
      // disbursements (3), approved only (the FY2018 disbursement awaits approval).
      expect(corrections).toMatch(
        /<budget type="2" status="2">\s*<period-start iso-date="2015-10-01"\/>\s*<period-end iso-date="2016-09-30"\/>\s*<value currency="USD" value-date="2015-10-01">12000000<\/value>/,
      );
      const types = [...corrections.matchAll(/<transaction-type code="(\d)"\/>/g)].map((m) => m[1]);
      expect(types.sort()).toEqual(['2', '2', '2', '3', '3']);
      expect(corrections).not.toContain('>4300000<');
      // The accreditation indicator: an output result, its baseline and approved actuals only.
      expect(corrections).toMatch(/<result type="1" aggregation-status="false">/);
      expect(corrections).toMatch(/<reference vocabulary="99" code="EX-ACA-ACCREDITED"\/>/);
      expect(corrections).toContain('<actual value="42"/>');
      // The evidence file of the January 2017 result, on the FY2017 actual.
      expect(corrections).toMatch(
        new RegExp(
          `<actual value="\\d+">\\s*<document-link url="${evidenceUrl.replace(/[.?]/g, '\\$&')}" format="text/csv">\\s*<title>\\s*<narrative>registro-aca.csv</narrative>\\s*</title>\\s*<category code="A08"/>`,
        ),
      );
      // Mexico's co-funding in pesos stays in pesos, from its reporter.
      const chihuahua = activity('EX-CHIHUAHUA-PREVENTION');
      expect(chihuahua).toMatch(/<value currency="MXN" value-date="2018-09-30">60000000<\/value>/);
      expect(chihuahua).toMatch(/<provider-org type="10">\s*<narrative>Ministry of Security/);
      expect(chihuahua).toContain('<activity-status code="4"/>');
      expect(chihuahua).toContain('<activity-date type="4" iso-date="2020-12-31"/>');
      expect(chihuahua).toContain('<sector vocabulary="1" code="15220" percentage="70"/>');
      expect(chihuahua).toContain(
        '<document-link url="http://127.0.0.1:8080/programs/EX-CHIHUAHUA-PREVENTION" format="text/html">',
      );
    });
  },
);

(haveXmllint && haveIati ? describe : describe.skip)('marco export --format iati', () => {
  it('writes a valid file with the prefix given, and refuses a bad one with exit 2', async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), 'marco-iati-cli-'));
    dir = data;
    try {
      expect((await runMarco(data, 'init', '--example')).code).toBe(0);
      const file = path.join(data, 'activities.xml');
      const done = await runMarco(
        data,
        'export',
        '--format',
        'iati',
        '-o',
        file,
        '--iati-prefix',
        'US-GOV-1',
      );
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout + done.stderr).toContain('3 activities written to');
      const xml = await readFile(file, 'utf8');
      expect(xml).toContain('<iati-identifier>US-GOV-1-EX-CORRECTIONS</iati-identifier>');
      expect(await validate(xml)).toEqual({ ok: true, errors: [] });
      const bad = await runMarco(
        data,
        '--lang',
        'es',
        'export',
        '--format',
        'iati',
        '-o',
        file,
        '--iati-prefix',
        'no valid',
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('no es un identificador de organización de IATI');
      // The file written before is untouched.
      expect(await readFile(file, 'utf8')).toBe(xml);
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  }, 120_000);
});
