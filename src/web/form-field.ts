/**
 * One labelled field of a form, with its error beside it (`aria-invalid`, `aria-describedby`) and what
 * the reader typed kept after a refusal: a text input, a number, a text area, a list of choices, or a
 * text input with suggestions (`datalist`). Every form of the pages builds its fields here.
 * @module
 */
import { html, type Html } from './html.js';

/** What was typed and each field's error, after a refused post. */
export interface FieldState {
  typed: Record<string, string>;
  errors: Record<string, string>;
}

export interface FieldOptions {
  multiline?: boolean;
  numeric?: boolean;
  required?: boolean;
  /** A list to choose from: `[value, label]` pairs. */
  choices?: readonly (readonly [string, string])[];
  /** Suggestions for a text input: `[value, label]` pairs. */
  suggestions?: readonly (readonly [string, string])[];
  /** A hint under the label. */
  hint?: string;
  /** A file input taking these extensions (`.pdf,.png`), several at once. */
  files?: string;
}

/** The field `name`, labelled `label`, showing `current` unless the reader typed something else. */
export function field(
  name: string,
  label: string,
  current: string,
  state: FieldState | undefined,
  options: FieldOptions = {},
): Html {
  const id = name.replaceAll('.', '-');
  const error = state?.errors[name];
  const value = state?.typed[name] ?? current;
  const described = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const aria = html`${error ? html`aria-invalid="true"` : ''} ${described ? html`aria-describedby="${described}"` : ''} ${options.required ? html`required` : ''}`;
  let input: Html;
  if (options.files !== undefined)
    input = html`<input type="file" id="${id}" name="${name}" multiple accept="${options.files}" ${aria} />`;
  else if (options.multiline)
    input = html`<textarea id="${id}" name="${name}" rows="3" maxlength="2000" ${aria}>${value}</textarea>`;
  else if (options.choices)
    input = html`<select id="${id}" name="${name}" ${aria}>
      ${options.choices.map(
        ([v, l]) => html`<option value="${v}" ${v === value ? html`selected` : ''}>${l}</option>`,
      )}
    </select>`;
  else
    input = html`<input id="${id}" name="${name}" value="${value}" ${options.numeric ? html`inputmode="decimal"` : ''} ${options.suggestions ? html`list="${id}-list" autocomplete="off"` : ''} ${aria} />${
      options.suggestions
        ? html`<datalist id="${id}-list">
            ${options.suggestions.map(([v, l]) => html`<option value="${v}">${l}</option>`)}
          </datalist>`
        : ''
    }`;
  return html`<p>
    <label for="${id}">${label}</label>
    ${options.hint ? html`<span class="small muted" id="${id}-hint">${options.hint}</span>` : ''} ${input}
    ${error ? html`<span class="small warn" id="${id}-error">${error}</span>` : ''}
  </p>`;
}
