import { describe, expect, it } from 'vitest';
import { escapeHtml, html, Html, safeUrl, trustedHtml } from './html.js';

const HOSTILE = `"><script>alert(1)</script><img src=x onerror='alert(2)'>&amp;`;

describe('the html renderer', () => {
  it('escapes text and quoted attribute values, and shows the escaped HTML', () => {
    expect(html`<p>${HOSTILE}</p>`.text).toBe(
      '<p>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(2)&#39;&gt;&amp;amp;</p>',
    );
    expect(html`<abbr title="${HOSTILE}">x</abbr>`.text).toBe(
      `<abbr title="${escapeHtml(HOSTILE)}">x</abbr>`,
    );
    expect(html`<abbr title='${`it's`}'>x</abbr>`.text).toBe(`<abbr title='it&#39;s'>x</abbr>`);
    expect(html`<title>${'</title><script>'}</title>`.text).toBe(
      '<title>&lt;/title&gt;&lt;script&gt;</title>',
    );
  });

  it('keeps markup it made, joins arrays and drops null, undefined and false', () => {
    const item = (s: string) => html`<li>${s}</li>`;
    expect(html`<ul>${['a', '<b>'].map(item)}</ul>`.text).toBe('<ul><li>a</li><li>&lt;b&gt;</li></ul>');
    expect(html`<p>${null}${undefined}${false}${0}</p>`.text).toBe('<p>0</p>');
    expect(html`<option ${html`selected`}>x</option>`.text).toBe('<option selected>x</option>');
  });

  it('lets URL attributes carry relative and web addresses only', () => {
    expect(html`<a href="${'/places/08?lang=es'}">x</a>`.text).toBe('<a href="/places/08?lang=es">x</a>');
    expect(html`<a href="${'https://www.inegi.org.mx/'}">x</a>`.text).toContain('https://www.inegi.org.mx/');
    for (const bad of [
      'javascript:alert(1)',
      ' JaVa\tScRiPt:alert(1)',
      'data:text/html,<script>',
      'vbscript:x',
    ])
      expect(html`<a href="${bad}">x</a>`.text).toBe('<a href="about:invalid#unsafe-url">x</a>');
    expect(html`<form action="${'javascript:x'}"></form>`.text).toContain('about:invalid#unsafe-url');
    expect(safeUrl('mailto:inl@state.gov')).toBe('mailto:inl@state.gov');
    // After a literal prefix the template fixes the scheme: a node reference with a colon stays.
    expect(html`<a href="/nodes/${'bicentennial:1'}">x</a>`.text).toBe(
      '<a href="/nodes/bicentennial:1">x</a>',
    );
    expect(html`<a href="/x?q=${'javascript:alert(1)'}">x</a>`.text).toBe(
      '<a href="/x?q=javascript:alert(1)">x</a>',
    );
    expect(safeUrl('#top')).toBe('#top');
  });

  it('refuses text where no escaping makes it safe', () => {
    expect(() => html`<p onclick="${'alert(1)'}">x</p>`).toThrow(/event handler onclick/);
    expect(() => html`<p style="${'color:red'}">x</p>`).toThrow(/style attribute/);
    expect(() => html`<p title=${'x onmouseover=alert(1)'}>x</p>`).toThrow(/unquoted attribute/);
    expect(() => html`<p ${'onclick=alert(1)'}>x</p>`).toThrow(/inside a tag/);
    expect(() => html`<style>${'body{}'}</style>`).toThrow(/<style> element/);
    expect(() => html`<script>${'1'}</script>`).toThrow(/<script> element/);
    expect(() => html`<p title="${html`<b>x</b>`}">x</p>`).toThrow(/markup cannot go into an attribute/);
  });

  it('reads state across literal parts: a value after a closed tag is text again', () => {
    expect(html`<style>p{}</style><p>${'<b>'}</p>`.text).toBe('<style>p{}</style><p>&lt;b&gt;</p>');
    expect(html`<!-- ${'-->'} --><p>${'x'}</p>`.text).toBe('<!-- --&gt; --><p>x</p>');
    expect(html`<a href="/x" class="${'a"b'}">${'y'}</a>`.text).toBe('<a href="/x" class="a&quot;b">y</a>');
  });

  it('makes Html only through html`` and trustedHtml, which must say why', () => {
    expect(() => new Html(Symbol('forged'), '<script>')).toThrow(/html`` or trustedHtml/);
    expect(() => trustedHtml('<b>x</b>', ' ')).toThrow(/reason/);
    expect(html`<p>${trustedHtml('<b>x</b>', 'a fixed fragment')}</p>`.text).toBe('<p><b>x</b></p>');
  });
});
