/**
 * Input templates: "{text}" is the example's text column, and any other "{name}" a column of the
 * same name, so inputs with several fields read `question: {question} context: {context}`.
 */

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
