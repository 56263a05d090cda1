/**
 * XML output through one escaping writer, for documents too large to build as a tree (the IATI export):
 * `el` writes an element with its attributes and children, `text` a text node. Every attribute value and
 * every text is escaped (`&`, `<`, `>`, `"`, `'`), and characters XML 1.0 cannot hold are dropped; a
 * child is either another `el` or a `text`, so no unescaped string can enter the output. Elements are
 * indented one level per depth, as xmlbuilder2's pretty printer does.
 * @module
 */

/** Serialised XML that came from this writer. */
export class Xml {
  private constructor(readonly markup: string) {}
  /** Only this module makes one. */
  static of(markup: string): Xml {
    return new Xml(markup);
  }
}

/** Characters XML 1.0 does not allow, even escaped. */
const INVALID =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>"'\t\n\r]/g;
// Line breaks and tabs as references: the writer's own indentation never mixes with a text's.
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Text as XML character data or an attribute value. */
export function xmlEscape(value: string): string {
  return value.replace(INVALID, '').replace(SPECIAL, (c) => ENTITY[c]!);
}

/** A text node. */
export const text = (value: string): Xml => Xml.of(xmlEscape(value));

/** An element named `name` (a constant of the caller's), its attributes in order, and its children. */
export function el(
  name: string,
  attributes: readonly (readonly [string, string | number | undefined | null])[] = [],
  ...children: (Xml | null | undefined | false)[]
): Xml {
  let open = `<${name}`;
  for (const [key, value] of attributes)
    if (value !== undefined && value !== null) open += ` ${key}="${xmlEscape(String(value))}"`;
  const kids = children.filter((c): c is Xml => c instanceof Xml);
  if (kids.length === 0) return Xml.of(`${open}/>`);
  // A single text child stays on the line; element children are indented below.
  if (kids.length === 1 && !kids[0]!.markup.startsWith('<'))
    return Xml.of(`${open}>${kids[0]!.markup}</${name}>`);
  const inner = kids.map((k) => `\n  ${k.markup.replaceAll('\n', '\n  ')}`).join('');
  return Xml.of(`${open}>${inner}\n</${name}>`);
}
