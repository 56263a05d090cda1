/**
 * Report templates and the `marco report` command's refusals: every built-in template is valid; a
 * section the list lacks and a YAML error are refused with the file, line and column; an unknown
 * template is not found and the built-in names are given; a section named twice gets two anchors; `marco report --help` lists them; a bad period
 * and a PDF without a file are refused before anything is read or written.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, ValidationError } from '../../src/error.js';
import { builtinTemplateNames, loadTemplate, parseTemplate } from '../../src/reports/report-templates.js';
import { loadBuiltins } from '../../src/records/builtin.js';
import { openRecords } from '../../src/records/database.js';
import { runReport } from '../../src/reports/report-run.js';
import { renderReportHtml } from '../../src/web/reports/report-document.js';
import { runMarco } from '../fixtures/run-marco.js';

const GOOD = `marco: report-template/1
name: office-brief
title: { en: Office brief, es: Nota de la oficina }
subject: framework
sections:
  - type: summary
  - type: indicators
    title: { en: Our indicators, es: Nuestros indicadores }
`;

describe('report templates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-report-template-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('ships valid built-in templates, framework-performance among them', async () => {
    const names = await builtinTemplateNames();
    expect(names).toContain('framework-performance');
    for (const name of names) expect((await loadTemplate(name)).template.name).toBe(name);
  });

  it('reads an office’s own template file', async () => {
    const file = path.join(dir, 'brief.yaml');
    await writeFile(file, GOOD);
    const loaded = await loadTemplate(file);
    expect(loaded.template.sections.map((s) => s.type)).toEqual(['summary', 'indicators']);
    expect(loaded.source).toBe(file);
  });

  it('gives a section named twice its own anchor, and the contents link to each', async () => {
    const twice = `${GOOD}  - type: indicators
    title: { en: Their indicators, es: Sus indicadores }
`;
    const store = await openRecords({ memory: true });
    try {
      await loadBuiltins(store, 'test');
      const loaded = { template: parseTemplate(twice, 'twice.yaml'), text: twice, source: 'twice.yaml' };
      const page = renderReportHtml(
        await runReport(store, undefined, null, loaded, { period: 'FY2017', locale: 'en' }),
      );
      const ids = [...page.matchAll(/<section class="report-section" id="([^"]+)"/g)].map((m) => m[1]);
      expect(ids).toEqual(['summary', 'indicators', 'indicators-2']);
      const links = [...page.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1]);
      expect(links).toEqual(ids);
    } finally {
      await store.close();
    }
  });

  it('refuses a section the list lacks, at its line and column, with the sections it has', () => {
    const text = GOOD.replace('  - type: indicators', '  - type: horoscope');
    const error = (() => {
      try {
        parseTemplate(text, 'brief.yaml');
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.issues).toHaveLength(1);
    expect(error!.issues[0]).toMatchObject({ path: 'sections[1].type', location: 'brief.yaml:7:11' });
    expect(error!.message).toContain('brief.yaml:7:11');
    expect(error!.messageIn('es')).toMatch(/summary.*indicators.*coverage/);
  });

  it('refuses a section of another subject at its line and column, with the subject’s own sections', () => {
    const text = GOOD.replace('  - type: summary', '  - type: trends');
    try {
      parseTemplate(text, 'brief.yaml');
      expect.unreachable('a place section was accepted in a framework report');
    } catch (e) {
      const error = e as ValidationError;
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]).toMatchObject({ path: 'sections[0].type', location: 'brief.yaml:6:11' });
      expect(error.message).toContain(
        '"trends" is not a section of a framework report: its sections are summary, indicators, narratives',
      );
      expect(error.messageIn('es')).toContain('«trends» no es una sección de un informe de tipo framework');
    }
    // The same section in a place template is one of its own.
    expect(
      parseTemplate(
        text
          .replace('subject: framework', 'subject: place')
          .replace('  - type: indicators\n    title: { en: Our indicators, es: Nuestros indicadores }\n', ''),
        'place.yaml',
      ).sections,
    ).toEqual([{ type: 'trends' }]);
  });

  it('refuses an unknown field, pointing to the reports format, as a problem in the file', () => {
    try {
      parseTemplate(GOOD.replace('subject: framework', 'subject: framework\ncolour: red'), 'brief.yaml');
      expect.unreachable('an unknown field was accepted');
    } catch (e) {
      const error = e as ValidationError;
      expect(error.message).toBe(
        'brief.yaml: 1 problem in the file\n  (root) (brief.yaml:5:9): unknown field "colour"; check the spelling against docs/reports.md',
      );
      expect(error.messageIn('es')).toContain('1 problema en el archivo');
      expect(error.messageIn('es')).toContain(
        'campo desconocido "colour"; revise la ortografía en docs/reports.md',
      );
    }
  });

  it('refuses a YAML error at its line and column', () => {
    expect(() =>
      parseTemplate(GOOD.replace('title: { en: Office brief', 'title: { en: [Office'), 'b.yaml'),
    ).toThrow(/b\.yaml:3:\d+/);
  });

  it('lists the built-in templates in `marco report --help`', async () => {
    const { code, stdout } = await runMarco(dir, 'report', '--help');
    expect(code).toBe(EXIT.ok);
    // Each with what its subject needs: a data annex nothing, a place brief a place (and maybe a period).
    expect(stdout).toMatch(
      /Built-in templates:\n {2}data-quality-annex\n {2}evaluation-report +--evaluation\n {2}framework-performance +--period\n {2}place-brief +--place \[--period\]\n/,
    );
  });

  it('refuses an unknown template, a bad period and a PDF without a file, writing nothing', async () => {
    const unknown = await runMarco(dir, 'report', 'no-such-report', '--period', 'FY2017');
    expect(unknown.code).toBe(EXIT.notFound);
    expect(unknown.stderr).toContain('framework-performance');
    const period = await runMarco(dir, 'report', 'framework-performance', '--period', 'FY17');
    expect(period.code).toBe(EXIT.invalid);
    expect(period.stderr).toContain('--period');
    const pdf = await runMarco(
      dir,
      'report',
      'framework-performance',
      '--period',
      'FY2017',
      '--format',
      'pdf',
    );
    expect(pdf.code).toBe(EXIT.invalid);
    expect(pdf.stderr).toContain('-o FILE');
    expect((await readdir(dir)).filter((f) => !f.endsWith('.yaml'))).toEqual([]);
  });
});
