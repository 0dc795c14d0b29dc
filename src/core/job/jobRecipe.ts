/**
 * recipe.json: everything train.py needs besides the data, written from the same settings contract
 * the studio and the CLI train with. Every setting appears under its contract key (null where it is
 * unset), with the contract's bounds beside it, so the job's dry run checks a hand-edited recipe
 * by the studio's own limits without train.py repeating them.
 */
import { PAPER_ADAFACTOR } from '../tuning/adafactorConfig';
import { SETTING_KEYS, stepCount, TRAINING_SETTINGS, type OptimizerName, type SettingKey, type TrainingSettings } from '../settings/trainingSettings';
import type { TaskSpec } from '../task/task';
import type { ClusterProfile } from './clusterConfigs';
import type { JobModel } from './jobModel';

export const RECIPE_FORMAT = 'prompt-tuning-studio/job';
/** Bumped whenever train.py could no longer read an older recipe. */
export const RECIPE_VERSION = 1;

export type SettingValue = number | string | null;

export interface SettingLimit {
  kind: 'int' | 'number' | 'choice';
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

export interface JobRecipe {
  format: typeof RECIPE_FORMAT;
  version: typeof RECIPE_VERSION;
  created: string;
  model: JobModel;
  settings: Record<SettingKey, SettingValue>;
  settingLimits: Record<SettingKey, SettingLimit>;
  /** Optimiser steps, `epochs` already turned into steps as the studio's trainer does. */
  steps: number;
  task: TaskSpec;
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

export function makeRecipe(p: RecipeParts): JobRecipe {
  return {
    format: RECIPE_FORMAT,
    version: RECIPE_VERSION,
    created: p.created.toISOString(),
    model: p.model,
    settings: recipeSettings(p.settings),
    settingLimits: settingLimits(),
    steps: stepCount(p.settings, p.data.train.rows),
    task: { labels: p.task.labels, targetTexts: p.task.targetTexts, template: p.task.template, maxInputTokens: p.task.maxInputTokens },
    data: p.data,
    ...(p.warmStart ? { warmStart: p.warmStart } : {}),
    optimizer: recipeOptimizer(p.settings.optimizer),
    cluster: p.cluster,
  };
}
