/**
 * recipe.json: everything train.py needs besides the data, written from the same settings contract
 * the studio and the CLI train with. Every setting appears under its contract key (null where it is
 * unset), with the contract's bounds beside it, so the job's dry run checks a hand-edited recipe
 * by the studio's own limits without train.py repeating them.
 */
import { PAPER_ADAFACTOR } from '../tuning/adafactorConfig';
import { SETTING_KEYS, stepCount, TRAINING_SETTINGS, type OptimizerName, type SettingKey, type TrainingSettings } from '../settings/trainingSettings';
import type { TaskSpec } from '../task/task';
import { extraTemplateFields } from '../task/template';
import type { ClusterProfile } from './clusterConfigs';
import type { JobModel } from './jobModel';

export const RECIPE_FORMAT = 'prompt-tuning-studio/job';
/** Bumped whenever train.py could no longer read an older recipe. */
export const RECIPE_VERSION = 1;

export type SettingValue = number | string | null;

export interface SettingLimit {
  kind: 'int' | 'number' | 'choice' | 'text';
  /** Text settings: the longest value accepted. */
  maxLength?: number;
  min?: number;
  max?: number;
  minInclusive?: boolean;
  choices?: string[];
  /** The setting may be null (the contract has no default for it). */
  optional?: boolean;
}

export interface DataFileEntry {
  /** Relative to the job folder, e.g. "data/train.csv". */
  file: string;
  rows: number;
  sha256: string;
}

export interface RecipeOptimizer {
  name: OptimizerName;
  decayRate?: number;
  epsilon?: number;
  clipThreshold?: number;
  weightDecay?: number;
  beta1?: number | null;
  beta2?: number;
  scaleParameter?: boolean;
  relativeStep?: boolean;
}

/**
 * The task as train.py reads it. Classification: the labels and the text each is trained to write.
 * Text to text (`kind` "text"): each row's own target is its answer, so no label set is written;
 * `initTexts` are the targets the `labels` initialisation averages, in the studio's order.
 * `fields`: the columns besides text and label that the template names (the data files carry them).
 */
export interface RecipeTask extends Pick<TaskSpec, 'labels' | 'targetTexts' | 'template' | 'maxInputTokens'> {
  kind?: 'text';
  fields?: string[];
  initTexts?: string[];
}

export interface JobRecipe {
  format: typeof RECIPE_FORMAT;
  version: typeof RECIPE_VERSION;
  created: string;
  model: JobModel;
  settings: Record<SettingKey, SettingValue>;
  settingLimits: Record<SettingKey, SettingLimit>;
  /** Optimiser steps, `epochs` already turned into steps as the studio's trainer does. */
  steps: number;
  task: RecipeTask;
  data: { train: DataFileEntry; validation?: DataFileEntry; test?: DataFileEntry };
  warmStart?: { file: string; sha256: string; length: number; width: number };
  optimizer: RecipeOptimizer;
  cluster: ClusterProfile;
}

/**
 * The optimiser's fixed constants. Adafactor: the paper's (adafactor.ts), with parameter scaling,
 * relative steps and momentum off. Adam: TF.js's defaults, which the studio trains with.
 */
export function recipeOptimizer(name: OptimizerName): RecipeOptimizer {
  if (name === 'adam') return { name, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  const { decayRate, epsilon, clipThreshold, weightDecay } = PAPER_ADAFACTOR;
  return { name, decayRate, epsilon, clipThreshold, weightDecay, beta1: null, scaleParameter: false, relativeStep: false };
}

/** Each setting's bounds from the contract, as train.py's dry run checks them. */
export function settingLimits(): Record<SettingKey, SettingLimit> {
  return Object.fromEntries(
    SETTING_KEYS.map((key) => {
      const spec = TRAINING_SETTINGS[key];
      const optional = spec.default === undefined ? { optional: true } : {};
      if (spec.kind === 'choice') return [key, { kind: 'choice', choices: spec.choices.map((c) => c.value) }];
      if (spec.kind === 'text') return [key, { kind: 'text', maxLength: spec.maxLength }];
      return [key, { kind: spec.kind, min: spec.min, max: spec.max, ...(spec.minInclusive === false ? { minInclusive: false } : {}), ...optional }];
    }),
  ) as Record<SettingKey, SettingLimit>;
}

/** Every setting under its contract key; unset optional ones as null so the recipe lists them all. */
export function recipeSettings(settings: TrainingSettings): Record<SettingKey, SettingValue> {
  return Object.fromEntries(SETTING_KEYS.map((key) => [key, settings[key] ?? null])) as Record<SettingKey, SettingValue>;
}

export interface RecipeParts {
  model: JobModel;
  settings: TrainingSettings;
  task: TaskSpec;
  data: JobRecipe['data'];
  warmStart?: JobRecipe['warmStart'];
  cluster: ClusterProfile;
  created: Date;
}

export function recipeTask(task: TaskSpec, promptLength: number): RecipeTask {
  const { template, maxInputTokens } = task;
  const fields = extraTemplateFields(template);
  const more = fields.length ? { fields } : {};
  // A text task's "labels" are every distinct answer: only the first P seed the prompt.
  if (task.kind === 'text') return { kind: 'text', labels: [], targetTexts: [], template, maxInputTokens, ...more, initTexts: task.targetTexts.slice(0, promptLength) };
  return { labels: task.labels, targetTexts: task.targetTexts, template, maxInputTokens, ...more };
}

export function makeRecipe(p: RecipeParts): JobRecipe {
  return {
    format: RECIPE_FORMAT,
    version: RECIPE_VERSION,
    created: p.created.toISOString(),
    model: p.model,
    settings: recipeSettings(p.settings),
    settingLimits: settingLimits(),
    steps: stepCount(p.settings, p.data.train.rows),
    task: recipeTask(p.task, p.settings.promptLength),
    data: p.data,
    ...(p.warmStart ? { warmStart: p.warmStart } : {}),
    optimizer: recipeOptimizer(p.settings.optimizer),
    cluster: p.cluster,
  };
}
