/**
 * What the training loop is told: the user's training settings (their defaults and bounds live in
 * the settings contract) plus the loop's own mechanics, which no form or flag exposes.
 */
import { DEFAULT_SETTINGS, SETTING_KEYS, type SettingKey, type TrainingSettings } from '../settings/trainingSettings';
import type { PromptInit } from './promptInit';

type LoopSettings = Pick<TrainingSettings, 'promptLength' | 'init' | 'seed' | 'optimizer' | 'learningRate' | 'batchSize' | 'steps' | 'epochs' | 'evalEvery' | 'patience' | 'ensembleSize'>;

export interface TrainerConfig extends LoopSettings {
  /** Dropout inside the frozen model while training; undefined: the model's own rate. */
  dropoutRate?: number;
  /** Save a checkpoint every N steps (0: never). */
  checkpointEvery: number;
  /** Read the loss back from the device every N steps: the only GPU read in the hot loop. */
  reportEvery: number;
  /**
   * Encoder tokens (padded input + prompt, per row) in one forward/backward pass; a larger batch
   * runs as several passes adding up their gradients. Bounds memory: ~0.6 MB per token on T5-small.
   */
  maxTokensPerPass: number;
  /** Per-member initialisation (cycled); default: `init` for all. */
  ensembleInits?: PromptInit[];
}

export const DEFAULT_TRAINER_CONFIG: TrainerConfig = {
  promptLength: DEFAULT_SETTINGS.promptLength,
  init: DEFAULT_SETTINGS.init,
  seed: DEFAULT_SETTINGS.seed,
  optimizer: DEFAULT_SETTINGS.optimizer,
  learningRate: DEFAULT_SETTINGS.learningRate,
  batchSize: DEFAULT_SETTINGS.batchSize,
  steps: DEFAULT_SETTINGS.steps,
  evalEvery: DEFAULT_SETTINGS.evalEvery,
  patience: DEFAULT_SETTINGS.patience,
  ensembleSize: DEFAULT_SETTINGS.ensembleSize,
  checkpointEvery: 100,
  reportEvery: 10,
  maxTokensPerPass: 2048,
};

/** The part of a (partial) config that the settings contract bounds, for its `validate`. */
export function settingsOf(config: Partial<TrainerConfig>, except: SettingKey[] = []): Partial<TrainingSettings> {
  return Object.fromEntries(SETTING_KEYS.filter((k) => !except.includes(k) && k in config).map((k) => [k, config[k as keyof TrainerConfig]]));
}
