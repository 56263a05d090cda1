/**
 * Report templates: the built-in ones shipped in `reports/` (named by their file), or an office's own
 * file. A template is read as YAML with every problem located (file:line:column), and checked against
 * `report-template/1` (`domain/reports/template-schema.ts`): a section the list lacks is refused, with
 * the sections it has.
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { safeParseInput, zodIssues } from '../domain/common-schema.js';
import { readInputDocument } from '../domain/input-document.js';
import { ReportTemplate } from '../domain/reports/template-schema.js';
import { NotFoundError, ValidationError } from '../error.js';
import { PACKAGE_ROOT } from '../package.js';
import { withLocations } from '../records/workspace-load.js';

/** The folder of built-in templates, in the package. */
export const BUILTIN_TEMPLATES = path.join(PACKAGE_ROOT, 'reports');

export interface LoadedTemplate {
  template: ReportTemplate;
  /** The file's text: part of what a report's run hash covers. */
  text: string;
  /** Where it came from: `builtin:NAME` or the file's path. */
  source: string;
}

/** The built-in templates' names, sorted. */
export async function builtinTemplateNames(): Promise<string[]> {
  const files = await readdir(BUILTIN_TEMPLATES);
  return files
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Parses a template's text; `name` names the file in errors. */
export function parseTemplate(text: string, name: string): ReportTemplate {
  const doc = readInputDocument(text, name);
  const parsed = safeParseInput(ReportTemplate, doc.data);
  if (!parsed.success)
    // A template is a file an office writes, checked against the reports format: nothing is written.
    throw new ValidationError(
      withLocations(zodIssues(parsed.error, [], 'docs/reports.md'), doc.locate, parsed.error),
      name,
      'file',
    );
  return parsed.data;
}

/**
 * The template `nameOrFile`: a built-in name (`framework-performance`), else a path to a YAML file. An
 * unknown name that is no file is not found, with the built-in names.
 */
export async function loadTemplate(nameOrFile: string): Promise<LoadedTemplate> {
  const builtins = await builtinTemplateNames();
  if (builtins.includes(nameOrFile)) {
    const file = path.join(BUILTIN_TEMPLATES, `${nameOrFile}.yaml`);
    const text = await readFile(file, 'utf8');
    return {
      template: parseTemplate(text, `reports/${nameOrFile}.yaml`),
      text,
      source: `builtin:${nameOrFile}`,
    };
  }
  let text: string;
  try {
    text = await readFile(nameOrFile, 'utf8');
  } catch {
    throw new NotFoundError('report template', `${nameOrFile} (${builtins.join(', ')})`);
  }
  return { template: parseTemplate(text, nameOrFile), text, source: nameOrFile };
}
