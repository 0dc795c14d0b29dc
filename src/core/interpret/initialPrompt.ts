/**
 * The prompt a file started from, rebuilt from what the file records (`init` and `init_seed`) with
 * the trainer's own initialisation, so drift can be shown for an imported file, not only live.
 * Rebuilding needs the model the prompt was trained for (vocab and label inits read its
 * embeddings) and, for `labels`, its tokenizer (the label texts' pieces, as training took them).
 */
import type * as tf from '@tensorflow/tfjs';
import type { PromptMetadata } from '../promptFile/softPrompt';
import { PROMPT_INITS, type PromptInit } from '../settings/trainingSettings';
import type { T5Tokenizer } from '../tokenizer/t5Tokenizer';
import { initPrompt } from '../tuning/promptInit';

export interface InitialPromptSource {
  init: string | undefined;
  initSeed: number | undefined;
  /** Label (target) texts, for the `labels` initialisation. */
  labels: string[] | undefined;
}

export function initialSourceOf(metadata: Pick<PromptMetadata, 'init' | 'initSeed' | 'labels'>): InitialPromptSource {
  return { init: metadata.init, initSeed: metadata.initSeed, labels: metadata.labels };
}

/** Why the initial prompt cannot be rebuilt, or undefined when it can. */
export function whyNoInitialPrompt(s: InitialPromptSource, tokenizer: T5Tokenizer | undefined): string | undefined {
  if (s.initSeed === undefined) return 'the prompt file does not record its initialisation seed (init_seed)';
  if (!PROMPT_INITS.includes(s.init as PromptInit)) return `the prompt's initialisation "${s.init ?? ''}" is not one this app can rebuild`;
  if (s.init === 'labels' && !(s.labels?.length && tokenizer)) return 'rebuilding a label initialisation needs the label texts and the tokenizer';
  return undefined;
}

/** The initial prompt [length, d] row-major, or undefined when the file does not say enough (see whyNoInitialPrompt). */
export async function rebuildInitialPrompt(s: InitialPromptSource, length: number, embeddings: tf.Tensor2D, tokenizer: T5Tokenizer | undefined): Promise<Float32Array | undefined> {
  if (whyNoInitialPrompt(s, tokenizer)) return undefined;
  // As prepareTrainingData: each label text's pieces without the final </s>.
  const labelTokenIds = s.init === 'labels' ? s.labels!.map((t) => tokenizer!.encode(t).slice(0, -1)) : undefined;
  const initial = await initPrompt({ init: s.init as PromptInit, length, seed: s.initSeed!, embeddings, labelTokenIds });
  return initial.values;
}
