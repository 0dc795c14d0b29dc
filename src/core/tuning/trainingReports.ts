/** What the training loop reports and keeps: progress, validations, checkpoints and its result. */
import type * as tf from '@tensorflow/tfjs';
import type { EncodedExample } from '../task/task';
import type { TaskKind } from '../task/taskKind';
import type { OptimizerName } from './optimizerFactory';

export interface TrainingData {
  train: EncodedExample[];
  validation: EncodedExample[];
  /** Target ids (ending in </s>) of each label. */
  targets: number[][];
  /** Label token ids without </s>, for the `labels` initialisation. */
  labelTokenIds?: number[][];
  /** 'text': validation accuracy is the exact match of generated answers (validateText), not rank classification. */
  kind?: TaskKind;
  /** A text task's answers as text: each label's target text and the tokenizer's decode (validation compares normalised texts). */
  text?: { targetTexts: string[]; decode(ids: number[]): string };
}

export interface MemberValidation {
  accuracy: number;
  /** A text task's mean token F1 (accuracy is then the exact match). */
  f1?: number;
  loss: number;
  isBest: boolean;
}

export interface ValidationResult {
  step: number;
  /** The ensemble's (majority vote) accuracy; a single prompt's accuracy when K = 1. Text tasks: exact match. */
  accuracy: number;
  /** Text tasks: the ensemble's (or the single prompt's) mean token F1. */
  f1?: number;
  /** Mean over prompts of the validation token loss. */
  loss: number;
  /** Per prompt, when training an ensemble. */
  members?: MemberValidation[];
}

export interface ProgressReport {
  step: number;
  /** Loss of each step since the previous report, oldest first (the mean over prompts). */
  losses: number[];
  /** memberLosses[k][j]: prompt k's loss at the j-th of those steps. */
  memberLosses: number[][];
  learningRate: number;
  examplesPerSecond: number;
  tokensPerSecond: number;
  elapsedMs: number;
}

export interface BestPrompt {
  step: number;
  accuracy: number;
  loss: number;
  prompt: Float32Array;
}

export interface TrainingCheckpoint {
  step: number;
  promptShape: [number, number];
  /** One per ensemble member. */
  prompts: Float32Array[];
  optimizer: OptimizerName;
  optimizerState: Array<{ name: string; shape: number[]; values: Float32Array }>;
  best: Array<BestPrompt | undefined>;
}

export type StopReason = 'completed' | 'stopped' | 'early-stopping' | 'non-finite-loss';

export interface TrainingResult {
  reason: StopReason;
  message: string;
  step: number;
  /** The prompts to keep: each member's best on validation when there was validation, else its last good one. */
  prompts: Float32Array[];
  promptShape: [number, number];
  /** Each member's best validation, if any. */
  best: Array<Omit<BestPrompt, 'prompt'> | undefined>;
}

export interface TrainerEvents {
  onProgress?(report: ProgressReport): void;
  onValidation?(result: ValidationResult & { isBest: boolean }): void;
  /** Awaited: the loop continues once the checkpoint is stored. */
  onCheckpoint?(checkpoint: TrainingCheckpoint): Promise<void> | void;
  /** After each report, with the live prompts (valid only during the call). */
  onPrompt?(step: number, prompts: tf.Tensor2D[]): Promise<void> | void;
}
