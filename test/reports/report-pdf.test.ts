/**
 * The framework performance report printed to PDF by Debian's Chromium, through `marco report`, in
 * English and Spanish, on the example workspace: `pdftotext` finds its key figures in the reader's
 * language; `pdfinfo` finds it tagged, with the run hash and the vintages in its metadata; `pdftoppm`
 * renders every page, none blank and nothing in the outer 6 mm of the paper; and without Chromium the
 * command says how to install it and leaves no file.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { PACKAGE_ROOT } from '../../src/package.js';
import { runMarco } from '../fixtures/run-marco.js';
import { haveChromium } from '../web/chromium.js';

const run = promisify(execFile);
const havePoppler = await run('pdftotext', ['-v']).then(
  () => true,
  () => false,
);
if (!havePoppler) {
  if (process.env.CI === 'true')
    throw new Error('CI=true but pdftotext is missing (apt-get install poppler-utils)');
  console.warn('PDF report tests skipped: no pdftotext (Debian poppler-utils)');
}

/** A binary PGM (P5, 8-bit) as its size and pixels. */
function readPgm(bytes: Buffer): { width: number; height: number; pixels: Buffer } {
  const header = bytes.toString('latin1', 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/)!;
  return { width: Number(header[1]), height: Number(header[2]), pixels: bytes.subarray(header[0].length) };
}

describe.runIf(haveChromium && havePoppler)('framework performance report as PDF', () => {
  let dir: string;
  let out: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-report-pdf-'));
    out = await mkdtemp(path.join(os.tmpdir(), 'marco-report-pdf-out-'));
    expect((await runMarco(dir, 'init')).code).toBe(EXIT.ok);
    expect((await runMarco(dir, 'load', path.join(PACKAGE_ROOT, 'examples/workspace.yaml'))).code).toBe(
      EXIT.ok,
    );
  }, 180_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it.each([
    [
      'en',
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
      [
        'Informe de desempeño del marco',
        'Periodo: FY2017',
        'penitenciarias mexicanas acreditadas',
        'FY2017 23 75 70 90% verde',
        'FY2017 USD 14,000,000 USD 18,600,000',
        'Página 1 de',
      ],
    ],
  ] as const)(
    'prints in %s with its figures, tagged, its run hash in the metadata, every page inked within the margins',
    async (lang, texts) => {
      const file = path.join(out, `framework-${lang}.pdf`);
      const made = await runMarco(
        dir,
        '--lang',
        lang,
        'report',
        'framework-performance',
        '--period',
        'FY2017',
        '--format',
        'pdf',
        '-o',
        file,
      );
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
      await run('pdftoppm', ['-gray', '-r', '40', file, path.join(out, `page-${lang}`)]);
      const images = (await readdir(out)).filter((f) => f.startsWith(`page-${lang}`)).sort();
      expect(images).toHaveLength(pages);
      const edge = Math.ceil((6 / 25.4) * 40);
      for (const image of images) {
        const { width, height, pixels } = readPgm(await readFile(path.join(out, image)));
        let inked = 0;
        let offMargin = 0;
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) {
            if (pixels[y * width + x]! > 200) continue;
            inked += 1;
            if (x < edge || y < edge || x >= width - edge || y >= height - edge) offMargin += 1;
          }
        expect(inked, `${image} is blank`).toBeGreaterThan(500);
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
