/**
 * The escaping XML writer: markup in a text or an attribute stays text, characters XML cannot hold are
 * dropped, line breaks in a text survive indentation, and the output parses back to what went in.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { el, text, xmlEscape } from './xml-writer.js';

describe('the XML writer', () => {
  it('escapes every text and attribute, and drops what XML 1.0 cannot hold', () => {
    const hostile = `</narrative><script>alert("x")</script>&'\u0000\u0008`;
    const xml = el('title', [['ref', hostile]], el('narrative', [], text(hostile))).markup;
    expect(xml).toBe(
      '<title ref="&lt;/narrative&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&apos;">\n' +
        '  <narrative>&lt;/narrative&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&apos;</narrative>\n' +
        '</title>',
    );
    expect(xmlEscape('a\u{1F600}b\uD800c')).toBe('a\u{1F600}bc');
  });

  it('keeps a text’s line breaks through nesting, and reads back as written', () => {
    const xml = el(
      'a',
      [],
      el('b', [['k', '1']], el('c', [], text('line 1\nline 2'))),
      el('d', [['x', undefined]]),
    ).markup;
    expect(xml).toBe('<a>\n  <b k="1">\n    <c>line 1&#10;line 2</c>\n  </b>\n  <d/>\n</a>');
    const { document } = parseHTML(`<root>${xml}</root>`);
    expect(document.querySelector('c')!.textContent).toBe('line 1\nline 2');
  });
});
