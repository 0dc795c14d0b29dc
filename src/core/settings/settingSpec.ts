/**
 * What a setting is, independent of any one setting: its kind, bounds, default, help, and the
 * name it has on the command line and in the studio's link. Parsing and checking live here too, so
 * the studio, the CLI, the link and the worker all reject a value for the same reason in the same words.
 */

interface SpecBase {
  /** The name a person reads: the studio's field label. */
  label: string;
  /** One line of help: the studio shows it under the field, the CLI's --help beside the flag. */
  help: string;
  /** The CLI flag without its dashes, which is also the key in the studio's link. */
  flag: string;
}

export interface NumberSpec extends SpecBase {
  kind: 'int' | 'number';
  min: number;
  max: number;
  /** Whether `min` itself is allowed (a learning rate must be above 0, a seed may be 0). */
  minInclusive?: boolean;
  /** Undefined: the setting is optional and something else decides (the model, the step count). */
  default: number | undefined;
  /** The unit shown after a value ("tokens", "steps"); none for plain numbers. */
  unit?: string;
  /** Step of the studio's number field. */
  step?: number;
  /** What an undefined value means, for --help ("the model's own"). */
  unsetMeans?: string;
}

export interface ChoiceSpec<T extends string = string> extends SpecBase {
  kind: 'choice';
  choices: ReadonlyArray<{ value: T; label: string }>;
  default: T;
}

/** Free text, such as the input template. */
export interface TextSpec extends SpecBase {
  kind: 'text';
  default: string;
  /** The longest value accepted, in characters. */
  maxLength: number;
  /** The name of its value in --help ("T"). */
  metavar: string;
}

export type SettingSpec = NumberSpec | ChoiceSpec | TextSpec;

export interface SettingProblem {
  key: string;
  message: string;
}

const fmt = (x: number) => String(x);

/** The sentence that says what a setting accepts: "a whole number from 1 to 500". */
export function accepts(spec: SettingSpec): string {
  if (spec.kind === 'choice') return `one of ${spec.choices.map((c) => c.value).join(', ')}`;
  if (spec.kind === 'text') return `text of at most ${spec.maxLength} characters`;
  const lower = spec.minInclusive === false ? `above ${fmt(spec.min)}` : `from ${fmt(spec.min)}`;
  return `${spec.kind === 'int' ? 'a whole number' : 'a number'} ${lower} to ${fmt(spec.max)}`;
}

/** Undefined when `value` is acceptable for `spec`, else why not. */
export function checkValue(spec: SettingSpec, value: unknown): string | undefined {
  const problem = (got: string) => `${spec.label} must be ${accepts(spec)}; got ${got}`;
  if (value === undefined) return spec.default === undefined ? undefined : `${spec.label} is missing`;
  if (spec.kind === 'choice') return spec.choices.some((c) => c.value === value) ? undefined : problem(JSON.stringify(value));
  if (spec.kind === 'text') return typeof value === 'string' && value.length <= spec.maxLength ? undefined : problem(typeof value === 'string' ? `${value.length} characters` : JSON.stringify(value));
  if (typeof value !== 'number') return problem(JSON.stringify(value));
  if (Number.isNaN(value)) return problem('nothing');
  const belowMin = spec.minInclusive === false ? value <= spec.min : value < spec.min;
  if ((spec.kind === 'int' && !Number.isInteger(value)) || belowMin || value > spec.max) return problem(fmt(value));
  return undefined;
}

/** Text (a CLI flag's value, a link parameter) to a value; a problem instead when it is not one. */
export function parseValue(spec: SettingSpec, text: string): { value?: string | number; problem?: string } {
  if (spec.kind === 'choice' || spec.kind === 'text') {
    const problem = checkValue(spec, text);
    return problem ? { problem } : { value: text };
  }
  const trimmed = text.trim();
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (Number.isNaN(value)) return { problem: `${spec.label} must be ${accepts(spec)}; got "${text}"` };
  const problem = checkValue(spec, value);
  return problem ? { problem } : { value };
}

/** "--prompt-length N   Soft prompt tokens … (default 100; a whole number from 1 to 500)". */
export function helpLine(spec: SettingSpec, width = 26): string {
  const metavar = spec.kind === 'choice' ? spec.choices.map((c) => c.value).join('|') : spec.kind === 'text' ? spec.metavar : spec.kind === 'int' ? 'N' : 'X';
  const flag = `--${spec.flag} ${metavar}`;
  const fallback = spec.default === undefined ? ((spec as NumberSpec).unsetMeans ?? 'unset') : spec.kind === 'text' ? JSON.stringify(spec.default) : String(spec.default);
  const range = spec.kind === 'choice' || spec.kind === 'text' ? '' : `; ${accepts(spec)}`;
  return `  ${flag.padEnd(width)} ${spec.help} (default ${fallback}${range})`;
}
