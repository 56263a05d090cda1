/**
 * Reads YAML or JSON input text into plain data, keeping enough of the source to locate any JSON path
 * as `file:line:column` in error messages.
 * @module
 */
import { isCollection, LineCounter, parseDocument, type Document } from 'yaml';
import { ValidationError, type Issue } from '../error.js';

export interface InputDocument {
  data: unknown;
  /** `name:line:column` of the value at `path`, or of its nearest existing parent. */
  locate(path: readonly PropertyKey[]): string;
}

/** Parses YAML (JSON is YAML too). Syntax errors raise a ValidationError located at line and column. */
export function readInputDocument(text: string, name: string): InputDocument {
  const lineCounter = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const issues: Issue[] = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return { path: `${name}:${pos.line}:${pos.col}`, message: e.message.split('\n')[0] ?? e.message };
    });
    throw new ValidationError(issues, name);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // e.g. an alias "billion laughs": refuse it as input, like any other malformed document.
    throw new ValidationError([{ path: name, message: (error as Error).message }], name);
  }
  return {
    data,
    locate(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth) as unknown[], true) as
          { range?: [number, number, number] } | undefined;
        const range = node && typeof node === 'object' ? node.range : undefined;
        if (range || (depth === 0 && isCollection(doc.contents))) {
          const offset = range?.[0] ?? doc.contents?.range?.[0] ?? 0;
          const pos = lineCounter.linePos(offset);
          return `${name}:${pos.line}:${pos.col}`;
        }
      }
      return name;
    },
  };
}
