/**
 * The studio's set-up as a link: the model, the data's columns and every training setting that
 * differs from its default, in the URL's hash (`#model=demo&text=review&prompt-length=20`). Never
 * the data itself: it stays on the machine. Setting keys are the CLI's flag names, so a link and a
 * command line read alike. Reading a link never throws: a bad or unknown part is left at its
 * default and said in words.
 */
import { parseValue } from './settingSpec';
import { DEFAULT_SETTINGS, SETTING_KEYS, TRAINING_SETTINGS, validate, type TrainingSettings } from './trainingSettings';

export interface StudioLink {
  /** A model preset's id, or a Hugging Face repo id ("google/flan-t5-small"). */
  model?: string;
  textColumn?: string;
  labelColumn?: string;
  /** Only the settings the link sets; the rest stay at their defaults. */
  settings: Partial<TrainingSettings>;
}

const MODEL = 'model';
const TEXT = 'text';
const LABEL = 'label';

/** Hub repo ids and preset ids: the only model names a link may carry (never a URL to fetch from). */
const MODEL_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

const KEY_BY_FLAG = new Map(SETTING_KEYS.map((k) => [TRAINING_SETTINGS[k].flag, k]));

/** The hash (without "#") for this set-up; settings equal to their default are left out. */
export function encodeLink(link: StudioLink): string {
  const params = new URLSearchParams();
  if (link.model) params.set(MODEL, link.model);
  if (link.textColumn) params.set(TEXT, link.textColumn);
  if (link.labelColumn) params.set(LABEL, link.labelColumn);
  for (const key of SETTING_KEYS) {
    const value = link.settings[key];
    if (value === undefined || value === DEFAULT_SETTINGS[key]) continue;
    params.set(TRAINING_SETTINGS[key].flag, String(value));
  }
  return params.toString();
}

/** What a hash says, and a sentence for each part that could not be used. */
export function decodeLink(hash: string): { link: StudioLink; problems: string[] } {
  const problems: string[] = [];
  const link: StudioLink = { settings: {} };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(hash.replace(/^#/, ''));
  } catch {
    return { link, problems: ['the link could not be read; the defaults are used'] };
  }
  const settings: Record<string, string | number> = {};
  for (const [name, text] of params) {
    if (name === MODEL) {
      if (MODEL_ID.test(text)) link.model = text;
      else problems.push(`the link's model "${text}" is not a model name; choose a model below`);
    } else if (name === TEXT) link.textColumn = text;
    else if (name === LABEL) link.labelColumn = text;
    else {
      const key = KEY_BY_FLAG.get(name);
      if (!key) {
        problems.push(`the link has an unknown setting "${name}"; it was ignored`);
        continue;
      }
      const parsed = parseValue(TRAINING_SETTINGS[key], text);
      if (parsed.problem) problems.push(`${parsed.problem}, so the default is used`);
      else settings[key] = parsed.value!;
    }
  }
  // Combinations (a prompt longer than the input allows) drop the later setting, keeping the rest.
  for (const p of validate(settings)) {
    problems.push(`${p.message}, so the default is used`);
    delete settings[p.key];
  }
  link.settings = settings as Partial<TrainingSettings>;
  return { link, problems };
}
