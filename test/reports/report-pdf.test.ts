/**
 * The four built-in reports printed to PDF by Debian's Chromium, through `marco report`, in English and
 * Spanish, on the example workspace with the starter data (the framework report for FY2017, the place
 * brief of Chihuahua, the saved state evaluation, the data-quality annex): `pdftotext` finds each one's
 * key figures in the reader's language; `pdfinfo` finds it tagged, with the run hash and the vintages in
 * its metadata; `pdftoppm` renders every page, none blank (ink between the running header and footer)
 * and nothing in the outer 6 mm of the paper; and without Chromium the command says how to install it
 * and leaves no file.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { runMarco } from '../fixtures/run-marco.js';
import { haveChromium } from '../web/chromium.js';
import { havePoppler, run } from './poppler.js';

/** A binary PGM (P5, 8-bit) as its size and pixels. */
function readPgm(bytes: Buffer): { width: number; height: number; pixels: Buffer } {
  const header = bytes.toString('latin1', 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/)!;
  return { width: Number(header[1]), height: Number(header[2]), pixels: bytes.subarray(header[0].length) };
}

describe.runIf(haveChromium && havePoppler)('built-in reports as PDF', () => {
  let dir: string;
  let out: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-report-pdf-'));
    out = await mkdtemp(path.join(os.tmpdir(), 'marco-report-pdf-out-'));
    expect((await runMarco(dir, 'init')).code).toBe(EXIT.ok);
    expect((await runMarco(dir, 'load', path.join(PACKAGE_ROOT, 'examples/workspace.yaml'))).code).toBe(
      EXIT.ok,
    );
    const spec = path.join(PACKAGE_ROOT, 'examples/evaluations/military-operations-states.yaml');
    expect((await runMarco(dir, 'evaluate', spec, '--save')).code).toBe(EXIT.ok);
  }, 180_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  const FRAMEWORK = ['framework-performance', '--period', 'FY2017'];
  const PLACE = ['place-brief', '--place', '08'];
  const EVALUATION = ['evaluation-report', '--evaluation', '1'];
  const DATA = ['data-quality-annex'];
  it.each([
    [
      'en',
      FRAMEWORK,
      [
        'Framework performance report',
        'Period: FY2017',
        'Mexican penitentiary',
        'FY2017 23 75 70 90% green',
        'FY2017 $14,000,000 $18,600,000 $13,300,000 78%',
        'Page 1 of',
      ],
    ],
    [
      'es',
      FRAMEWORK,
      [
        'Informe de desempeño del marco',
        'Periodo: FY2017',
        'penitenciarias mexicanas acreditadas',
        'FY2017 23 75 70 90% verde',
        'FY2017 USD 14,000,000 USD 18,600,000',
        'Página 1 de',
      ],
    ],
    [
      'en',
      PLACE,
      [
        'Place brief',
        'Place: Chihuahua (08)',
        'Chihuahua’s homicide rate in 2022 was 53 per 100,000',
        'Chihuahua 40.23 (1,457) 48.66 (1,780)',
        '68.8 (2,650) 52.97 (2,065)',
        'EX-CHIHUAHUA-PREVENTION',
        'Page 1 of',
      ],
    ],
    [
      'es',
      PLACE,
      [
        'Ficha del lugar',
        'Lugar: Chihuahua (08)',
        'En 2022, la tasa de homicidios de Chihuahua fue de 53',
        '68.8 (2,650) 52.97 (2,065)',
        'todo el país (MX)',
        'Página 1 de',
      ],
    ],
    [
      'en',
      EVALUATION,
      [
        'Evaluation report',
        'Evaluation run 1: Joint military operations',
        'was on average 41% higher',
        'F = 4.953',
        '2007 +58% [+17%, +115%]',
        'Page 1 of',
      ],
    ],
    [
      'es',
      EVALUATION,
      [
        'Informe de evaluación',
        'Corrida de evaluación 1: Joint military operations',
        'fue en promedio 41% más alto',
        'F = 4.953',
        '2007 +58% [+17%, +115%]',
        'Página 1 de',
      ],
    ],
    [
      'en',
      DATA,
      [
        'Data-quality annex',
        'mexico-state-month-homicide-rates-2000-2022.csv.gz',
        '2000-01-01 – 2022-12-01 8,832 0',
        'The audit chain is intact',
        'Page 1 of',
      ],
    ],
    [
      'es',
      DATA,
      [
        'Anexo de calidad de los datos',
        '2000-01-01 – 2022-12-01 8,832 0',
        'La cadena de auditoría está íntegra',
        'Página 1 de',
      ],
    ],
  ] as const)(
    'prints in %s %s with its figures, tagged, its run hash in the metadata, every page inked within the margins',
    async (lang, args, texts) => {
      const name = `${args[0]}-${lang}`;
      const file = path.join(out, `${name}.pdf`);
      const made = await runMarco(dir, '--lang', lang, 'report', ...args, '--format', 'pdf', '-o', file);
      expect(made.code, made.stderr).toBe(EXIT.ok);
      const hash = /([0-9a-f]{64})/.exec(made.stdout + made.stderr)![1]!;
      const { stdout: text } = await run('pdftotext', ['-layout', file, '-']);
      const flat = text.replace(/\s+/g, ' ');
      for (const expected of texts) expect(flat).toContain(expected);
      expect(flat).toContain(lang === 'en' ? 'PUBLIC' : 'PÚBLICA');
      const { stdout: info } = await run('pdfinfo', [file]);
      expect(info).toMatch(/^Tagged:\s+yes$/m);
      expect(info).toContain(`marco-run-hash:${hash}`);
      expect(info).toMatch(/vintage:inegi-homicides-state:[0-9a-f]{64}/);
      const pages = Number(/^Pages:\s+(\d+)$/m.exec(info)![1]);
      expect(pages).toBeGreaterThanOrEqual(2);
      // Every page rendered in grey at 40 dpi: ink on each, none in the outer 6 mm (about 9 pixels).
      await run('pdftoppm', ['-gray', '-r', '40', file, path.join(out, `page-${name}`)]);
      const images = (await readdir(out)).filter((f) => f.startsWith(`page-${name}-`)).sort();
      expect(images).toHaveLength(pages);
      const mm = (v: number) => Math.ceil((v / 25.4) * 40);
      const edge = mm(6);
      for (const image of images) {
        const { width, height, pixels } = readPgm(await readFile(path.join(out, image)));
        // Ink of the body (between the 22 mm header and the 16 mm footer, which every page has), and
        // ink in the outer 6 mm of the paper.
        let body = 0;
        let offMargin = 0;
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) {
            if (pixels[y * width + x]! > 200) continue;
            if (y >= mm(22) && y < height - mm(16)) body += 1;
            if (x < edge || y < edge || x >= width - edge || y >= height - edge) offMargin += 1;
          }
        expect(body, `${image} is blank`).toBeGreaterThan(50);
        expect(offMargin, `${image} has ink in the outer 6 mm`).toBe(0);
      }
    },
    120_000,
  );

  it('says how to install Chromium when it is missing, and writes no file', async () => {
    const before = process.env.MARCO_CHROMIUM;
    process.env.MARCO_CHROMIUM = path.join(out, 'no-chromium-here');
    try {
      const file = path.join(out, 'missing.pdf');
      const made = await runMarco(
        dir,
        'report',
        'framework-performance',
        '--period',
        'FY2017',
        '--format',
        'pdf',
        '-o',
        file,
      );
      expect(made.code).not.toBe(EXIT.ok);
      expect(made.stderr).toContain('apt-get install chromium');
      expect(existsSync(file)).toBe(false);
      expect((await readdir(out)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.MARCO_CHROMIUM;
      else process.env.MARCO_CHROMIUM = before;
    }
  });
});
