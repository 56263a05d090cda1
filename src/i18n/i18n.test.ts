import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGS, catalogKeys, formatNumber, formatPercent, matchLocale, translator } from './index.js';

describe('catalogs', () => {
  it('have exactly the same keys in English and Spanish', () => {
    expect(catalogKeys(CATALOGS.es).sort()).toEqual(catalogKeys(CATALOGS.en).sort());
  });

  it('name their top-level sections with words a JSON module may export', () => {
    // A catalog file is imported as a JSON module: each top-level key becomes a binding, and one named
    // like a reserved word (`eval`, `default`, `class`) breaks the import under the TypeScript loader.
    const reserved =
      /^(arguments|await|break|case|catch|class|const|continue|debugger|default|delete|do|else|enum|eval|export|extends|false|finally|for|function|if|implements|import|in|instanceof|interface|let|new|null|package|private|protected|public|return|static|super|switch|this|throw|true|try|typeof|var|void|while|with|yield)$/;
    for (const locale of ['en', 'es'] as const)
      for (const key of Object.keys(CATALOGS[locale] as object))
        expect(key, `${locale}: ${key}`).not.toMatch(reserved);
  });

  it('have valid, non-empty ICU messages with the same placeholders in both languages', () => {
    const message = (locale: 'en' | 'es', key: string) =>
      key
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], CATALOGS[locale]) as string;
    // The names a message's arguments use, read from its parsed form: the text of a select or plural
    // branch (`{weights, select, unit {unit} other {time}}`) is words, not an argument.
    type Element = { type: number; value?: unknown; options?: Record<string, { value: Element[] }> };
    const names = (elements: Element[], into = new Set<string>()): Set<string> => {
      for (const element of elements) {
        if (element.type >= 1 && element.type <= 6 && typeof element.value === 'string')
          into.add(element.value);
        for (const option of Object.values(element.options ?? {})) names(option.value, into);
      }
      return into;
    };
    const placeholders = (text: string) =>
      names(new IntlMessageFormat(text, 'en-US', undefined, { ignoreTag: true }).getAst() as Element[]);
    for (const key of catalogKeys(CATALOGS.en)) {
      const en = message('en', key);
      const es = message('es', key);
      expect(en.trim(), key).not.toBe('');
      expect(es.trim(), key).not.toBe('');
      expect(() => new IntlMessageFormat(en, 'en-US', undefined, { ignoreTag: true }), key).not.toThrow();
      expect(() => new IntlMessageFormat(es, 'es-MX', undefined, { ignoreTag: true }), key).not.toThrow();
      expect(placeholders(es), key).toEqual(placeholders(en));
    }
  });

  it('apply ICU plurals in both languages', () => {
    expect(translator('en')('home.nodes', { count: 1 })).toBe('1 node');
    expect(translator('en')('home.nodes', { count: 6 })).toBe('6 nodes');
    expect(translator('es')('home.nodes', { count: 1 })).toBe('1 nodo');
    expect(translator('es')('cli.locked', { period: '2016', count: 3 })).toBe(
      'Periodo 2016 cerrado; 3 resultados cerrados.',
    );
  });

  it('format numbers for en-US and es-MX', () => {
    expect(formatNumber('en', 1234567.891)).toBe('1,234,567.89');
    expect(formatNumber('es', 1234567.891)).toBe('1,234,567.89');
    expect(formatPercent('es', 0.5)).toMatch(/^50\s?%$/);
  });

  it('never print "-0%", and sign differences when asked', () => {
    expect([-0.004, -0.05, 0.004].map((v) => formatPercent('en', v))).toEqual(['0%', '-5%', '0%']);
    expect([-0.004, -0.05, 0.05].map((v) => formatPercent('en', v, { signed: true }))).toEqual([
      '0%',
      '-5%',
      '+5%',
    ]);
  });

  it('contain every key the code asks for', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const root = new URL('../', import.meta.url);
    const files = (await readdir(root, { recursive: true })).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    const keys = new Set(catalogKeys(CATALOGS.en));
    const prefixes = new Set([...keys].map((k) => k.slice(0, k.lastIndexOf('.') + 1)));
    let checked = 0;
    for (const file of files) {
      const text = await readFile(new URL(file, root), 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([\w.]+)'/g)) {
        expect(keys.has(m[1]!), `${file}: ${m[1]}`).toBe(true);
        checked++;
      }
      for (const m of text.matchAll(/\bt\(\s*`([\w.]+\.)\$\{/g))
        expect(prefixes.has(m[1]!), `${file}: ${m[1]}…`).toBe(true);
      // Catalog texts carried by errors: `new ForbiddenError({ key: 'access.notOwner', … })`.
      for (const m of text.matchAll(/\{\s*key:\s*'([a-z]\w*\.[\w.]+)'/g)) {
        expect(keys.has(m[1]!), `${file}: ${m[1]}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('matches locale tags', () => {
    expect(matchLocale('es_MX.UTF-8')).toBe('es');
    expect(matchLocale('en-US')).toBe('en');
    expect(matchLocale('fr')).toBeUndefined();
    expect(matchLocale(undefined)).toBeUndefined();
  });
});
