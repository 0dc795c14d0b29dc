/** The Train step's settings as the worker wants them, the "Paper defaults" button, the ETA format. */
import { DEFAULT_SETTINGS, type SettingKey, type TrainingSettings } from '../../core/settings/trainingSettings';
import type { TrainerConfig } from '../../core/tuning/trainerConfig';

/** The settings the Train step shows as fields, in order; the ensemble has its own control. */
export const FORM_KEYS = ['promptLength', 'init', 'optimizer', 'learningRate', 'batchSize', 'steps', 'evalEvery', 'seed'] as const satisfies readonly SettingKey[];

/** The paper's settings for every field and the ensemble; the Data step's validation split and input template are kept. */
export function paperDefaults(current: TrainingSettings): TrainingSettings {
  return { ...DEFAULT_SETTINGS, validationFraction: current.validationFraction, template: current.template };
}

export function toTrainerConfig(s: TrainingSettings): Partial<TrainerConfig> {
  return {
    promptLength: s.promptLength,
    init: s.init,
    optimizer: s.optimizer,
    learningRate: s.learningRate,
    batchSize: s.batchSize,
    steps: s.steps,
    epochs: s.epochs,
    evalEvery: s.evalEvery,
    patience: s.patience,
    dropoutRate: s.dropoutRate,
    seed: s.seed,
    ensembleSize: s.ensembleSize,
    // The chart shows every step; a checkpoint at least every 25 steps bounds what a closed tab loses.
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
