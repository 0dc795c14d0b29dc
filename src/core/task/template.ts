/**
 * Input templates: "{text}" is the example's text column, and any other "{name}" a column of the
 * same name, so inputs with several fields read `question: {question} context: {context}`.
 */
import { listNames } from '../data/csvTable';
import { findColumn } from '../data/dataset';

const FIELD = /\{([^{}]+)\}/g;

/** The names a template refers to, in order, without repeats ("text" included when used). */
export function templateFields(template: string): string[] {
  return [...new Set([...template.matchAll(FIELD)].map((m) => m[1]!))];
}

/** The columns a template needs besides the text column. */
export function extraTemplateFields(template: string | undefined): string[] {
  return template ? templateFields(template).filter((f) => f !== 'text') : [];
}

/**
 * Fills a template. Without any "{...}" the text is appended (a plain prefix, as before); a name
 * with no value is left as written, so a mistake shows in the input instead of vanishing.
 */
export function applyTemplate(template: string, text: string, fields: Readonly<Record<string, string>> = {}): string {
  if (templateFields(template).length === 0) return `${template}${text}`;
  return template.replace(FIELD, (whole, name: string) => (name === 'text' ? text : (fields[name] ?? whole)));
}

/**
 * What is wrong with a template for data with these columns, in a sentence that says what to do;
 * undefined when nothing is. "{text}" is always the text column; naming the label column would
 * show the model its answer, so that is refused too.
 */
export function templateProblem(template: string, columns: readonly string[], labelColumn?: string): string | undefined {
  const fields = extraTemplateFields(template);
  const unknown = fields.filter((f) => findColumn(columns, f) === undefined);
  if (unknown.length) {
    const names = unknown.map((f) => `{${f}}`).join(', ');
    return `the template names ${names}, but the data has no ${unknown.length === 1 ? 'such column' : 'such columns'}; the columns are ${listNames(columns)} ({text} is the text column)`;
  }
  const label = labelColumn === undefined ? undefined : fields.find((f) => findColumn(columns, f) === labelColumn);
  if (label !== undefined) return `the template names {${label}}, the label column: the model would read the answer it is meant to write; use the other columns`;
  return undefined;
}
