/**
 * The paper's three prompt initialisations, seeded:
 *  - random: uniform in [-0.5, 0.5];
 *  - vocab: embeddings of distinct ids sampled from 3..5002, the 5,000 most common
 *    SentencePiece pieces (ids 0-2 are pad, </s>, <unk>);
 *  - labels: slot i is the mean embedding of class label i's tokens, the rest sampled vocab.
 */
import * as tf from '@tensorflow/tfjs';
import { seededRandom, shuffle, type Random } from '../random';
import type { PromptInit } from '../settings/trainingSettings';

export { PROMPT_INITS, type PromptInit } from '../settings/trainingSettings';

export const VOCAB_INIT_FIRST_ID = 3;
export const VOCAB_INIT_LAST_ID = 5002;

export interface PromptInitOptions {
  init: PromptInit;
  length: number;
  seed: number;
  /** [vocab, dModel] input embedding table (the model's `shared.weight`). */
  embeddings: tf.Tensor2D;
  /** For `labels`: each label's token ids, without the trailing </s>. */
  labelTokenIds?: number[][];
}

export interface InitialPrompt {
  values: Float32Array;
  /** The vocabulary id behind each slot (-1: random or a label mean), for tests and display. */
  sourceIds: number[];
  /** Which label each slot holds (-1 when none). */
  labelSlots: number[];
}

/** `count` distinct ids from the common-piece range (repeating only if the range is smaller than count). */
export function sampleVocabIds(count: number, vocabSize: number, random: Random): number[] {
  const last = Math.min(VOCAB_INIT_LAST_ID, vocabSize - 1);
  const pool = Array.from({ length: last - VOCAB_INIT_FIRST_ID + 1 }, (_, i) => VOCAB_INIT_FIRST_ID + i);
  const out: number[] = [];
  while (out.length < count) out.push(...shuffle([...pool], random).slice(0, count - out.length));
  return out;
}

export async function initPrompt(options: PromptInitOptions): Promise<InitialPrompt> {
  const { init, length, seed, embeddings } = options;
  const [vocabSize, width] = embeddings.shape;
  const random = seededRandom(seed);
  if (init === 'random') {
    const values = new Float32Array(length * width);
    for (let i = 0; i < values.length; i++) values[i] = random() - 0.5;
    return { values, sourceIds: new Array(length).fill(-1), labelSlots: new Array(length).fill(-1) };
  }
  const labels = init === 'labels' ? (options.labelTokenIds ?? []).slice(0, length) : [];
  if (init === 'labels' && labels.length === 0) throw new Error('label initialisation needs the label texts\' token ids');
  if (labels.some((ids) => ids.length === 0)) throw new Error('a label text has no tokens; give every label a non-empty target text');
  const sampled = sampleVocabIds(length - labels.length, vocabSize, random);
  const values = tf.tidy(() => {
    const rows: tf.Tensor2D[] = labels.map((ids) => tf.mean(tf.gather(embeddings, tf.tensor1d(ids, 'int32')), 0, true) as tf.Tensor2D);
    if (sampled.length) rows.push(tf.gather(embeddings, tf.tensor1d(sampled, 'int32')));
    return tf.concat(rows, 0);
  });
  const data = (await values.data()) as Float32Array;
  values.dispose();
  return {
    values: data,
    sourceIds: [...labels.map(() => -1), ...sampled],
    labelSlots: [...labels.map((_, i) => i), ...sampled.map(() => -1)],
  };
}
