import { describe, expect, it } from 'vitest';
import { ValidationError } from '../error.js';
import { readInputDocument } from './input-document.js';

/** The ValidationError `readInputDocument(text, name)` throws. */
function refusal(text: string, name = 'bad.yaml'): ValidationError {
  try {
    readInputDocument(text, name);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('the document was accepted');
}

const WORKSPACE = `marco: workspace/1
defaults:
  country: US
  agency: INL
programs:
  - code: P1
    title: { en: One, es: Uno }
    status: active
    indicators:
      - code: P1-A
        baseline: { value: twelve, period: '2017' }
        targets:
          - { period: '2018', value: 10 }
          - { period: '2019', value: 20 }
`;

describe('readInputDocument', () => {
  it('reads YAML into plain data, keeping quoted strings', () => {
    const doc = readInputDocument(WORKSPACE, 'ws.yaml');
    expect(doc.data).toEqual({
      marco: 'workspace/1',
      defaults: { country: 'US', agency: 'INL' },
      programs: [
        {
          code: 'P1',
          title: { en: 'One', es: 'Uno' },
          status: 'active',
          indicators: [
            {
              code: 'P1-A',
              baseline: { value: 'twelve', period: '2017' },
              targets: [
                { period: '2018', value: 10 },
                { period: '2019', value: 20 },
              ],
            },
          ],
        },
      ],
    });
  });

  it('locates any path as file:line:column of its value', () => {
    const doc = readInputDocument(WORKSPACE, 'ws.yaml');
    expect(doc.locate([])).toBe('ws.yaml:1:1');
    expect(doc.locate(['marco'])).toBe('ws.yaml:1:8');
    expect(doc.locate(['defaults'])).toBe('ws.yaml:3:3');
    expect(doc.locate(['defaults', 'agency'])).toBe('ws.yaml:4:11');
    expect(doc.locate(['programs', 0])).toBe('ws.yaml:6:5');
    expect(doc.locate(['programs', 0, 'title', 'es'])).toBe('ws.yaml:7:27');
    expect(doc.locate(['programs', 0, 'indicators', 0, 'baseline', 'value'])).toBe('ws.yaml:11:28');
    expect(doc.locate(['programs', 0, 'indicators', 0, 'targets', 1, 'value'])).toBe('ws.yaml:14:38');
  });

  it('locates a missing path at its nearest existing parent', () => {
    const doc = readInputDocument(WORKSPACE, 'ws.yaml');
    expect(doc.locate(['programs', 0, 'indicators', 0, 'targets', 5, 'value'])).toBe('ws.yaml:13:11');
    expect(doc.locate(['programs', 0, 'status', 'deeper'])).toBe('ws.yaml:8:13');
    expect(doc.locate(['programs', 3])).toBe('ws.yaml:6:3');
    expect(doc.locate(['results', 0, 'value'])).toBe('ws.yaml:1:1');
  });

  it('locates an empty value, an alias and the items of an indented list', () => {
    const doc = readInputDocument('\n\n  - x: &v 1\n    y:\n  - *v\n', 'list.yaml');
    expect(doc.data).toEqual([{ x: 1, y: null }, 1]);
    expect(doc.locate([])).toBe('list.yaml:3:3');
    expect(doc.locate([0, 'y'])).toBe('list.yaml:4:7');
    expect(doc.locate([1])).toBe('list.yaml:5:5');
    expect(doc.locate([2])).toBe('list.yaml:3:3');
  });

  it('reads JSON too, located in its one line', () => {
    const doc = readInputDocument('{"a": {"b": [1, "x"]}}', 'body.json');
    expect(doc.data).toEqual({ a: { b: [1, 'x'] } });
    expect(doc.locate(['a', 'b', 1])).toBe('body.json:1:17');
    expect(doc.locate(['a'])).toBe('body.json:1:7');
  });

  it('locates a scalar document at its start, whatever the path', () => {
    const doc = readInputDocument('  hello\n', 'scalar.yaml');
    expect(doc.data).toBe('hello');
    expect(doc.locate([])).toBe('scalar.yaml:1:3');
    expect(doc.locate(['a', 0])).toBe('scalar.yaml:1:3');
  });

  it('reads an empty document as null, located by the file name alone', () => {
    for (const text of ['', '# only a comment\n']) {
      const doc = readInputDocument(text, 'empty.yaml');
      expect(doc.data).toBeNull();
      expect(doc.locate([])).toBe('empty.yaml');
      expect(doc.locate(['a', 1])).toBe('empty.yaml');
    }
  });

  it('refuses duplicate keys, located at the second one', () => {
    const error = refusal('marco: workspace/1\ndefaults: {}\nmarco: workspace/2\n');
    expect(error.issues).toEqual([{ path: 'bad.yaml:3:1', message: 'Map keys must be unique' }]);
    expect(error.source).toBe('bad.yaml');
    expect(error.message).toBe(
      'bad.yaml: 1 problem; nothing was written\n  bad.yaml:3:1: Map keys must be unique',
    );
    expect(refusal('key: {a: 1, a: 2}\n', 'flow.yaml').issues).toEqual([
      { path: 'flow.yaml:1:13', message: 'Map keys must be unique' },
    ]);
  });

  it('refuses a syntax error with the first line of its message', () => {
    expect(refusal('a: [1\n').issues).toEqual([
      {
        path: 'bad.yaml:2:1',
        message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
    expect(refusal('a: "open\n').issues).toEqual([
      { path: 'bad.yaml:2:1', message: 'Missing closing "quote' },
    ]);
    expect(refusal('a:\n\tb: 1\n').issues).toEqual([
      { path: 'bad.yaml:2:1', message: 'Tabs are not allowed as indentation' },
    ]);
  });

  it('keeps only the first line of a message that spans several', () => {
    // yaml quotes the bad escape with the line break that follows it.
    expect(refusal('a: "\\x4\n  b"\n').issues).toEqual([
      { path: 'bad.yaml:1:5', message: 'Invalid escape sequence \\x4' },
    ]);
  });

  it('reports every syntax error at once', () => {
    expect(refusal('a: 1\n b: 2\nc: : :\n').issues).toEqual([
      { path: 'bad.yaml:1:4', message: 'Nested mappings are not allowed in compact mappings' },
      { path: 'bad.yaml:1:4', message: 'Implicit keys need to be on a single line' },
      { path: 'bad.yaml:3:4', message: 'Nested mappings are not allowed in compact mappings' },
      { path: 'bad.yaml:3:6', message: 'Nested mappings are not allowed in compact mappings' },
    ]);
  });

  it('refuses several documents in one file', () => {
    expect(refusal('a: 1\n---\nb: 2\n').issues).toEqual([
      {
        path: 'bad.yaml:2:1',
        message: 'Source contains multiple documents; please use YAML.parseAllDocuments()',
      },
    ]);
  });

  it('refuses an alias bomb, and an alias without its anchor, as input', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    const error = refusal(bomb, 'bomb.yaml');
    expect(error.issues).toEqual([
      { path: 'bomb.yaml', message: 'Excessive alias count indicates a resource exhaustion attack' },
    ]);
    expect(error.source).toBe('bomb.yaml');
    expect(refusal('a: *nope\n').issues).toEqual([
      { path: 'bad.yaml', message: 'Unresolved alias (the anchor must be set before the alias): nope' },
    ]);
  });

  it('accepts a scalar anchored once and aliased 99 times, not 100', () => {
    const text = (n: number) => `a: &a 1\nb: [${Array(n).fill('*a').join(', ')}]\n`;
    expect(readInputDocument(text(99), 'ok.yaml').data).toEqual({ a: 1, b: Array(99).fill(1) });
    expect(refusal(text(100), 'many.yaml').issues).toEqual([
      { path: 'many.yaml', message: 'Excessive alias count indicates a resource exhaustion attack' },
    ]);
  });
});
