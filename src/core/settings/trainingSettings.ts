/**
 * Every training setting in one table: default, bounds, unit and one line of help (the model is
 * PEFT's PromptTuningConfig and TensorFlow Playground's state.ts). The studio's fields and its
 * "Paper defaults" button, the CLI's flags and --help, the studio's link and the worker read it;
 * no default or bound is written anywhere else. Free of TF.js, so the UI can import it cheaply.
 *
 * Defaults are the paper's (Lester, Al-Rfou & Constant 2021, section 3): 100 prompt tokens
 * initialised from the class labels, Adafactor at a constant 0.3, batch 32.
 */
import { checkValue, type ChoiceSpec, type NumberSpec, type SettingProblem, type TextSpec } from './settingSpec';

export type PromptInit = 'random' | 'vocab' | 'labels';
export const PROMPT_INITS: PromptInit[] = ['random', 'vocab', 'labels'];

export type OptimizerName = 'adafactor' | 'adam';

/** The learning rate each optimiser starts from: the paper's 0.3 for Adafactor; Adam needs a far smaller one. */
export const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = { adafactor: 0.3, adam: 1e-3 };

export interface TrainingSettings {
  promptLength: number;
  init: PromptInit;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  steps: number;
  /** When set, train this many passes over the data instead of `steps`. */
  epochs?: number;
  /** Validate every N steps (0: only at the end). */
  evalEvery: number;
  /** Stop after this many validations without improvement (0: never stop early). */
  patience: number;
  /** Dropout inside the frozen model while training; undefined: the model's own rate. */
  dropoutRate?: number;
  seed: number;
  /** Prompts trained together as an ensemble (1: ordinary prompt tuning). */
  ensembleSize: number;
  /** Share of the labelled examples held out for validation when no validation file is given. */
  validationFraction: number;
  /** Encoder tokens per example, prompt included; longer inputs are truncated. */
  maxInputTokens: number;
  /** How a row is written for the model: "{text}" is its text, "{name}" its column `name` (task/template.ts). */
  template: string;
}

export type SettingKey = keyof TrainingSettings;

const int = (s: Omit<NumberSpec, 'kind'>): NumberSpec => ({ kind: 'int', ...s });
const number = (s: Omit<NumberSpec, 'kind'>): NumberSpec => ({ kind: 'number', ...s });
/** Choices as { value: label }, in the order the studio lists them. */
const choice = <T extends string>(s: Omit<ChoiceSpec<T>, 'kind' | 'choices'> & { choices: Record<T, string> }): ChoiceSpec<T> => ({
  ...s,
  kind: 'choice',
  choices: (Object.entries(s.choices) as Array<[T, string]>).map(([value, label]) => ({ value, label })),
});

export const TRAINING_SETTINGS: { [K in SettingKey]: K extends 'init' ? ChoiceSpec<PromptInit> : K extends 'optimizer' ? ChoiceSpec<OptimizerName> : K extends 'template' ? TextSpec : NumberSpec } = {
  promptLength: int({ label: 'Prompt length', flag: 'prompt-length', default: 100, min: 1, max: 500, unit: 'tokens', help: 'Soft prompt tokens P. The paper uses 100; 20 is nearly as good.' }),
  init: choice<PromptInit>({ label: 'Initialisation', flag: 'init', default: 'labels', choices: { labels: 'class labels', vocab: 'sampled vocabulary', random: 'random uniform [-0.5, 0.5]' }, help: "Class labels (the paper's best), sampled common words, or uniform random." }),
  optimizer: choice<OptimizerName>({ label: 'Optimiser', flag: 'optimizer', default: 'adafactor', choices: { adafactor: 'Adafactor', adam: 'Adam' }, help: 'Adafactor with lr 0.3 as in the paper; Adam needs a far smaller rate.' }),
  learningRate: number({ label: 'Learning rate', flag: 'lr', default: DEFAULT_LEARNING_RATE.adafactor, min: 0, minInclusive: false, max: 10, step: 0.0001, help: 'Constant; the paper uses 0.3 with Adafactor (Adam: 0.001).' }),
  batchSize: int({ label: 'Batch size', flag: 'batch-size', default: 32, min: 1, max: 256, unit: 'examples', help: 'Examples per step (paper: 32). Lower it if the GPU runs out of memory.' }),
  steps: int({ label: 'Steps', flag: 'steps', default: 1000, min: 1, max: 100_000, help: 'Optimiser steps; the best prompt on validation is kept.' }),
  epochs: int({ label: 'Epochs', flag: 'epochs', default: undefined, unsetMeans: 'use --steps', min: 1, max: 10_000, help: 'Passes over the training data; replaces the step count when given.' }),
  evalEvery: int({ label: 'Validate every', flag: 'eval-every', default: 50, min: 0, max: 100_000, unit: 'steps', help: 'Steps between validation runs (accuracy and loss); 0 validates only at the end.' }),
  patience: int({ label: 'Patience', flag: 'patience', default: 0, min: 0, max: 1000, unit: 'validations', help: 'Stop after this many validations without improvement; 0 never stops early.' }),
  dropoutRate: number({ label: 'Dropout', flag: 'dropout', default: undefined, unsetMeans: "the model's own", min: 0, max: 0.9, step: 0.05, help: 'Dropout inside the frozen model while training.' }),
  seed: int({ label: 'Seed', flag: 'seed', default: 0, min: 0, max: 2 ** 31 - 1, help: 'Same seed, same prompt, split and batch order.' }),
  ensembleSize: int({ label: 'Prompts in the ensemble', flag: 'ensemble', default: 1, min: 1, max: 10, unit: 'prompts', help: 'Train several prompts at once (different seeds) in one batched pass; they vote. The paper uses 5.' }),
  validationFraction: number({ label: 'Validation split', flag: 'validation-fraction', default: 0.1, min: 0, max: 0.5, step: 0.01, help: 'Share of the examples held out to validate on (stratified by label).' }),
  maxInputTokens: int({ label: 'Maximum input length', flag: 'max-length', default: 256, min: 8, max: 4096, unit: 'tokens', help: 'Encoder tokens per example, prompt included; longer inputs are truncated.' }),
  template: { kind: 'text', label: 'Input template', flag: 'template', default: '{text}', maxLength: 2000, metavar: 'T', help: 'How each row is written for the model: {text} is its text, {name} its column name ("question: {question} context: {context}").' },
};

export const SETTING_KEYS = Object.keys(TRAINING_SETTINGS) as SettingKey[];

/** The ensemble size the studio's checkbox switches to: the paper's ensembles have 5 prompts. */
export const PAPER_ENSEMBLE_SIZE = 5;

/** Every setting at its default (the learning rate is Adafactor's). */
export const DEFAULT_SETTINGS: TrainingSettings = Object.fromEntries(
  SETTING_KEYS.filter((k) => TRAINING_SETTINGS[k].default !== undefined).map((k) => [k, TRAINING_SETTINGS[k].default]),
) as unknown as TrainingSettings;

/** Defaults for what `given` leaves out; the learning rate follows the chosen optimiser. */
export function withDefaults(given: Partial<TrainingSettings>): TrainingSettings {
  const optimizer = given.optimizer ?? DEFAULT_SETTINGS.optimizer;
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<TrainingSettings>;
  return { ...DEFAULT_SETTINGS, learningRate: DEFAULT_LEARNING_RATE[optimizer] ?? DEFAULT_SETTINGS.learningRate, ...defined };
}

/** Optimiser steps a run takes: `epochs` passes over `trainExamples` in batches when epochs are given, else `steps`. */
export function stepCount(settings: Pick<TrainingSettings, 'steps' | 'epochs' | 'batchSize'>, trainExamples: number): number {
  return settings.epochs ? Math.ceil((settings.epochs * trainExamples) / settings.batchSize) : settings.steps;
}

/**
 * Every problem with these settings at once (an empty list when they are fine): each value against
 * its bounds, then the combinations no single bound catches.
 */
export function validate(settings: Partial<TrainingSettings>): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const key of Object.keys(settings) as SettingKey[]) {
    const spec = TRAINING_SETTINGS[key];
    if (!spec) {
      problems.push({ key, message: `there is no setting "${key}"` });
      continue;
    }
    const message = settings[key] === undefined ? undefined : checkValue(spec, settings[key]);
    if (message) problems.push({ key, message });
  }
  const { promptLength, maxInputTokens } = settings;
  if (promptLength !== undefined && maxInputTokens !== undefined && maxInputTokens - promptLength < 2 && !problems.some((p) => p.key === 'promptLength' || p.key === 'maxInputTokens')) {
    problems.push({ key: 'maxInputTokens', message: `${TRAINING_SETTINGS.maxInputTokens.label} (${maxInputTokens}) leaves no room for text after a ${promptLength}-token prompt; raise it above ${promptLength + 1}` });
  }
  return problems;
}

/** Thrown where settings arrive from a program (the worker, the trainer's callers) rather than a form. */
export class SettingsError extends Error {
  constructor(readonly problems: SettingProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'SettingsError';
  }
}
