/** The training controls' values and the paper's defaults (Lester et al. 2021, section 3). */
import type { OptimizerName } from '../../core/tuning/optimizerFactory';
import { DEFAULT_LEARNING_RATE } from '../../core/tuning/optimizerFactory';
import type { PromptInit } from '../../core/tuning/promptInit';
import type { TrainerConfig } from '../../core/tuning/trainer';

export interface TrainSettings {
  promptLength: number;
  init: PromptInit;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  steps: number;
  evalEvery: number;
  seed: number;
  ensemble: boolean;
  ensembleSize: number;
}

export const PAPER_SETTINGS: TrainSettings = {
  promptLength: 100,
  init: 'labels',
  optimizer: 'adafactor',
  learningRate: DEFAULT_LEARNING_RATE.adafactor,
  batchSize: 32,
  steps: 1000,
  evalEvery: 50,
  seed: 0,
  ensemble: false,
  ensembleSize: 5,
};

export function toTrainerConfig(s: TrainSettings): Partial<TrainerConfig> {
  return {
    promptLength: s.promptLength,
    init: s.init,
    optimizer: s.optimizer,
    learningRate: s.learningRate,
    batchSize: s.batchSize,
    steps: s.steps,
    evalEvery: s.evalEvery,
    seed: s.seed,
    ensembleSize: s.ensemble ? s.ensembleSize : 1,
    reportEvery: 1,
    checkpointEvery: Math.max(1, Math.min(25, s.evalEvery || 25)),
  };
}

/** "3 min 20 s" style durations for the ETA. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
