/**
 * A trained soft prompt as it travels in and out of the app: the [length, width] matrix of prompt
 * embeddings plus what is known about how it was trained. Files come from our own
 * `*.prompt.safetensors` format or from a Hugging Face PEFT prompt-tuning adapter.
 */
import type { TaskKind } from '../task/taskKind';
import { PromptFileError } from './promptFileError';

export interface SoftPrompt {
  /** Number of prompt tokens P. */
  length: number;
  /** Embedding width; must equal the model's d_model. */
  width: number;
  /** Row-major [length, width]. */
  values: Float32Array;
}

/**
 * What the file says about the prompt. Only `format` and `dModel` are always known (dModel is the
 * tensor's width); the rest is absent in foreign files (PEFT adapters, hand-made files).
 */
export interface PromptMetadata {
  format: 'pt';
  dModel: number;
  /** Model id the prompt was trained against, e.g. "google/t5-v1_1-small". */
  baseModel?: string;
  /** Label texts, i.e. the target texts the prompt was trained to produce. */
  labels?: string[];
  /**
   * The labels as the training data had them, one per entry of `labels` ("1" for "positive"), so
   * predictions can be written in the data's own terms. Present only when some differ from their texts.
   */
  labelValues?: string[];
  /** Input template used when training. */
  template?: string;
  /** 'text' for a text-to-text prompt (answers are generated); absent in older files: classification. */
  task?: TaskKind;
  /** How the prompt was initialised (ours: random | vocab | labels; PEFT: RANDOM | TEXT). */
  init?: string;
  /**
   * The seed the initialisation drew with (for an ensemble member: the run's seed plus its index),
   * so the initial prompt can be rebuilt from `init`, this seed and the base model, and drift shown.
   */
  initSeed?: number;
  /** Optimiser steps taken. */
  steps?: number;
  /** Final validation metrics, e.g. {accuracy, loss}. */
  validation?: Record<string, number>;
  /** ISO 8601 date the file was written. */
  created?: string;
}

export interface SoftPromptFile {
  prompt: SoftPrompt;
  metadata: PromptMetadata;
  source: 'prompt' | 'peft';
  /** Things the user should know about how the file was read (e.g. which rows were used). */
  notes: string[];
}

/**
 * Refuse NaN/Infinity: a prompt holding them makes every prediction NaN, and it almost always
 * means training diverged, which is better said now than after a confusing evaluation.
 */
export function checkFinite(values: Float32Array, width: number, fileName?: string): void {
  let bad = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad === 0) return;
  const row = Math.floor(first / width);
  const col = first % width;
  throw new PromptFileError(
    'non-finite',
    `the prompt holds ${bad} non-finite value${bad === 1 ? '' : 's'} (NaN or Infinity; the first, ${values[first]}, at row ${row}, column ${col}). ` +
      'Training most likely diverged: train again with a lower learning rate.',
    fileName,
  );
}

/** Throw unless the prompt fits a model with this d_model (the prompt is prepended to its input embeddings). */
export function checkPromptWidth(file: SoftPromptFile, dModel: number): void {
  const width = file.prompt.width;
  if (width === dModel) return;
  const base = file.metadata.baseModel ?? 'not recorded in the file';
  throw new PromptFileError(
    'width-mismatch',
    `this prompt is ${width} wide but the model's d_model is ${dModel}; it was trained for a different model (base model: ${base}). ` +
      'Load the model it was trained for, or train a new prompt for this one.',
  );
}
