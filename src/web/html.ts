/**
 * The one HTML renderer of Marco's pages: a tagged template that escapes every interpolated value for the
 * place it lands in. The template's literal parts are read once per call site by a small HTML tokenizer,
 * which knows for each `${…}` whether it is text, a quoted attribute value (and which attribute), the
 * inside of a tag, or the inside of `<style>`/`<script>`:
 *
 * - text and ordinary attribute values: `& < > " '` are escaped;
 * - URL attributes (`href`, `src`, `action`, …) whose value starts with the interpolation: the URL is
 *   kept only when it is relative or `http:`, `https:` or `mailto:`; anything else (`javascript:`,
 *   `data:`) becomes `about:invalid#unsafe-url`. After a literal prefix (`href="/nodes/${ref}"`) the
 *   scheme is the template's, and the value is escaped only;
 * - event handlers (`on…`), `style` attributes, unquoted attribute values, the inside of a tag, and
 *   `<style>`/`<script>`: a string is refused with an error, because no escaping makes it safe there.
 *   Only markup made by this renderer or by {@link trustedHtml} may go inside a tag (`${selected}`).
 *
 * Trusted markup enters only through {@link trustedHtml}, so `grep -rn trustedHtml src` lists every
 * place where markup is not escaped. Nothing rewrites generated HTML with regular expressions.
 * @module
 */

const BRAND = Symbol('marco.html');

/** Markup that is safe to insert as is: made by {@link html} or by {@link trustedHtml}, never by hand. */
export class Html {
  readonly text: string;
  /** The brand is private to this module: no other code can make an `Html`. */
  constructor(brand: symbol, text: string) {
    if (brand !== BRAND) throw new TypeError('Html is made by html`` or trustedHtml() only');
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text with `& < > " '` escaped: safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/**
 * Markup inserted without escaping. Every use must say why it is safe (`reason`), for the reviewer who
 * greps for it: markup built by Marco from escaped parts, or a fixed stylesheet.
 */
export function trustedHtml(markup: string, reason: string): Html {
  if (reason.trim() === '') throw new TypeError('trustedHtml needs the reason its markup is safe');
  return new Html(BRAND, markup);
}

/** Attributes whose value is a URL that a browser follows or loads. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'poster',
  'cite',
  'background',
  'srcset',
  'ping',
]);

/** The URL when it is relative or uses a scheme that cannot run script; a dead URL otherwise. */
export function safeUrl(url: string): string {
  // Browsers ignore control characters and spaces around a scheme (`java\tscript:`): strip them to judge.
  // eslint-disable-next-line no-control-regex
  const judged = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(judged)?.[1];
  if (scheme === undefined || ['http', 'https', 'mailto'].includes(scheme)) return url;
  return 'about:invalid#unsafe-url';
}

/** Where an interpolation lands. */
type Slot =
  | { kind: 'text' }
  | { kind: 'attribute'; name: string; atStart: boolean }
  | { kind: 'tag' }
  | { kind: 'refused'; why: string };

/** The tokenizer's state between two literal parts. */
type State =
  | { in: 'text' }
  | { in: 'rawtext'; element: string }
  | { in: 'comment' }
  | { in: 'tag' }
  | { in: 'attribute-name'; name: string }
  | { in: 'before-value'; name: string }
  | { in: 'value'; name: string; quote: '"' | "'"; empty: boolean }
  | { in: 'unquoted'; name: string };

const RAW_TEXT = new Set(['style', 'script', 'textarea', 'title', 'xmp', 'noscript']);

/** Reads one literal part from `state`, returning the state at its end. */
function advance(state: State, text: string): State {
  let s = state;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    switch (s.in) {
      case 'text': {
        if (text.startsWith('<!--', i)) {
          s = { in: 'comment' };
          i += 4;
          continue;
        }
        const open = /^<\/?([A-Za-z][\w:-]*)/.exec(text.slice(i, i + 64));
        if (open) {
          const closing = open[0].startsWith('</');
          i += open[0].length;
          const name = open[1]!.toLowerCase();
          s = { in: 'tag' };
          if (!closing && RAW_TEXT.has(name) && name !== 'title' && name !== 'textarea') {
            // After the tag's `>` the element's content is raw text; remember which element.
            const end = text.indexOf('>', i);
            if (end >= 0) {
              s = { in: 'rawtext', element: name };
              i = end + 1;
              continue;
            }
            throw new TypeError(`html: interpolation inside the <${name}> tag is not supported`);
          }
          continue;
        }
        i++;
        continue;
      }
      case 'rawtext': {
        const close = text.toLowerCase().indexOf(`</${s.element}`, i);
        if (close < 0) return s;
        s = { in: 'text' };
        i = close;
        continue;
      }
      case 'comment': {
        const end = text.indexOf('-->', i);
        if (end < 0) return s;
        s = { in: 'text' };
        i = end + 3;
        continue;
      }
      case 'tag':
        if (ch === '>') s = { in: 'text' };
        else if (/[^\s/"'=<>`]/.test(ch)) s = { in: 'attribute-name', name: ch.toLowerCase() };
        i++;
        continue;
      case 'attribute-name':
        if (ch === '=') s = { in: 'before-value', name: s.name };
        else if (ch === '>') s = { in: 'text' };
        else if (/\s|\//.test(ch)) s = { in: 'tag' };
        else s = { in: 'attribute-name', name: s.name + ch.toLowerCase() };
        i++;
        continue;
      case 'before-value':
        if (ch === '"' || ch === "'") s = { in: 'value', name: s.name, quote: ch, empty: true };
        else if (!/\s/.test(ch)) s = { in: 'unquoted', name: s.name };
        i++;
        continue;
      case 'value':
        if (ch === s.quote) s = { in: 'tag' };
        else if (s.empty) s = { ...s, empty: false };
        i++;
        continue;
      case 'unquoted':
        if (/\s/.test(ch)) s = { in: 'tag' };
        else if (ch === '>') s = { in: 'text' };
        i++;
        continue;
    }
  }
  return s;
}

function slotOf(state: State): Slot {
  switch (state.in) {
    case 'text':
    case 'comment':
      return { kind: 'text' };
    case 'value': {
      const name = state.name;
      if (name.startsWith('on')) return { kind: 'refused', why: `the event handler ${name}` };
      if (name === 'style') return { kind: 'refused', why: 'a style attribute (use a class)' };
      return { kind: 'attribute', name, atStart: state.empty };
    }
    case 'tag':
      return { kind: 'tag' };
    case 'rawtext':
      return { kind: 'refused', why: `a <${state.element}> element` };
    case 'attribute-name':
    case 'before-value':
    case 'unquoted':
      return { kind: 'refused', why: 'an unquoted attribute (quote it)' };
  }
}

/** The slots of a template's interpolations, computed once per call site. */
const SLOTS = new WeakMap<TemplateStringsArray, Slot[]>();

function slotsOf(strings: TemplateStringsArray): Slot[] {
  let slots = SLOTS.get(strings);
  if (slots) return slots;
  slots = [];
  let state: State = { in: 'text' };
  for (let i = 0; i < strings.length - 1; i++) {
    state = advance(state, strings[i]!);
    slots.push(slotOf(state));
  }
  SLOTS.set(strings, slots);
  return slots;
}

type Value = Html | string | number | null | undefined | false | readonly Value[];

function render(value: Value, slot: Slot): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map((v: Value) => render(v, slot)).join('');
  if (value instanceof Html) {
    if (slot.kind === 'attribute' || slot.kind === 'refused')
      throw new TypeError(
        `html: markup cannot go into ${slot.kind === 'refused' ? slot.why : 'an attribute'}`,
      );
    return value.text;
  }
  const text = String(value);
  switch (slot.kind) {
    case 'text':
      return escapeHtml(text);
    case 'attribute':
      // A URL's scheme is decided by its start: after a literal prefix (`/nodes/${ref}`) there is none.
      return escapeHtml(URL_ATTRIBUTES.has(slot.name) && slot.atStart ? safeUrl(text) : text);
    case 'tag':
      if (text === '') return '';
      throw new TypeError('html: only markup made by html`` may go inside a tag');
    case 'refused':
      throw new TypeError(`html: no text may be interpolated into ${slot.why}`);
  }
}

/**
 * `html\`<p title="${title}">${text}</p>\``: escapes each value for where it lands, joins arrays, keeps
 * {@link Html} in text and tag positions. Throws on an interpolation no escaping can make safe.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  const slots = slotsOf(strings);
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!, slots[i]!) + strings[i + 1]!;
  return new Html(BRAND, out);
}
